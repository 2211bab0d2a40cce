// `make instance-new NAME=<name> HOST=... AWS_ACCOUNT_ID=... ...`: a new instance overlay from
// infra/k8s/instance-template, every `${VAR}` replaced by a checked value, proven to render before it is kept.
// It writes files only; committing and pushing them is what makes Argo CD create the instance.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { deploymentIdSchema, deploymentSettingsSchema } from '@percolate/domain/deployment'
import { isIanaTimeZone } from '@percolate/domain/time-zone'
import { describeIssues } from '@percolate/domain/validation'
import { renderOverlay } from './kustomize.ts'
import {
  createPlan,
  displayPath,
  type Env,
  findK8sDir,
  instanceNamePattern,
  OpsError,
  type Plan,
  readValue,
  runMain,
} from './plan.ts'

/** The placeholders instance-new fills, in the order they are explained. */
export const templateVariables = [
  'INSTANCE',
  'DEPLOYMENT_ID',
  'DEPLOYMENT_NAME',
  'HOST',
  'AWS_ACCOUNT_ID',
  'AWS_REGION',
  'EKS_OIDC_PROVIDER',
  'TIME_ZONE',
  'REGISTRY',
  'IMAGE_TAG',
  'SES_FROM',
  'SES_IDENTITY',
  'LAMBDA_BUCKET',
  'ADMIN_EMAIL',
  'EMAIL_DOMAIN',
  'OIDC_LABEL',
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
] as const

export type TemplateVariable = (typeof templateVariables)[number]
export type TemplateValues = Record<TemplateVariable, string>

/** Template files that join an overlay later: event-source.yaml needs the table's stream (make instance-stream). */
export const laterFiles = new Set(['event-source.yaml'])

