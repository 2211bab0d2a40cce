// The Makefile's operations targets: `make help` lists them, and each cluster target with DRY_RUN=1 prints the
// commands it would run (nothing here has a cluster, a Docker engine, helm or AWS). instance-new and
// instance-stream write real files, into a copy of infra/k8s; `make secrets` also runs for real against fake
// kubectl and aws programs that record what they were given, to prove no secret value reaches a command line.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { inflateRawSync } from 'node:zlib'
import { pointAtRepository, readFollowedRepository } from '../../scripts/ops/argocd-setup.ts'
import { checkCommittedAndPushed } from '../../scripts/ops/deploy.ts'
import { readKeepTable } from '../../scripts/ops/destroy.ts'
import { readImageOptions } from '../../scripts/ops/images.ts'
import { addEventSourceResource } from '../../scripts/ops/instance-stream.ts'
import { parseObjects } from '../../scripts/ops/kustomize.ts'
import { readControllers } from '../../scripts/ops/operators-install.ts'
import { formatCommand, Plan } from '../../scripts/ops/plan.ts'
import { generateSigningKey, parseDotenv } from '../../scripts/ops/secrets.ts'
import { nameStatusJob } from '../../scripts/ops/status.ts'
import { zipFiles } from '../../scripts/ops/zip-files.ts'
import { listInstances, repoRoot, requireKubectl } from './render.ts'

const k8sDir = join(repoRoot, 'infra/k8s')
const makefile = readFileSync(join(repoRoot, 'Makefile'), 'utf8')

/** Variables a developer's shell might hold that would change what the targets do. */
const opsVariables = [
  'INSTANCE',
  'NAME',
  'HOST',
  'DRY_RUN',
  'PUSH',
  'TAG',
  'REGISTRY',
  'LAMBDA_BUCKET',
  'FROM',
  'GENERATE_KEY',
  'CONFIRM',
  'KEEP_TABLE',
  'K8S_DIR',
  'ARGOCD_DIR',
  'REPO_URL',
  'REPO_REVISION',
  'AWS_ACCOUNT_ID',
  'AWS_REGION',
  'ACK_ROLE_ARN',
  'TIME_ZONE',
  'IMAGE_TAG',
  'SES_FROM',
  'SES_IDENTITY',
  'TABLE_STREAM_ARN',
  'EXTRA_SECRET_KEYS',
  'SESSION_SIGNING_KEY',
  'OIDC_CLIENT_SECRETS',
  'SLACK_BOT_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'MAKEFLAGS',
  'MFLAGS',
]

type MakeResult = { code: number; stdout: string; stderr: string; output: string }

async function runMake(
  target: string,
  variables: Record<string, string> = {},
  options: { env?: Record<string, string> } = {},
): Promise<MakeResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env }
  for (const name of opsVariables) if (!options.env || !(name in options.env)) delete env[name]
  return await runInRepo(
    ['make', '-s', target, ...Object.entries(variables).map(([k, v]) => `${k}=${v}`)],
    env,
  )
}

/**
 * A script of scripts/ops run directly, with `bin` first on PATH (make puts npm's prefix, /usr/bin here, in front
 * of the caller's PATH, so fake tools only win this way). `variables` play make's command-line variables.
 */
async function runScript(
  script: string,
  variables: Record<string, string>,
  bin: string,
): Promise<MakeResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...variables,
    PATH: `${bin}:${process.env.PATH}`,
  }
  for (const name of opsVariables) if (!(name in variables)) delete env[name]
  return await runInRepo(['bun', `scripts/ops/${script}.ts`], env)
}

/** Runs `argv` at the repository root with no terminal, its output captured. */
async function runInRepo(argv: string[], env: Record<string, string | undefined>): Promise<MakeResult> {
  const child = Bun.spawn(argv, { cwd: repoRoot, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  return { code, stdout, stderr, output: `${stdout}\n${stderr}` }
}

/** The `+ cmd` lines of a plan. */
const commandsOf = (result: MakeResult) => result.stdout.split('\n').filter((line) => line.startsWith('+ '))

/** infra/k8s copied (base, template, overlays) so that writing targets never touch the repository. */
function copyK8sDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'percolate-make-')), 'k8s')
  cpSync(k8sDir, dir, { recursive: true })
  return dir
}

const temporaryDirs: string[] = []
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true })
})
function makeTemporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'percolate-make-'))
  temporaryDirs.push(dir)
  return dir
}

/** The variables that make `make instance-new` reproduce the committed acme overlay. */
const acmeVariables = {
  NAME: 'acme',
  HOST: 'percolate.acme.example',
  AWS_ACCOUNT_ID: '111111111111',
  EKS_OIDC_PROVIDER: 'https://oidc.eks.eu-central-1.amazonaws.com/id/A1B2C3D4E5F60718293A4B5C6D7E8F90',
  TIME_ZONE: 'Europe/Berlin',
  REGISTRY: 'registry.example.com/percolate',
  IMAGE_TAG: '0.1.0',
  SES_FROM: 'Percolate <percolate@acme.example>',
  LAMBDA_BUCKET: 'acme-percolate-artifacts',
  ADMIN_EMAIL: 'it-team@acme.example',
  OIDC_ISSUER: 'https://login.acme.example',
  OIDC_CLIENT_ID: 'percolate',
}
const acmeStreamArn =
  'arn:aws:dynamodb:eu-central-1:111111111111:table/percolate-acme/stream/2026-11-02T09:00:00.000'

