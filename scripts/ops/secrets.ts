// `make secrets INSTANCE=<name> [FROM=file.env] [GENERATE_KEY=1]`: creates or updates the Secret
// percolate-secrets of an instance (not in git, not managed by Argo CD), and the Lambda's copy of the signing key
// in Secrets Manager. Values come from a dotenv file or the environment and reach kubectl and the AWS CLI through
// files in a private temporary directory: never argv, never the terminal. What is printed names the keys only
// (`SESSION_SIGNING_KEY=<set, 241 bytes>`).
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type KubeObject, renderOverlay } from './kustomize.ts'
import {
  createPlan,
  describeSecretValue,
  type Env,
  findK8sDir,
  type Instance,
  OpsError,
  type Plan,
  readFlag,
  readValue,
  requireInstance,
  runMain,
} from './plan.ts'

export const secretName = 'percolate-secrets'

/** The keys the server and the cron binary read from the Secret (.env.example); only the first is required. */
export const knownSecretKeys = [
  'SESSION_SIGNING_KEY',
  'OIDC_CLIENT_SECRETS',
  'SLACK_BOT_TOKEN',
  'TELEGRAM_BOT_TOKEN',
] as const

const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * A dotenv file: `KEY=value`, `export KEY=value`, `# comments`; 'single quotes' literal, "double quotes" with
 * \n \r \t \" \\ escapes, both may span lines (a PEM key fits either way). Errors give line numbers, never values.
 */
export function parseDotenv(text: string, label: string): Map<string, string> {
  const entries = new Map<string, string>()
  const lines = text.replaceAll('\r\n', '\n').split('\n')
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1
    const line = lines[index]!.trim()
    if (line === '' || line.startsWith('#')) continue
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line)
    if (!match) throw new OpsError(`${label} line ${lineNumber} is not KEY=value`)
    const key = match[1]!
    if (!keyPattern.test(key)) {
      throw new OpsError(`${label} line ${lineNumber}: "${key}" is not a variable name (letters, digits, _)`)
    }
    let rest = match[2]!
    const quote = rest[0]
    if (quote === '"' || quote === "'") {
      // The value runs to the matching quote, possibly on a later line.
      let body = rest.slice(1)
      let end = findClosingQuote(body, quote)
      while (end < 0 && index + 1 < lines.length) {
        index++
        body += `\n${lines[index]}`
        end = findClosingQuote(body, quote)
      }
      if (end < 0) throw new OpsError(`${label} line ${lineNumber}: ${key}'s ${quote}quoted value never ends`)
      rest = body.slice(0, end)
      entries.set(key, quote === '"' ? unescapeDoubleQuoted(rest) : rest)
    } else {
      entries.set(key, rest.replace(/\s+#.*$/, '').trim())
    }
  }
  return entries
}

function findClosingQuote(text: string, quote: string): number {
  for (let index = 0; index < text.length; index++) {
    if (quote === '"' && text[index] === '\\') index++
    else if (text[index] === quote) return index
  }
  return -1
}

function unescapeDoubleQuoted(text: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' }
  return text.replaceAll(/\\(.)/g, (whole, char: string) => escapes[char] ?? whole)
}

/** A new access-token signing key: P-256, PKCS#8 PEM, as the server expects (apps/server SESSION_SIGNING_KEY). */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

/** Why a value is unusable, named by its key only; undefined when it is fine. */
export function findSecretProblem(key: string, value: string): string | undefined {
  if (key === 'SESSION_SIGNING_KEY') {
    if (!value.includes('-----BEGIN PRIVATE KEY-----')) {
      const hint = value.includes('\\n')
        ? ' (a one-line value needs "double quotes" for \\n to become line breaks)'
        : ''
      return `SESSION_SIGNING_KEY is not a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----" ...)${hint}; make one with GENERATE_KEY=1 or: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`
    }
    try {
      const key = createPrivateKey({ key: value, format: 'pem' })
      const curve = key.asymmetricKeyDetails?.namedCurve
      if (key.asymmetricKeyType !== 'ec' || (curve !== 'prime256v1' && curve !== 'P-256')) {
        return `SESSION_SIGNING_KEY is a ${key.asymmetricKeyType}${curve ? ` ${curve}` : ''} key: an EC P-256 key is needed`
      }
    } catch {
      return 'SESSION_SIGNING_KEY looks like a PEM but does not parse as a private key'
    }
  }
  if (key === 'OIDC_CLIENT_SECRETS') {
    let parsed: unknown
    try {
      parsed = JSON.parse(value)
    } catch {
      // JSON.parse's message quotes the input: never pass it on.
      parsed = undefined
    }
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    if (!isObject || !Object.values(parsed as object).every((secret) => typeof secret === 'string')) {
      return 'OIDC_CLIENT_SECRETS is not a JSON object of strings ({"<deployment id>/<provider>": "<client secret>"})'
    }
  }
  return undefined
}

