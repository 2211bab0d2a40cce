// `make argocd-setup [REPO_URL=<your fork>] [REPO_REVISION=<branch>]`: Argo CD at the version pinned in the
// Makefile (ARGOCD_VERSION), then the project's AppProject and ApplicationSet (infra/argocd, rendered with
// kubectl kustomize), pointed at the repository Argo CD should follow. The ApplicationSet makes one Application
// per overlay directory in that repository.
import { join, resolve } from 'node:path'
import { type KubeObject, renderOverlay } from './kustomize.ts'
import {
  argocdNamespace,
  createPlan,
  displayPath,
  type Env,
  OpsError,
  type Plan,
  readValue,
  repoRoot,
  runMain,
} from './plan.ts'

const setupKinds = new Set(['AppProject', 'ApplicationSet'])
const argocdCrds = ['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io']
const repoUrlPattern = /^(?:https:\/\/[^\s/]+\/\S+|ssh:\/\/\S+|git@[^\s:]+:\S+)$/
const revisionPattern = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$/

export function readArgocdVersion(env: Env): string {
  const version = readValue(env, 'ARGOCD_VERSION')
  if (!version) throw new OpsError('ARGOCD_VERSION is not set: run this through make, which pins it')
  if (!/^v[0-9]+\.[0-9]+\.[0-9]+$/.test(version)) {
    throw new OpsError(`ARGOCD_VERSION "${version}" is not a release tag like v3.5.1`)
  }
  return version
}

type ApplicationSetSpec = {
  generators?: { git?: { repoURL?: string; revision?: string } }[]
  template?: { spec?: { source?: { repoURL?: string; targetRevision?: string } } }
}

/** The repository and revision the committed ApplicationSet follows (its git generator). */
export function readFollowedRepository(objects: KubeObject[]): { url: string; revision: string } | undefined {
  const applicationSet = objects.find((object) => object.kind === 'ApplicationSet')
  const git = (applicationSet?.spec as ApplicationSetSpec | undefined)?.generators?.find((g) => g.git)?.git
  return git?.repoURL ? { url: git.repoURL, revision: git.revision ?? 'HEAD' } : undefined
}

/**
 * The objects with every mention of the committed repository replaced by `url` (AppProject sourceRepos, the
 * generator, the Application template) and the generator's and template's revision set to `revision`.
 */
export function pointAtRepository(
  objects: KubeObject[],
  from: string,
  to: { url: string; revision: string },
): KubeObject[] {
  const replace = (value: unknown): unknown => {
    if (value === from) return to.url
    if (Array.isArray(value)) return value.map(replace)
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replace(inner)]))
    }
    return value
  }
  return objects.map((object) => {
    const changed = replace(object) as KubeObject
    if (changed.kind === 'ApplicationSet') {
      const spec = changed.spec as ApplicationSetSpec
      for (const generator of spec.generators ?? []) if (generator.git) generator.git.revision = to.revision
      if (spec.template?.spec?.source) spec.template.spec.source.targetRevision = to.revision
    }
    return changed
  })
}

function readOriginUrl(): string | undefined {
  const result = Bun.spawnSync(['git', 'remote', 'get-url', 'origin'], { cwd: repoRoot, stderr: 'pipe' })
  return result.exitCode === 0 ? result.stdout.toString().trim() || undefined : undefined
}

export async function installArgocd(plan: Plan, version: string): Promise<void> {
  plan.note(`Argo CD ${version} in namespace ${argocdNamespace}`)
  await plan.pipe(
    ['kubectl', 'create', 'namespace', argocdNamespace, '--dry-run=client', '-o', 'yaml'],
    ['kubectl', 'apply', '-f', '-'],
  )
  // Server-side: some Argo CD CRDs are too large for the last-applied annotation of a client-side apply.
  await plan.run([
    'kubectl',
    'apply',
    '-n',
    argocdNamespace,
    '--server-side',
    '--force-conflicts',
    '-f',
    `https://raw.githubusercontent.com/argoproj/argo-cd/${version}/manifests/install.yaml`,
  ])
  await plan.run([
    'kubectl',
    'wait',
    '--for=condition=Established',
    ...argocdCrds.map((crd) => `crd/${crd}`),
    '--timeout=120s',
  ])
  for (const deployment of ['argocd-server', 'argocd-repo-server', 'argocd-applicationset-controller']) {
    await plan.run([
      'kubectl',
      '-n',
      argocdNamespace,
      'rollout',
      'status',
      `deployment/${deployment}`,
      '--timeout=300s',
    ])
  }
}

export async function applyProject(plan: Plan, env: Env, argocdDir: string): Promise<void> {
  plan.note(`the project's AppProject and ApplicationSet (${displayPath(argocdDir)})`)
  const { objects } = await renderOverlay(plan, argocdDir)
  const selected = objects.filter((object) => setupKinds.has(object.kind ?? ''))
  for (const object of objects.filter((object) => !setupKinds.has(object.kind ?? ''))) {
    plan.note(`left out: ${object.kind}/${object.metadata?.name}`)
  }
  const committed = readFollowedRepository(selected)
  if (selected.length === 0 || !committed) {
    plan.fail(`${displayPath(argocdDir)} renders no ApplicationSet with a git generator`)
    return
  }
  const url = readValue(env, 'REPO_URL') ?? committed.url
  const revision = readValue(env, 'REPO_REVISION') ?? committed.revision
  if (!repoUrlPattern.test(url)) {
    throw new OpsError(
      `REPO_URL "${url}" is not a git repository URL (https://host/org/repo.git or git@host:org/repo)`,
    )
  }
  if (!revisionPattern.test(revision))
    throw new OpsError(`REPO_REVISION "${revision}" is not a branch or tag name`)
  const origin = readOriginUrl()
  if (!readValue(env, 'REPO_URL') && origin && origin !== url) {
    plan.warn(
      `Argo CD will follow ${url}, but this clone's origin is ${origin}: set REPO_URL=${origin} if that is yours`,
    )
  }
  plan.note(
    `Argo CD follows ${url} at ${revision}; objects: ${selected.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`,
  )
  const pointed = pointAtRepository(selected, committed.url, { url, revision })
  await plan.run(['kubectl', 'apply', '-n', argocdNamespace, '--server-side', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pointed }),
  })
  plan.note(
    'a private repository also needs its credentials in Argo CD: argocd repo add <url> ... (docs/operations.md)',
  )
}

export async function argocdSetup(env: Env): Promise<void> {
  const version = readArgocdVersion(env)
  const plan = createPlan(env)
  plan.requireTool('kubectl')
  const fromEnv = readValue(env, 'ARGOCD_DIR')
  const argocdDir = fromEnv ? resolve(fromEnv) : join(repoRoot, 'infra/argocd')
  await installArgocd(plan, version)
  await applyProject(plan, env, argocdDir)
  plan.finish()
}

if (import.meta.main) await runMain('argocd-setup', argocdSetup)