function readTree(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name)
        return [path.slice(dir.length + 1), readFileSync(path, 'utf8')] as const
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  )
}

beforeAll(() => {
  requireKubectl()
})

describe('make help', () => {
  it("lists every target of the Makefile under its section, the issue's targets among them", async () => {
    const help = await runMake('help')
    expect(help.code).toBe(0)
    const plain = stripVTControlCharacters(help.stdout)
    const documented = [...makefile.matchAll(/^([a-zA-Z0-9_-]+):.*?## /gm)].map((match) => match[1]!)
    for (const target of documented) expect(plain).toMatch(new RegExp(`^  ${target} +\\S`, 'm'))
    const required = ['setup', 'dev', 'test', 'lint', 'build', 'images', 'argocd-setup', 'operators-install']
    required.push('instance-new', 'deploy', 'destroy', 'secrets', 'status', 'render', 'instance-stream')
    for (const target of required) expect(documented).toContain(target)
    for (const section of [
      'General',
      'Development',
      'Checks',
      'Release',
      'Cluster',
      'Instances',
      'Cleanup',
    ]) {
      expect(plain).toMatch(new RegExp(`^${section}`, 'm'))
    }
    // The cluster targets sit under their sections, after the headers that introduce them.
    expect(plain.indexOf('argocd-setup')).toBeGreaterThan(plain.indexOf('\nCluster'))
    expect(plain.indexOf('instance-new')).toBeGreaterThan(plain.indexOf('\nInstances'))
  })

  it('declares every target .PHONY and keeps help the default goal', () => {
    const targets = [...makefile.matchAll(/^([a-zA-Z0-9_-]+):(?!=)/gm)].map((match) => match[1]!)
    const phony = new Set(
      [...makefile.matchAll(/^\.PHONY: (.+)$/gm)].flatMap((match) => match[1]!.split(/\s+/)),
    )
    expect(targets.filter((target) => !phony.has(target))).toEqual([])
    expect(makefile).toMatch(/^\.DEFAULT_GOAL := help$/m)
  })
})

describe('make images DRY_RUN=1', () => {
  it('prints one docker buildx build per image with the tag and VERSION, and no push without PUSH=1', async () => {
    const result = await runMake('images', {
      DRY_RUN: '1',
      REGISTRY: 'registry.example.com/percolate',
      TAG: 'v9.9.9',
    })
    expect(result.output).not.toMatch(/^error/m)
    expect(result.code).toBe(0)
    const builds = commandsOf(result).filter((line) => line.startsWith('+ docker buildx build'))
    expect(builds).toHaveLength(3)
    for (const [image, dockerfile] of [
      ['percolate-server', 'apps/server/Dockerfile'],
      ['percolate-web', 'apps/web/Dockerfile'],
      ['percolate-cron', 'apps/cron/Dockerfile'],
    ]) {
      const build = builds.find((line) => line.includes(`--file ${dockerfile} `))
      expect(build).toContain(`--tag registry.example.com/percolate/${image}:v9.9.9`)
      expect(build).toContain('--build-arg VERSION=v9.9.9')
      expect(build).toContain('--load')
    }
    expect(result.stdout).not.toContain('+ aws s3 cp')
  })

  it('pushes and uploads the Lambda zip to s3://LAMBDA_BUCKET/percolate-dispatcher/TAG.zip with PUSH=1', async () => {
    const result = await runMake('images', {
      DRY_RUN: '1',
      REGISTRY: 'registry.example.com/percolate',
      TAG: 'v9.9.9',
      PUSH: '1',
      LAMBDA_BUCKET: 'acme-percolate-artifacts',
    })
    expect(result.code).toBe(0)
    const commands = commandsOf(result)
    expect(
      commands.filter((line) => line.startsWith('+ docker buildx build') && line.includes(' --push ')),
    ).toHaveLength(3)
    expect(commands).toContain(
      '+ aws s3 cp apps/cron/dist/percolate-dispatcher-v9.9.9.zip s3://acme-percolate-artifacts/percolate-dispatcher/v9.9.9.zip --only-show-errors',
    )
  })

  it('refuses TAG=latest and says why', async () => {
    const result = await runMake('images', { DRY_RUN: '1', REGISTRY: 'registry.example.com', TAG: 'latest' })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('TAG=latest is refused')
    expect(result.stdout).not.toContain('docker buildx')
  })

  it('names the missing REGISTRY, and LAMBDA_BUCKET when pushing', async () => {
    const noRegistry = await runMake('images', { DRY_RUN: '1', TAG: 'v1.0.0' })
    expect(noRegistry.code).not.toBe(0)
    expect(noRegistry.stderr).toContain('REGISTRY is required')
    const noBucket = await runMake('images', {
      DRY_RUN: '1',
      REGISTRY: 'r.example',
      TAG: 'v1.0.0',
      PUSH: '1',
    })
    expect(noBucket.code).not.toBe(0)
    expect(noBucket.stderr).toContain('LAMBDA_BUCKET is required with PUSH=1')
  })
})

describe('make operators-install DRY_RUN=1', () => {
  it('installs the four ACK controllers at the pinned chart versions, with the region and IRSA roles', async () => {
    const result = await runMake('operators-install', {
      DRY_RUN: '1',
      AWS_REGION: 'us-east-1',
      AWS_ACCOUNT_ID: '123456789012',
      ACK_ROLE_ARN_IAM: 'arn:aws:iam::123456789012:role/ack-iam-special',
    })
    expect(result.code).toBe(0)
    const commands = commandsOf(result)
    for (const service of ['dynamodb', 'iam', 'lambda', 'ses']) {
      const pinned = new RegExp(`^ACK_${service.toUpperCase()}_CHART_VERSION \\?= (\\S+)$`, 'm').exec(
        makefile,
      )?.[1]
      expect(pinned).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+$/)
      const chart = `oci://public.ecr.aws/aws-controllers-k8s/${service}-chart --version ${pinned}`
      const install = commands.find((line) =>
        line.startsWith(`+ helm upgrade --install ack-${service}-controller ${chart}`),
      )
      expect(install).toContain('--namespace ack-system')
      expect(install).toContain('--set aws.region=us-east-1')
      const role = service === 'iam' ? 'ack-iam-special' : `ack-${service}-controller`
      expect(install).toContain(
        `'serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::123456789012:role/${role}'`,
      )
      expect(commands).toContain(
        `+ helm show crds ${chart} | kubectl apply --server-side --force-conflicts -f -`,
      )
    }
  })

  it('names the role variables when no role is given', async () => {
    const result = await runMake('operators-install', { DRY_RUN: '1' })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('no IAM role for the dynamodb controller: set ACK_ROLE_ARN_DYNAMODB')
    expect(result.stdout).not.toContain('helm upgrade')
  })
})

describe('make argocd-setup DRY_RUN=1', () => {
  it('installs the pinned Argo CD and applies the project and ApplicationSet', async () => {
    const result = await runMake('argocd-setup', {
      DRY_RUN: '1',
      REPO_URL: 'https://github.com/me/percolate.git',
    })
    expect(result.code).toBe(0)
    const version = /^ARGOCD_VERSION \?= (v\S+)$/m.exec(makefile)?.[1]
    expect(version).toMatch(/^v[0-9]+\.[0-9]+\.[0-9]+$/)
    const commands = commandsOf(result)
    expect(commands).toContain(
      `+ kubectl apply -n argocd --server-side --force-conflicts -f https://raw.githubusercontent.com/argoproj/argo-cd/${version}/manifests/install.yaml`,
    )
    expect(commands).toContain('+ kubectl kustomize infra/argocd')
    expect(commands).toContain('+ kubectl apply -n argocd --server-side -f -')
    expect(result.stdout).toContain('Argo CD follows https://github.com/me/percolate.git at main')
    expect(result.stdout).toContain('AppProject/percolate, ApplicationSet/percolate')
  })

  it('points the project and every Application at REPO_URL and REPO_REVISION', async () => {
    const rendered = Bun.spawnSync(['kubectl', 'kustomize', join(repoRoot, 'infra/argocd')])
    const objects = parseObjects(rendered.stdout.toString())
    const committed = readFollowedRepository(objects)!
    const pointed = pointAtRepository(objects, committed.url, {
      url: 'git@example.com:me/fork.git',
      revision: 'prod',
    })
    const text = JSON.stringify(pointed)
    expect(text).not.toContain(committed.url)
    expect(readFollowedRepository(pointed)).toEqual({ url: 'git@example.com:me/fork.git', revision: 'prod' })
    const project = pointed.find((object) => object.kind === 'AppProject')!
    expect((project.spec as { sourceRepos: string[] }).sourceRepos).toEqual(['git@example.com:me/fork.git'])
    const appSet = pointed.find((object) => object.kind === 'ApplicationSet')!
    expect(JSON.stringify(appSet.spec)).toContain('"targetRevision":"prod"')
  })
})

describe('INSTANCE', () => {
  for (const target of ['render', 'deploy', 'status', 'secrets', 'destroy', 'instance-stream']) {
    it(`${target}: a missing INSTANCE names the instances that exist`, async () => {
      const result = await runMake(target, { DRY_RUN: '1' })
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain(
        `INSTANCE is required (INSTANCE=<name>); instances: ${listInstances().join(', ')}`,
      )
      expect(commandsOf(result)).toEqual([])
    })
  }

  it('an unknown instance is refused with the list of instances', async () => {
    const result = await runMake('deploy', { DRY_RUN: '1', INSTANCE: 'initech' })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('INSTANCE "initech" is unknown')
    expect(result.stderr).toContain(`instances: ${listInstances().join(', ')}`)
  })
})

describe('make render', () => {
  it('prints the rendered manifests of an instance on stdout and the command on stderr', async () => {
    const result = await runMake('render', { INSTANCE: 'acme' })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('+ kubectl kustomize infra/k8s/overlays/acme')
    const objects = parseObjects(result.stdout)
    expect(
      objects.some((object) => object.kind === 'Table' && object.metadata?.namespace === 'percolate-acme'),
    ).toBe(true)
  })
})

describe('make instance-new', () => {
  it('reproduces the committed acme overlay (with instance-stream), renders, and leaves no ${ behind', async () => {
    const dir = copyK8sDir()
    temporaryDirs.push(join(dir, '..'))
    rmSync(join(dir, 'overlays/acme'), { recursive: true })
    const created = await runMake('instance-new', { ...acmeVariables, K8S_DIR: dir })
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const overlay = join(dir, 'overlays/acme')
    const files = readTree(overlay)
    expect([...files.keys()]).toEqual(['aws.yaml', 'deployment.json', 'init-job.yaml', 'kustomization.yaml'])
    for (const [file, content] of files) expect(`${file}: ${content}`).not.toContain('${')
    const rendered = Bun.spawnSync(['kubectl', 'kustomize', overlay])
    expect(rendered.exitCode).toBe(0)
    expect(parseObjects(rendered.stdout.toString()).length).toBeGreaterThan(20)

    const stream = await runMake('instance-stream', {
      INSTANCE: 'acme',
      K8S_DIR: dir,
      TABLE_STREAM_ARN: acmeStreamArn,
    })
    expect(stream.code).toBe(0)
    expect(readTree(overlay)).toEqual(readTree(join(k8sDir, 'overlays/acme')))
    expect(readdirSync(join(dir, 'overlays')).sort()).toEqual(listInstances())
  })

  it('with DRY_RUN=1 lists the files it would write and writes none', async () => {
    const dir = copyK8sDir()
    temporaryDirs.push(join(dir, '..'))
    const result = await runMake('instance-new', {
      ...acmeVariables,
      NAME: 'initech',
      DRY_RUN: '1',
      K8S_DIR: dir,
    })
    expect(result.code).toBe(0)
    for (const file of ['aws.yaml', 'deployment.json', 'init-job.yaml', 'kustomization.yaml']) {
      expect(result.stdout).toContain(`# would write ${dir}/overlays/initech/${file}`)
    }
    expect(result.stdout).not.toContain('event-source.yaml')
    expect(existsSync(join(dir, 'overlays/initech'))).toBe(false)
  })

  it('refuses to overwrite an existing overlay', async () => {
    const dir = copyK8sDir()
    temporaryDirs.push(join(dir, '..'))
    const before = readTree(join(dir, 'overlays/globex'))
    const result = await runMake('instance-new', { ...acmeVariables, NAME: 'globex', K8S_DIR: dir })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(
      'overlays/globex already exists: instance-new never overwrites an overlay',
    )
    expect(readTree(join(dir, 'overlays/globex'))).toEqual(before)
  })

  it('names each bad variable with what is allowed, and writes nothing', async () => {
    const dir = copyK8sDir()
    temporaryDirs.push(join(dir, '..'))
    const result = await runMake('instance-new', {
      ...acmeVariables,
      NAME: 'Acme_Corp',
      AWS_ACCOUNT_ID: '12345',
      TIME_ZONE: 'Europe/Pariss',
      IMAGE_TAG: 'latest',
      K8S_DIR: dir,
    })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(
      'NAME "Acme_Corp" is not allowed: a lowercase letter, then 1-30 lowercase letters',
    )
    expect(result.stderr).toContain('AWS_ACCOUNT_ID "12345" is not allowed: exactly 12 digits')
    expect(result.stderr).toContain('TIME_ZONE "Europe/Pariss" is not allowed: an IANA time zone name')
    expect(result.stderr).toContain('IMAGE_TAG "latest" is not allowed: an exact image tag, not "latest"')
    expect(readdirSync(join(dir, 'overlays')).sort()).toEqual(['acme', 'globex'])
  })

  it('names the required variables that are missing', async () => {
    const result = await runMake('instance-new', { NAME: 'initech', DRY_RUN: '1' })
    expect(result.code).not.toBe(0)
    for (const variable of [
      'HOST',
      'AWS_ACCOUNT_ID',
      'EKS_OIDC_PROVIDER',
      'IMAGE_TAG',
      'SES_FROM',
      'LAMBDA_BUCKET',
    ]) {
      expect(result.stderr).toContain(`${variable} is required: `)
    }
    for (const defaulted of ['AWS_REGION', 'TIME_ZONE', 'DEPLOYMENT_ID', 'DEPLOYMENT_NAME']) {
      expect(result.stderr).not.toContain(`${defaulted} is required`)
    }
  })

  it('fails on a template placeholder it has no value for, instead of leaving it in', async () => {
    const dir = copyK8sDir()
    temporaryDirs.push(join(dir, '..'))
    const template = join(dir, 'instance-template/init-job.yaml')
    writeFileSync(template, `${readFileSync(template, 'utf8')}# owner: \${OWNER_TEAM}\n`)
    const result = await runMake('instance-new', { ...acmeVariables, NAME: 'initech', K8S_DIR: dir })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(`init-job.yaml has \${OWNER_TEAM}, which instance-new has no value for`)
    expect(readdirSync(join(dir, 'overlays')).sort()).toEqual(['acme', 'globex'])
  })
})

describe('make instance-stream', () => {
  it("refuses the stream of another instance's table", async () => {
    const result = await runMake('instance-stream', {
      INSTANCE: 'globex',
      DRY_RUN: '1',
      TABLE_STREAM_ARN: acmeStreamArn,
    })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('is the stream of table percolate-acme, not of percolate-globex')
  })

  it("lists event-source.yaml in the resources, replacing the template's comment", () => {
    const template = readFileSync(join(k8sDir, 'instance-template/kustomization.yaml'), 'utf8')
    const updated = addEventSourceResource(template)
    expect(updated).toMatch(/^ {2}- event-source\.yaml$/m)
    expect(updated).not.toContain('# - event-source.yaml')
    expect(addEventSourceResource(updated)).toBe(updated)
    expect(addEventSourceResource('resources:\n  - a.yaml\nimages: []\n')).toBe(
      'resources:\n  - a.yaml\n  - event-source.yaml\nimages: []\n',
    )
  })
})

describe('make deploy DRY_RUN=1', () => {
  it('renders the overlay, then syncs the Application and waits for both rollouts', async () => {
    const result = await runMake('deploy', { INSTANCE: 'acme', DRY_RUN: '1' })
    const commands = commandsOf(result)
    expect(commands).toContain('+ kubectl kustomize infra/k8s/overlays/acme')
    expect(commands).toContain('+ git status --porcelain -- infra/k8s/overlays/acme infra/k8s/base')
    expect(
      commands.some((line) =>
        /^\+ (argocd app sync percolate-acme|kubectl -n argocd patch application percolate-acme )/.test(line),
      ),
    ).toBe(true)
    expect(commands).toContain(
      '+ kubectl -n percolate-acme rollout status deployment/percolate-server --timeout=600s',
    )
    expect(commands).toContain(
      '+ kubectl -n percolate-acme rollout status deployment/percolate-web --timeout=600s',
    )
  })

  it('stops on uncommitted changes under the overlay: Argo CD deploys what is pushed', async () => {
    const dir = copyK8sDir()
    temporaryDirs.push(join(dir, '..'))
    const git = (...args: string[]) => Bun.spawnSync(['git', '-C', dir, ...args], { stderr: 'pipe' })
    git('init', '-q')
    git('add', '.')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'overlays')
    const clean = await runMake('deploy', { INSTANCE: 'acme', DRY_RUN: '1', K8S_DIR: dir })
    expect(clean.stderr).not.toContain('uncommitted')
    expect(clean.code).toBe(0)
    writeFileSync(join(dir, 'overlays/acme/extra.yaml'), 'kind: ConfigMap\n')
    const dirty = await runMake('deploy', { INSTANCE: 'acme', DRY_RUN: '1', K8S_DIR: dir })
    expect(dirty.code).not.toBe(0)
    expect(dirty.stderr).toContain('1 uncommitted change under overlays/acme base (overlays/acme/extra.yaml)')
    expect(commandsOf(dirty)).toContain(
      '+ kubectl -n percolate-acme rollout status deployment/percolate-server --timeout=600s',
    )
  })
})