/** Looks that are unusual but possible (a new token format): reported, not refused. */
export function findSecretOddity(key: string, value: string): string | undefined {
  if (key === 'SLACK_BOT_TOKEN' && !value.startsWith('xoxb-')) {
    return 'SLACK_BOT_TOKEN does not start with xoxb- (a Slack bot token usually does)'
  }
  if (key === 'TELEGRAM_BOT_TOKEN' && !/^[0-9]+:[A-Za-z0-9_-]+$/.test(value)) {
    return 'TELEGRAM_BOT_TOKEN is not <digits>:<token> (the form BotFather gives)'
  }
  return undefined
}

export type SecretSource = { label: string; entries: Map<string, string> }

/**
 * FROM=<file>: every key in the file. Otherwise the environment: the known keys plus those named in
 * EXTRA_SECRET_KEYS (comma-separated), never the whole environment.
 */
export function readSecretSource(env: Env): SecretSource {
  const from = readValue(env, 'FROM')
  if (from) {
    let text: string
    try {
      text = readFileSync(resolve(from), 'utf8')
    } catch {
      throw new OpsError(`FROM "${from}" cannot be read: give a dotenv file (KEY=value lines)`)
    }
    return { label: `FROM=${from}`, entries: parseDotenv(text, from) }
  }
  const extra = (readValue(env, 'EXTRA_SECRET_KEYS') ?? '').split(',').map((key) => key.trim())
  const entries = new Map<string, string>()
  for (const key of [...knownSecretKeys, ...extra.filter(Boolean)]) {
    if (!keyPattern.test(key))
      throw new OpsError(`EXTRA_SECRET_KEYS has "${key}", which is not a variable name`)
    const value = env[key]
    if (value !== undefined && value !== '') entries.set(key, value)
  }
  return { label: 'the environment', entries }
}

/** The checked entries of the Secret: a missing signing key is generated with GENERATE_KEY=1, else refused. */
export function prepareSecretEntries(
  source: SecretSource,
  generateKey: boolean,
): {
  entries: Map<string, string>
  generated: boolean
  warnings: string[]
} {
  const entries = new Map(source.entries)
  let generated = false
  if (!entries.has('SESSION_SIGNING_KEY')) {
    if (!generateKey) {
      throw new OpsError(
        `SESSION_SIGNING_KEY is required and ${source.label} has none: add it (a P-256 PKCS#8 PEM key), or ` +
          'pass GENERATE_KEY=1 to make a new one (links in notifications already sent stop working)',
      )
    }
    entries.set('SESSION_SIGNING_KEY', generateSigningKey())
    generated = true
  }
  const problems = [...entries].flatMap(([key, value]) => findSecretProblem(key, value) ?? [])
  if (problems.length > 0) throw new OpsError(`${source.label}:\n  ${problems.join('\n  ')}`)
  const warnings = [...entries].flatMap(([key, value]) => findSecretOddity(key, value) ?? [])
  return { entries, generated, warnings }
}

/** The instance's Secrets Manager secret for the Lambda's copy of the signing key, and its region (from the overlay). */
export function findSigningKeySecret(
  objects: KubeObject[],
): { secretId: string; region: string } | undefined {
  const lambda = objects.find((object) => object.kind === 'Function')
  const variables = (lambda?.spec?.environment as { variables?: Record<string, string> } | undefined)
    ?.variables
  const config = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata?.name?.startsWith('percolate-config'),
  ) as (KubeObject & { data?: Record<string, string> }) | undefined
  const secretId = variables?.SESSION_SIGNING_KEY_SECRET_ID
  const region = config?.data?.AWS_REGION
  return secretId && region ? { secretId, region } : undefined
}

/** Applies the Secret: `kubectl create secret --dry-run=client -o yaml | kubectl apply --server-side -f -`. */
export async function applySecret(
  plan: Plan,
  namespace: string,
  entries: Map<string, string>,
  directory: string,
): Promise<void> {
  // Server-side apply keeps no last-applied-configuration annotation (which would be a second copy of the values)
  // and, owning every key, removes keys dropped from the source.
  const apply = [
    'kubectl',
    'apply',
    '--server-side',
    '--field-manager=make-secrets',
    '--force-conflicts',
    '-f',
    '-',
  ]
  const fromFiles = [...entries.keys()].map((key) => `--from-file=${key}=${directory}/${key}`)
  const create = [
    'kubectl',
    'create',
    'secret',
    'generic',
    secretName,
    `--namespace=${namespace}`,
    ...fromFiles,
  ]
  await plan.pipe([...create, '--dry-run=client', '-o', 'yaml'], apply)
}