const defaultRegion = 'eu-central-1'
const dnsLabel = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
const hostPattern = new RegExp(`^(?:${dnsLabel}\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
const emailPattern = new RegExp(`^[A-Za-z0-9._%+-]+@(?:${dnsLabel}\\.)+[a-z]{2,63}$`)
const senderPattern = /^(?:([A-Za-z0-9 ._-]+) <([^<>\s]+)>|([^<>\s]+))$/
const imageTagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const registryPattern =
  /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
const regionPattern = /^[a-z]{2}(?:-[a-z]+)+-[0-9]$/
const oidcProviderPattern = /^[a-z0-9.-]+\.[a-z]{2,}(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~-]+)*$/
// Names shown to people end up inside JSON and YAML strings: no quotes, backslashes, `$` or control characters.
const displayNamePattern = /^[\p{L}\p{N}][\p{L}\p{N} .,'&()!?_/+-]*$/u
const clientIdPattern = /^[A-Za-z0-9._~:@/+=-]{1,256}$/
const issuerPattern = /^https:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%/-]*)?$/

/** The address inside SES_FROM (`Name <a@b>` or `a@b`), or undefined when it is neither. */
function readSenderAddress(sesFrom: string): string | undefined {
  const match = senderPattern.exec(sesFrom)
  const address = match?.[2] ?? match?.[3]
  return address && emailPattern.test(address) ? address : undefined
}

const domainOf = (email: string | undefined) => email?.slice(email.lastIndexOf('@') + 1)

type Check = {
  variable: TemplateVariable
  source: string
  allowed: string
  isValid: (value: string) => boolean
}

const checks: Check[] = [
  {
    variable: 'INSTANCE',
    source: 'NAME',
    allowed:
      'a lowercase letter, then 1-30 lowercase letters, digits or hyphens, not ending in a hyphen (e.g. acme)',
    isValid: (value) => instanceNamePattern.test(value) && !value.endsWith('-'),
  },
  {
    variable: 'DEPLOYMENT_ID',
    source: 'DEPLOYMENT_ID',
    allowed: 'the deployment id in the table: 1-40 lowercase letters, digits or dashes (default: NAME)',
    isValid: (value) => deploymentIdSchema.safeParse(value).success,
  },
  {
    variable: 'DEPLOYMENT_NAME',
    source: 'DEPLOYMENT_NAME',
    allowed:
      "the name people see, 1-100 letters, digits, spaces and . , ' & ( ) ! ? _ / + - (default: NAME capitalised)",
    isValid: (value) => value.length <= 100 && displayNamePattern.test(value),
  },
  {
    variable: 'HOST',
    source: 'HOST',
    allowed: 'a lowercase DNS name with at least two labels, no scheme or path (e.g. percolate.acme.example)',
    isValid: (value) => value.length <= 253 && hostPattern.test(value),
  },
  {
    variable: 'AWS_ACCOUNT_ID',
    source: 'AWS_ACCOUNT_ID',
    allowed: 'exactly 12 digits (e.g. 123456789012)',
    isValid: (value) => /^[0-9]{12}$/.test(value),
  },
  {
    variable: 'AWS_REGION',
    source: 'AWS_REGION',
    allowed: `an AWS region code (default ${defaultRegion}; e.g. us-east-1)`,
    isValid: (value) => regionPattern.test(value),
  },
  {
    variable: 'EKS_OIDC_PROVIDER',
    source: 'EKS_OIDC_PROVIDER',
    allowed:
      "the cluster's OIDC issuer, e.g. oidc.eks.eu-central-1.amazonaws.com/id/ABC123 (aws eks describe-cluster " +
      '--name <cluster> --query cluster.identity.oidc.issuer)',
    isValid: (value) => oidcProviderPattern.test(value),
  },
  {
    variable: 'TIME_ZONE',
    source: 'TIME_ZONE',
    allowed: 'an IANA time zone name (default UTC; e.g. Europe/Berlin, America/New_York)',
    isValid: isIanaTimeZone,
  },
  {
    variable: 'REGISTRY',
    source: 'REGISTRY',
    allowed:
      "a registry host with an optional path, no scheme or tag (default: the account's ECR, " +
      '<AWS_ACCOUNT_ID>.dkr.ecr.<AWS_REGION>.amazonaws.com)',
    isValid: (value) => registryPattern.test(value),
  },
  {
    variable: 'IMAGE_TAG',
    source: 'IMAGE_TAG',
    allowed:
      'an exact image tag, not "latest": letters, digits, _ . - (at most 128; e.g. v1.4.0, as pushed by make images)',
    isValid: (value) => imageTagPattern.test(value) && value !== 'latest',
  },
  {
    variable: 'SES_FROM',
    source: 'SES_FROM',
    allowed:
      'the sender, an address or "Name <address>": percolate@acme.example or "Percolate <percolate@acme.example>"',
    isValid: (value) => readSenderAddress(value) !== undefined,
  },
  {
    variable: 'SES_IDENTITY',
    source: 'SES_IDENTITY',
    allowed:
      "the verified SES identity that sends: a domain or an email address (default: SES_FROM's domain)",
    isValid: (value) => hostPattern.test(value) || emailPattern.test(value),
  },
  {
    variable: 'LAMBDA_BUCKET',
    source: 'LAMBDA_BUCKET',
    allowed:
      'the S3 bucket make images uploads the dispatcher zip to: 3-63 lowercase letters, digits, dots or hyphens',
    isValid: (value) => bucketPattern.test(value) && !value.includes('..'),
  },
  {
    variable: 'ADMIN_EMAIL',
    source: 'ADMIN_EMAIL',
    allowed:
      'the email of the first admin, who becomes admin at their first sign-in (e.g. it-team@acme.example)',
    isValid: (value) => emailPattern.test(value),
  },
  {
    variable: 'EMAIL_DOMAIN',
    source: 'EMAIL_DOMAIN',
    allowed: "the email domain people sign in with, e.g. acme.example (default: ADMIN_EMAIL's domain)",
    isValid: (value) => hostPattern.test(value),
  },
  {
    variable: 'OIDC_LABEL',
    source: 'OIDC_LABEL',
    allowed:
      'the sign-in button text, 1-60 characters like DEPLOYMENT_NAME (default: "<DEPLOYMENT_NAME> sign-in")',
    isValid: (value) => value.length <= 60 && displayNamePattern.test(value),
  },
  {
    variable: 'OIDC_ISSUER',
    source: 'OIDC_ISSUER',
    allowed: "the OpenID Provider's issuer, an https URL (e.g. https://login.acme.example)",
    isValid: (value) => issuerPattern.test(value),
  },
  {
    variable: 'OIDC_CLIENT_ID',
    source: 'OIDC_CLIENT_ID',
    allowed: 'the client id registered at the OpenID Provider: letters, digits and . _ ~ : @ / + = -',
    isValid: (value) => clientIdPattern.test(value),
  },
]

/**
 * The template values from the environment (make's variables), defaults filled in, each one checked. Every bad or
 * missing value is reported at once, each naming the variable and what it may be.
 */
export function readTemplateValues(env: Env): { values: TemplateValues; errors: string[] } {
  const given = (name: string) => readValue(env, name)
  const instance = given('NAME') ?? given('INSTANCE')
  const accountId = given('AWS_ACCOUNT_ID')
  const region = given('AWS_REGION') ?? defaultRegion
  const sesFrom = given('SES_FROM')
  const adminEmail = given('ADMIN_EMAIL')
  const deploymentName =
    given('DEPLOYMENT_NAME') ?? (instance ? instance.charAt(0).toUpperCase() + instance.slice(1) : undefined)
  const raw: Record<TemplateVariable, string | undefined> = {
    INSTANCE: instance,
    DEPLOYMENT_ID: given('DEPLOYMENT_ID') ?? instance,
    DEPLOYMENT_NAME: deploymentName,
    HOST: given('HOST'),
    AWS_ACCOUNT_ID: accountId,
    AWS_REGION: region,
    // `aws eks describe-cluster` prints the issuer as a URL; IAM wants it without the scheme.
    EKS_OIDC_PROVIDER: given('EKS_OIDC_PROVIDER')?.replace(/^https:\/\//, ''),
    TIME_ZONE: given('TIME_ZONE') ?? 'UTC',
    REGISTRY: given('REGISTRY') ?? (accountId ? `${accountId}.dkr.ecr.${region}.amazonaws.com` : undefined),
    IMAGE_TAG: given('IMAGE_TAG'),
    SES_FROM: sesFrom,
    SES_IDENTITY: given('SES_IDENTITY') ?? domainOf(sesFrom ? readSenderAddress(sesFrom) : undefined),
    LAMBDA_BUCKET: given('LAMBDA_BUCKET'),
    ADMIN_EMAIL: adminEmail,
    EMAIL_DOMAIN:
      given('EMAIL_DOMAIN') ?? domainOf(adminEmail && emailPattern.test(adminEmail) ? adminEmail : undefined),
    OIDC_LABEL: given('OIDC_LABEL') ?? (deploymentName ? `${deploymentName} sign-in` : undefined),
    OIDC_ISSUER: given('OIDC_ISSUER'),
    OIDC_CLIENT_ID: given('OIDC_CLIENT_ID'),
  }
  const errors: string[] = []
  for (const check of checks) {
    const value = raw[check.variable]
    if (value === undefined) errors.push(`${check.source} is required: ${check.allowed}`)
    else if (!check.isValid(value)) errors.push(`${check.source} "${value}" is not allowed: ${check.allowed}`)
  }
  return { values: raw as TemplateValues, errors }
}

/**
 * Replaces each `${VAR}` from `values`; a placeholder with no value is an error, never left in the output.
 * `purpose` names the command for the message (instance-new, instance-stream).
 */
export function substitutePlaceholders(
  text: string,
  values: Readonly<Record<string, string>>,
  file: string,
  purpose = 'instance-new',
): string {
  const unknown = new Set<string>()
  const result = text.replaceAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (placeholder, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined
    if (value !== undefined) return value
    unknown.add(placeholder)
    return placeholder
  })
  if (unknown.size > 0) {
    throw new OpsError(
      `${file} has ${[...unknown].join(', ')}, which ${purpose} has no value for (it fills ` +
        `${Object.keys(values)
          .map((name) => `\${${name}}`)
          .join(', ')})`,
    )
  }
  const leftover = /\$\{[^}\n]*\}?/.exec(result)
  if (leftover) {
    throw new OpsError(`${file} still has "${leftover[0]}" after substitution: the template is malformed`)
  }
  return result
}

/**
 * The deployment's first settings (deployment.json, read by `percolate-cron init`) checked now with the same
 * schema init uses, so a bad value shows here and not as a failing PostSync hook after the push.
 */
export function checkDeploymentSettings(json: string, file: string): void {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (error) {
    throw new OpsError(`${file} is not JSON after substitution (${(error as Error).message})`)
  }
  const parsed = deploymentSettingsSchema.strict().safeParse(raw)
  if (!parsed.success) {
    throw new OpsError(
      `${file} is not valid deployment settings:\n  ${describeIssues(parsed.error).join('\n  ')}`,
    )
  }
}

/** The files of the new overlay (relative path -> content), every placeholder substituted. */
export function renderTemplate(templateDir: string, values: TemplateValues): Map<string, string> {
  if (!existsSync(join(templateDir, 'kustomization.yaml'))) {
    throw new OpsError(
      `${displayPath(templateDir)}/kustomization.yaml does not exist: there is no template to copy`,
    )
  }
  const files = new Map<string, string>()
  const paths = [...new Bun.Glob('**/*').scanSync({ cwd: templateDir, dot: true, onlyFiles: true })].sort()
  for (const path of paths.filter((path) => !laterFiles.has(path))) {
    if (path.includes('${'))
      throw new OpsError(`template file name ${path} has a placeholder: only contents may`)
    const label = `${displayPath(templateDir)}/${path}`
    const content = substitutePlaceholders(readFileSync(join(templateDir, path), 'utf8'), values, label)
    if (path === 'deployment.json') checkDeploymentSettings(content, label)
    files.set(path, content)
  }
  return files
}

/**
 * Writes the overlay next to the others under a temporary name, renders it there (the relative paths to the base
 * are the same), and only then gives it its name: a failed instance-new leaves nothing behind.
 */
export async function createInstance(plan: Plan, k8sDir: string, values: TemplateValues): Promise<string> {
  const templateDir = join(k8sDir, 'instance-template')
  const overlayDir = join(k8sDir, 'overlays', values.INSTANCE)
  if (existsSync(overlayDir)) {
    throw new OpsError(
      `${displayPath(overlayDir)} already exists: instance-new never overwrites an overlay. Pick another NAME, or ` +
        'edit that overlay (or delete it first if it is unused)',
    )
  }
  const files = renderTemplate(templateDir, values)
  if (plan.dryRun) {
    for (const path of files.keys()) plan.note(`would write ${displayPath(join(overlayDir, path))}`)
    await plan.run(['kubectl', 'kustomize', displayPath(overlayDir)])
    return overlayDir
  }
  plan.requireTool('kubectl')
  const stagingDir = join(k8sDir, 'overlays', `.${values.INSTANCE}.partial-${process.pid}`)
  try {
    for (const [path, content] of files) {
      mkdirSync(dirname(join(stagingDir, path)), { recursive: true })
      writeFileSync(join(stagingDir, path), content)
    }
    const { objects } = await renderOverlay(plan, stagingDir)
    renameSync(stagingDir, overlayDir)
    for (const path of files.keys()) plan.note(`wrote ${displayPath(join(overlayDir, path))}`)
    plan.note(`renders: ${objects.length} objects`)
  } finally {
    rmSync(stagingDir, { recursive: true, force: true })
  }
  return overlayDir
}

export async function instanceNew(env: Env): Promise<void> {
  const { values, errors } = readTemplateValues(env)
  if (errors.length > 0) {
    throw new OpsError(`cannot create the instance:\n  ${errors.join('\n  ')}`)
  }
  const plan = createPlan(env)
  for (const name of templateVariables) plan.note(`${name}=${values[name]}`)
  const overlayDir = await createInstance(plan, findK8sDir(env), values)
  const instance = values.INSTANCE
  plan.note('next:')
  plan.note(`  git add ${displayPath(overlayDir)} && git commit -m "Add instance ${instance}" && git push`)
  plan.note(`  make secrets INSTANCE=${instance} FROM=<file.env>   (or GENERATE_KEY=1 for a new signing key)`)
  plan.note(`  make deploy INSTANCE=${instance}`)
  plan.note(
    `  make instance-stream INSTANCE=${instance}   (once the table exists: the Lambda on its stream; push it)`,
  )
  plan.finish()
}

if (import.meta.main) await runMain('instance-new', instanceNew)