describe('make status DRY_RUN=1', () => {
  it('shows Argo CD, the workloads, jobs and pods, then runs the status Job and prints its logs', async () => {
    const result = await runMake('status', { INSTANCE: 'globex', DRY_RUN: '1' })
    expect(result.code).toBe(0)
    const commands = commandsOf(result)
    expect(commands).toContain('+ kubectl -n argocd get application percolate-globex -o wide')
    expect(commands).toContain('+ kubectl -n percolate-globex get deployments,cronjobs -o wide')
    expect(commands).toContain('+ kubectl -n percolate-globex get pods -o wide')
    const create = commands.find((line) => line.includes(' create job '))
    const job = / create job (percolate-status-[0-9]{8}-[0-9]{6}) --from=cronjob\/percolate-status$/.exec(
      create ?? '',
    )?.[1]
    expect(job).toBeDefined()
    expect(commands).toContain(`+ kubectl -n percolate-globex logs job/${job} --all-containers`)
    expect(commands).toContain(
      `+ kubectl -n percolate-globex delete job ${job} --wait=false --ignore-not-found`,
    )
  })
})

describe('make destroy', () => {
  it('DRY_RUN=1 marks the table retained, never prompts, and shows both runs', async () => {
    const result = await runMake('destroy', { INSTANCE: 'acme', DRY_RUN: '1' })
    expect(result.code).toBe(0)
    expect(result.output).not.toContain('Type the instance name')
    const commands = commandsOf(result)
    expect(commands).toContain(
      '+ kubectl -n percolate-acme annotate --overwrite tables.dynamodb.services.k8s.aws --all services.k8s.aws/deletion-policy=retain',
    )
    expect(commands).toContain(
      '+ kubectl annotate --overwrite namespace percolate-acme dynamodb.services.k8s.aws/deletion-policy=retain',
    )
    expect(commands).toContain(
      '+ kubectl -n argocd delete application percolate-acme --ignore-not-found --wait=true --timeout=10m',
    )
    expect(result.stdout).toContain('git rm -r infra/k8s/overlays/acme')
    expect(commands.some((line) => line.includes('delete-table'))).toBe(false)
  })

  it('KEEP_TABLE=0 deletes the AWS table after the instance, deletion protection off first', async () => {
    const result = await runMake('destroy', { INSTANCE: 'acme', DRY_RUN: '1', KEEP_TABLE: '0' })
    expect(result.code).toBe(0)
    const commands = commandsOf(result)
    const namespaceDeleted = commands.findIndex((line) =>
      line.startsWith('+ kubectl delete namespace percolate-acme'),
    )
    const unprotected = commands.findIndex((line) => line.includes('--no-deletion-protection-enabled'))
    const deleted = commands.findIndex((line) => line.startsWith('+ aws dynamodb delete-table'))
    expect(namespaceDeleted).toBeGreaterThan(0)
    expect(unprotected).toBeGreaterThan(namespaceDeleted)
    expect(deleted).toBeGreaterThan(unprotected)
  })

  it('second run: refuses while the overlay is still on the upstream branch, then deletes what is left', async () => {
    const dir = copyK8sDir()
    const root = join(dir, '..')
    temporaryDirs.push(root)
    const git = (cwd: string, ...args: string[]) =>
      Bun.spawnSync(['git', '-C', cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        stderr: 'pipe',
      })
    git(root, 'init', '-q', '--bare', join(root, 'origin.git'))
    git(dir, 'init', '-q', '-b', 'main')
    git(dir, 'add', '.')
    git(dir, 'commit', '-q', '-m', 'overlays')
    git(dir, 'remote', 'add', 'origin', join(root, 'origin.git'))
    git(dir, 'push', '-q', '-u', 'origin', 'main')
    git(dir, 'rm', '-q', '-r', 'overlays/globex')
    git(dir, 'commit', '-q', '-m', 'Remove instance globex')
    const unpushed = await runMake('destroy', { INSTANCE: 'globex', DRY_RUN: '1', K8S_DIR: dir })
    expect(unpushed.code).not.toBe(0)
    expect(unpushed.stderr).toContain(
      'overlays/globex/kustomization.yaml is still on origin/main (as of the last fetch)',
    )
    git(dir, 'push', '-q')
    const pushed = await runMake('destroy', { INSTANCE: 'globex', DRY_RUN: '1', K8S_DIR: dir })
    expect(pushed.stderr).toBe('')
    expect(pushed.code).toBe(0)
    expect(commandsOf(pushed)).toEqual([
      '+ git cat-file -e origin/main:overlays/globex/kustomization.yaml',
      '+ kubectl annotate --overwrite namespace percolate-globex dynamodb.services.k8s.aws/deletion-policy=retain',
      '+ kubectl -n percolate-globex annotate --overwrite tables.dynamodb.services.k8s.aws --all services.k8s.aws/deletion-policy=retain',
      '+ kubectl -n argocd delete application percolate-globex --ignore-not-found --wait=true --timeout=10m',
      '+ kubectl delete namespace percolate-globex --ignore-not-found --wait=true --timeout=10m',
    ])
  })

  it('without a terminal or CONFIRM it changes nothing', async () => {
    const tools = writeFakeTools()
    const result = await runScript('destroy', { INSTANCE: 'acme' }, tools.bin)
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(
      'destroy needs a confirmation: run it in a terminal, or pass CONFIRM=acme',
    )
    expect(existsSync(tools.log)).toBe(false)
    const wrong = await runScript('destroy', { INSTANCE: 'acme', CONFIRM: 'globex' }, tools.bin)
    expect(wrong.stderr).toContain('CONFIRM "globex" is not the instance name')
    expect(existsSync(tools.log)).toBe(false)
  })
})