/**
 * The notification Lambda signs one-click links with the same key and reads it from Secrets Manager (it has no
 * Kubernetes Secret): put the value there too, through a file:// argument, never the value itself.
 */
export async function putSigningKeyInSecretsManager(
  plan: Plan,
  instance: Instance,
  target: { secretId: string; region: string },
  directory: string,
): Promise<void> {
  plan.requireTool('aws')
  const { secretId, region } = target
  const value = `file://${directory}/SESSION_SIGNING_KEY`
  plan.note(`the Lambda's copy of SESSION_SIGNING_KEY: Secrets Manager secret ${secretId} (${region})`)
  const described = await plan.query(
    ['aws', 'secretsmanager', 'describe-secret', '--secret-id', secretId, '--region', region],
    { quiet: true },
  )
  if (described === undefined)
    plan.note('(create-secret instead of put-secret-value when it does not exist yet)')
  if (described === undefined || described.code === 0) {
    await plan.run([
      'aws',
      'secretsmanager',
      'put-secret-value',
      '--secret-id',
      secretId,
      '--secret-string',
      value,
      '--region',
      region,
      '--query',
      'VersionId',
      '--output',
      'text',
    ])
    return
  }
  await plan.run([
    'aws',
    'secretsmanager',
    'create-secret',
    '--name',
    secretId,
    '--secret-string',
    value,
    '--region',
    region,
    '--tags',
    `Key=app.kubernetes.io/instance,Value=${instance.name}`,
    'Key=app.kubernetes.io/part-of,Value=percolate',
    '--query',
    'ARN',
    '--output',
    'text',
  ])
}

export async function secrets(env: Env): Promise<void> {
  const instance = requireInstance(env, findK8sDir(env))
  const source = readSecretSource(env)
  const { entries, generated, warnings } = prepareSecretEntries(source, readFlag(env, 'GENERATE_KEY'))
  const plan = createPlan(env)
  plan.requireTool('kubectl')
  // The AWS CLI v2 pages long output through `less` by default, which would stop a script.
  process.env.AWS_PAGER ??= ''
  // The overlay says where the Lambda reads its copy of the signing key (and in which region).
  const { objects } = await renderOverlay(plan, instance.overlayDir)
  const signingKeySecret = findSigningKeySecret(objects)
  plan.note(`Secret ${secretName} in namespace ${instance.namespace}, from ${source.label}:`)
  for (const [key, value] of entries) {
    const described = describeSecretValue(value)
    plan.note(
      `  ${key}=${key === 'SESSION_SIGNING_KEY' && generated ? described.replace('set', 'generated') : described}`,
    )
  }
  for (const warning of warnings) plan.warn(warning)

  const directory = plan.dryRun ? '<tmp>' : mkdtempSync(join(tmpdir(), 'percolate-secrets-'))
  try {
    if (!plan.dryRun) {
      for (const [key, value] of entries) writeFileSync(join(directory, key), value, { mode: 0o600 })
    }
    // The namespace normally exists (Argo CD creates it); before the first sync, make it so the Secret is there
    // when the pods start. Argo CD then adds its labels (Pod Security Admission) when it applies the base.
    const namespace = await plan.query(['kubectl', 'get', 'namespace', instance.namespace], { quiet: true })
    if (namespace === undefined) plan.note(`if namespace ${instance.namespace} does not exist yet:`)
    if (namespace === undefined || namespace.code !== 0) {
      await plan.run(['kubectl', 'create', 'namespace', instance.namespace])
    }
    await applySecret(plan, instance.namespace, entries, directory)
    if (signingKeySecret) await putSigningKeyInSecretsManager(plan, instance, signingKeySecret, directory)
    else
      plan.warn(
        'the overlay names no SESSION_SIGNING_KEY_SECRET_ID for the Lambda: Secrets Manager left alone',
      )
  } finally {
    if (!plan.dryRun) rmSync(directory, { recursive: true, force: true })
  }

  // Pods read the Secret when they start: restart the server so it uses the new values (jobs read them each run).
  plan.note('the server reads the Secret at start: restarting it (if it runs yet)')
  const server = await plan.query(
    ['kubectl', '-n', instance.namespace, 'get', 'deployment/percolate-server'],
    {
      quiet: true,
    },
  )
  if (server === undefined || server.code === 0) {
    await plan.run(['kubectl', '-n', instance.namespace, 'rollout', 'restart', 'deployment/percolate-server'])
  }
  plan.finish()
}

if (import.meta.main) await runMain('secrets', secrets)