/**
 * kubectl and aws stand-ins: each call appends its argv (one JSON line) to calls.log and copies every file named
 * in its arguments (--from-file=K=path, file://path) to captured/, so a test can see what reached them and how.
 * `kubectl kustomize` runs the real kubectl.
 */
function writeFakeTools(): { bin: string; log: string; captured: string } {
  const dir = makeTemporaryDir()
  const bin = join(dir, 'bin')
  const log = join(dir, 'calls.log')
  const captured = join(dir, 'captured')
  mkdirSync(bin)
  mkdirSync(captured)
  const realKubectl = Bun.which('kubectl')!
  const script = (tool: string) => `#!/usr/bin/env bun
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
const args = process.argv.slice(2)
if (${JSON.stringify(tool)} === 'kubectl' && args[0] === 'kustomize') {
  const real = Bun.spawnSync([${JSON.stringify(realKubectl)}, ...args], { stdout: 'inherit', stderr: 'inherit' })
  process.exit(real.exitCode)
}
let stdin = ''
if (args.includes('-f') && args[args.indexOf('-f') + 1] === '-') stdin = readFileSync(0, 'utf8')
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool: ${JSON.stringify(tool)}, args, stdin }) + '\\n')
for (const arg of args) {
  const path = /^--from-file=[^=]+=(.+)$/.exec(arg)?.[1] ?? /^file:\\/\\/(.+)$/.exec(arg)?.[1]
  if (path) copyFileSync(path, ${JSON.stringify(captured)} + '/' + basename(path))
}
if (args[0] === 'create' && args[1] === 'secret') {
  console.log('apiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: ' + args[3] + '\\ndata:\\n  FAKE: ZmFrZQ==')
}
if (args.includes('describe-secret')) process.exit(254)
`
  for (const tool of ['kubectl', 'aws']) {
    writeFileSync(join(bin, tool), script(tool))
    chmodSync(join(bin, tool), 0o755)
  }
  return { bin, log, captured }
}

describe('make secrets', () => {
  const signingKey = generateSigningKey()
  const oidcSecret = 'oidc-client-secret-7f3a9c'
  // Built at run time so the secret scan of infra/ never sees a token-shaped string in this file.
  const slackToken = ['xoxb', '111-222-slacksecretvalue'].join('-')
  const pemBody = signingKey.split('\n')[1]!
  const telegramToken = '12345:telegram-secret-token'

  function writeEnvFile(): string {
    const file = join(makeTemporaryDir(), 'acme.env')
    writeFileSync(
      file,
      [
        '# secrets of acme',
        `SESSION_SIGNING_KEY="${signingKey.trimEnd().replaceAll('\n', '\\n')}"`,
        `OIDC_CLIENT_SECRETS='{"acme/okta": "${oidcSecret}"}'`,
        `export SLACK_BOT_TOKEN=${slackToken}`,
        '',
      ].join('\n'),
    )
    return file
  }

  it('DRY_RUN=1 names the keys with masked values and never prints a value', async () => {
    const result = await runMake('secrets', { INSTANCE: 'acme', DRY_RUN: '1', FROM: writeEnvFile() })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      `#   SESSION_SIGNING_KEY=<set, ${Buffer.byteLength(signingKey.trimEnd())} bytes>`,
    )
    expect(result.stdout).toContain('#   OIDC_CLIENT_SECRETS=<set, ')
    expect(result.stdout).toContain(`#   SLACK_BOT_TOKEN=<set, ${slackToken.length} bytes>`)
    for (const secret of [oidcSecret, slackToken, pemBody]) expect(result.output).not.toContain(secret)
    const commands = commandsOf(result)
    expect(
      commands.some((line) =>
        line.includes('kubectl create secret generic percolate-secrets --namespace=percolate-acme'),
      ),
    ).toBe(true)
    expect(commands.some((line) => line.includes('| kubectl apply --server-side'))).toBe(true)
    expect(
      commands.some((line) =>
        line.startsWith(
          '+ aws secretsmanager put-secret-value --secret-id percolate/acme/session-signing-key',
        ),
      ),
    ).toBe(true)
  })

  it('takes the keys from the environment and generates a signing key with GENERATE_KEY=1', async () => {
    const result = await runMake(
      'secrets',
      { INSTANCE: 'globex', DRY_RUN: '1', GENERATE_KEY: '1' },
      { env: { TELEGRAM_BOT_TOKEN: telegramToken } },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/# {3}SESSION_SIGNING_KEY=<generated, 2[0-9]{2} bytes>/)
    expect(result.stdout).toContain(`#   TELEGRAM_BOT_TOKEN=<set, ${telegramToken.length} bytes>`)
    expect(result.output).not.toContain('telegram-secret-token')
    expect(result.output).not.toContain('BEGIN PRIVATE KEY')
  })

  it('refuses a missing or malformed key by name, without quoting the value', async () => {
    const missing = await runMake('secrets', { INSTANCE: 'acme', DRY_RUN: '1' })
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('SESSION_SIGNING_KEY is required and the environment has none')
    const file = join(makeTemporaryDir(), 'bad.env')
    writeFileSync(file, `SESSION_SIGNING_KEY=not-a-key-${oidcSecret}\nOIDC_CLIENT_SECRETS=[${oidcSecret}]\n`)
    const bad = await runMake('secrets', { INSTANCE: 'acme', DRY_RUN: '1', FROM: file })
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('SESSION_SIGNING_KEY is not a PKCS#8 PEM private key')
    expect(bad.stderr).toContain('OIDC_CLIENT_SECRETS is not a JSON object of strings')
    expect(bad.output).not.toContain(oidcSecret)
  })

  it('passes values to kubectl and aws only through files, removed afterwards', async () => {
    const tools = writeFakeTools()
    const result = await runScript('secrets', { INSTANCE: 'acme', FROM: writeEnvFile() }, tools.bin)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    for (const secret of [oidcSecret, slackToken, pemBody]) expect(result.output).not.toContain(secret)
    const calls = readFileSync(tools.log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { tool: string; args: string[]; stdin: string })
    for (const call of calls) {
      for (const secret of [oidcSecret, slackToken, pemBody])
        expect(call.args.join(' ')).not.toContain(secret)
    }
    // The Secret went through kubectl create's files and then stdin; the Lambda's copy through file://.
    expect(readFileSync(join(tools.captured, 'SESSION_SIGNING_KEY'), 'utf8')).toBe(signingKey.trimEnd())
    expect(readFileSync(join(tools.captured, 'OIDC_CLIENT_SECRETS'), 'utf8')).toBe(
      `{"acme/okta": "${oidcSecret}"}`,
    )
    expect(readFileSync(join(tools.captured, 'SLACK_BOT_TOKEN'), 'utf8')).toBe(slackToken)
    const apply = calls.find((call) => call.args[0] === 'apply')
    expect(apply?.stdin).toContain('kind: Secret')
    const create = calls.find((call) => call.tool === 'aws' && call.args.includes('create-secret'))
    expect(create?.args).toContain('percolate/acme/session-signing-key')
    const fromFile = calls
      .find((call) => call.args[1] === 'secret')!
      .args.find((arg) => arg.startsWith('--from-file='))!
    expect(existsSync(/=([^=]+)$/.exec(fromFile)![1]!)).toBe(false)
  })

  it('reads dotenv quoting: double quotes with escapes, single quotes literal, comments', () => {
    const parsed = parseDotenv(
      'A="x\\ny"\nB=\'$lit\\n\'\nexport C=plain # note\nD="multi\nline"\n# comment\n',
      'test.env',
    )
    expect(Object.fromEntries(parsed)).toEqual({ A: 'x\ny', B: '$lit\\n', C: 'plain', D: 'multi\nline' })
    expect(() => parseDotenv('NOT A LINE', 'test.env')).toThrow('test.env line 1 is not KEY=value')
  })
})

describe("the ops scripts' parts", () => {
  it('prints commands the way a shell would take them back', () => {
    expect(formatCommand(['kubectl', '-n', 'percolate-acme', 'get', 'pods'])).toBe(
      'kubectl -n percolate-acme get pods',
    )
    expect(formatCommand(['kubectl', 'patch', '-p', '{"a":1}', "it's"])).toBe(
      `kubectl patch -p '{"a":1}' 'it'"'"'s'`,
    )
  })

  it('runs no command in a dry run, and fails the dry run that met a problem', async () => {
    const lines: string[] = []
    const plan = new Plan({
      dryRun: true,
      write: (line) => lines.push(line),
      writeError: (line) => lines.push(line),
    })
    const result = await plan.run(['false'])
    expect(result.code).toBe(0)
    expect(await plan.query(['kubectl', 'get', 'pods'])).toBeUndefined()
    plan.fail('the overlay is not pushed')
    expect(() => plan.finish()).toThrow('the dry run found 1 problem')
    expect(lines).toContain('+ false')
    expect(lines).toContain('error (a real run stops here): the overlay is not pushed')
  })

  it('names the status Job by the time, within the 63 characters of a name', () => {
    const job = nameStatusJob(new Date('2026-03-04T05:06:07.890Z'))
    expect(job).toBe('percolate-status-20260304-050607')
    expect(job.length).toBeLessThanOrEqual(63)
  })

  it('keeps the table unless KEEP_TABLE=0', () => {
    expect(readKeepTable({})).toBe(true)
    expect(readKeepTable({ KEEP_TABLE: '1' })).toBe(true)
    expect(readKeepTable({ KEEP_TABLE: '0' })).toBe(false)
  })

  it('tags images from git describe unless TAG is given, and never as latest', () => {
    expect(readImageOptions({ REGISTRY: 'r.example' }, () => 'v1.2.0-3-gabc1234').tag).toBe(
      'v1.2.0-3-gabc1234',
    )
    expect(readImageOptions({ REGISTRY: 'r.example', TAG: 'v2.0.0' }, () => 'unused').tag).toBe('v2.0.0')
    expect(() => readImageOptions({ REGISTRY: 'r.example' }, () => 'latest')).toThrow('TAG=latest is refused')
    expect(() => readImageOptions({ REGISTRY: 'https://r.example', TAG: 'v1' })).toThrow(
      'REGISTRY "https://r.example"',
    )
  })

  it('gives every ACK controller ACK_ROLE_ARN unless it has its own role', () => {
    const pinned = { ACK_DYNAMODB_CHART_VERSION: '1.0.0', ACK_IAM_CHART_VERSION: '1.0.0' }
    const versions = { ...pinned, ACK_LAMBDA_CHART_VERSION: '1.0.0', ACK_SES_CHART_VERSION: '1.0.0' }
    const { controllers } = readControllers({
      ...versions,
      ACK_ROLE_ARN: 'arn:aws:iam::123456789012:role/ack',
      ACK_ROLE_ARN_SES: 'arn:aws:iam::123456789012:role/ack-ses',
    })
    expect(controllers.map((controller) => controller.roleArn)).toEqual([
      'arn:aws:iam::123456789012:role/ack',
      'arn:aws:iam::123456789012:role/ack',
      'arn:aws:iam::123456789012:role/ack',
      'arn:aws:iam::123456789012:role/ack-ses',
    ])
    expect(() => readControllers({ ...pinned, ACK_ROLE_ARN: 'arn:aws:iam::1:role/x' })).toThrow(
      'ACK_LAMBDA_CHART_VERSION is not set',
    )
  })

  it('warns, without failing, when the overlay is outside any git work tree', async () => {
    const lines: string[] = []
    const plan = new Plan({
      dryRun: true,
      write: (line) => lines.push(line),
      writeError: (line) => lines.push(line),
    })
    await checkCommittedAndPushed(plan, [makeTemporaryDir()])
    expect(lines).toContain(
      'warning: not inside a git work tree: cannot check that the overlay is committed and pushed',
    )
    expect(() => plan.finish()).not.toThrow()
  })

  it('zips the Lambda bundle byte for byte the same each time, each file readable back', () => {
    const files = [
      {
        name: 'index.mjs',
        data: new TextEncoder().encode('export const handler = async () => 200\n'.repeat(40)),
      },
      { name: 'index.mjs.map', data: new TextEncoder().encode('{"version":3}') },
    ]
    const zip = zipFiles(files)
    expect(zipFiles(files)).toEqual(zip)
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
    const end = zip.byteLength - 22
    expect(view.getUint32(end, true)).toBe(0x06054b50)
    expect(view.getUint16(end + 10, true)).toBe(2)
    let offset = 0
    for (const file of files) {
      expect(view.getUint32(offset, true)).toBe(0x04034b50)
      const size = view.getUint32(offset + 18, true)
      const nameLength = view.getUint16(offset + 26, true)
      const name = new TextDecoder().decode(zip.subarray(offset + 30, offset + 30 + nameLength))
      const data = inflateRawSync(zip.subarray(offset + 30 + nameLength, offset + 30 + nameLength + size))
      expect(name).toBe(file.name)
      expect(new Uint8Array(data)).toEqual(file.data)
      expect(view.getUint32(offset + 14, true)).toBe(Bun.hash.crc32(file.data) >>> 0)
      offset += 30 + nameLength + size
    }
  })
})
