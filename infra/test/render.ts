// Renders the manifests the way Argo CD and `make render` do (`kubectl kustomize`), so every test checks the
// objects that would reach the cluster, not the files that produce them.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob'
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec'
import { parse, parseAllDocuments, stringify } from 'yaml'

export const repoRoot = resolve(import.meta.dir, '../..')
export const infraDir = join(repoRoot, 'infra')
export const overlaysDir = join(infraDir, 'k8s/overlays')
export const argocdDir = join(infraDir, 'argocd')

export type Manifest = {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    finalizers?: string[]
  }
  [field: string]: unknown
}

/** `Kind/name`, the way a person looks for an object in a rendered file. */
export function describeManifest(manifest: Manifest): string {
  return `${manifest.kind}/${manifest.metadata?.name ?? '<no name>'}`
}

/** The objects of one kind, typed as the caller knows them (kubernetes-models' interfaces for core kinds). */
export function selectKind<T extends object = Manifest>(
  manifests: Manifest[],
  kind: string,
): (T & Manifest)[] {
  return manifests.filter((manifest) => manifest.kind === kind) as (T & Manifest)[]
}

/** The instances are exactly the directories under infra/k8s/overlays: adding one adds an Application. */
export function listInstances(): string[] {
  if (!existsSync(overlaysDir)) return []
  return readdirSync(overlaysDir)
    .filter((entry) => statSync(join(overlaysDir, entry)).isDirectory())
    .sort()
}

/** Fails with what to install rather than letting every manifest test pass vacuously. */
export function requireKubectl(): string {
  const kubectl = Bun.which('kubectl')
  if (!kubectl) {
    throw new Error(
      'kubectl is not on PATH: the manifest tests render every overlay with `kubectl kustomize`. Install kubectl ' +
        '(Debian/Ubuntu: `apt-get install kubectl`; otherwise https://kubernetes.io/docs/tasks/tools/) and run again.',
    )
  }
  return kubectl
}

/** Where this workplace keeps the shared design notes and CRDs (../shared from its checkout at /work/main). */
const workplaceCrds = '/work/shared/crds'

const hasCrdFiles = (dir: string) => existsSync(dir) && readdirSync(dir).some((file) => /\.ya?ml$/.test(file))

/**
 * The upstream CRD files the custom resources must match: CRDS_DIR, else `shared/crds` next to the repository or
 * next to one of its parent folders (a CI clone may sit a level deeper than the developer's checkout), else the
 * workplace's own shared folder.
 */
export function findCrdsDir(): string {
  const fromEnv = process.env.CRDS_DIR
  if (fromEnv) {
    const dir = resolve(fromEnv)
    if (hasCrdFiles(dir)) return dir
    throw new Error(
      `No CRD files (*.yaml) in ${dir} (from CRDS_DIR): the custom resources (ACK, Argo CD, Argo Workflows) are ` +
        'validated against the upstream CustomResourceDefinitions. Point CRDS_DIR at a directory that holds them.',
    )
  }
  const tried: string[] = []
  for (let folder = resolve(repoRoot, '..'); ; folder = dirname(folder)) {
    const dir = join(folder, 'shared/crds')
    tried.push(dir)
    if (hasCrdFiles(dir)) return dir
    if (dirname(folder) === folder) break
  }
  // The workplace's shared folder, for a clone made elsewhere (a `mktemp -d` rehearsal of CI, say).
  if (hasCrdFiles(workplaceCrds)) return workplaceCrds
  tried.push(workplaceCrds)
  throw new Error(
    `No CRD files (*.yaml) in ${tried.join(', ')}: the custom resources (ACK, Argo CD, Argo Workflows) are ` +
      `validated against the upstream CustomResourceDefinitions. Put them in ${tried[0]} or point CRDS_DIR at a ` +
      'directory that holds them.',
  )
}

/** Every document of a multi-document YAML text, as plain objects; a syntax error names the source. */
export function parseManifests(text: string, source: string): Manifest[] {
  const manifests: Manifest[] = []
  for (const [index, document] of parseAllDocuments(text).entries()) {
    if (document.errors.length > 0) {
      throw new Error(
        `${source}: YAML document ${index + 1}: ${document.errors.map((e) => e.message).join('; ')}`,
      )
    }
    const value = document.toJS() as unknown
    if (value === null || value === undefined) continue
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${source}: YAML document ${index + 1} is not a Kubernetes object (a mapping)`)
    }
    manifests.push(value as Manifest)
  }
  return manifests
}

/** `kubectl kustomize <dir>`, parsed; kustomize's own message when the kustomization is broken. */
export function renderKustomization(dir: string): Manifest[] {
  const kubectl = requireKubectl()
  const result = Bun.spawnSync([kubectl, 'kustomize', dir], { stdout: 'pipe', stderr: 'pipe' })
  const where = relative(repoRoot, dir)
  if (result.exitCode !== 0) {
    throw new Error(
      `kubectl kustomize ${where} failed (exit ${result.exitCode}): ${result.stderr.toString().trim()}`,
    )
  }
  return parseManifests(result.stdout.toString(), `kubectl kustomize ${where}`)
}

const renderedInstances = new Map<string, Manifest[]>()

/** One render per overlay and test file: kubectl takes up to a second for each. */
export function renderInstance(instance: string): Manifest[] {
  let manifests = renderedInstances.get(instance)
  if (!manifests) {
    manifests = renderKustomization(join(overlaysDir, instance))
    renderedInstances.set(instance, manifests)
  }
  return manifests
}

const renderedWithComponents = new Map<string, Manifest[]>()

/**
 * Renders an overlay as if `components: [<component>]` had been added to its kustomization.yaml, the way the
 * optional components (e.g. infra/argocd/round-workflow) are meant to be used. The overlay is copied into a
 * temporary tree that links everything else back to the repository, so its relative paths still resolve and the
 * repository is never written to.
 */
export function renderInstanceWithComponent(instance: string, componentDir: string): Manifest[] {
  const key = `${instance}\0${componentDir}`
  const cached = renderedWithComponents.get(key)
  if (cached) return cached
  const overlayDir = join(overlaysDir, instance)
  const scratch = mkdtempSync(join(tmpdir(), 'percolate-render-'))
  try {
    // Link every sibling along the way from the repository root to the overlay; copy the overlay itself.
    let real = repoRoot
    let mirror = scratch
    for (const step of relative(repoRoot, overlayDir).split(sep)) {
      for (const entry of readdirSync(real)) {
        if (entry !== step) symlinkSync(join(real, entry), join(mirror, entry))
      }
      real = join(real, step)
      mirror = join(mirror, step)
      mkdirSync(mirror)
    }
    cpSync(overlayDir, mirror, { recursive: true })
    const kustomizationFile = join(mirror, 'kustomization.yaml')
    const kustomization = parse(readFileSync(kustomizationFile, 'utf8')) as { components?: string[] }
    kustomization.components = [...(kustomization.components ?? []), relative(overlayDir, componentDir)]
    writeFileSync(kustomizationFile, stringify(kustomization))
    const manifests = renderKustomization(mirror)
    renderedWithComponents.set(key, manifests)
    return manifests
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Directories under `dir` whose kustomization is a `kind: Component` (opt-in parts of an overlay). */
export function listComponents(dir: string): string[] {
  return listYamlFiles(dir)
    .filter((file) => /(^|\/)kustomization\.ya?ml$/.test(file))
    .filter((file) => (parse(readFileSync(file, 'utf8')) as { kind?: string } | null)?.kind === 'Component')
    .map((file) => dirname(file))
}

function listYamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return listYamlFiles(path)
      return /\.ya?ml$/.test(entry.name) ? [path] : []
    })
    .sort()
}

let argocdManifests: Manifest[] | undefined

/** infra/argocd as applied by `make argocd-setup`: rendered when it is a kustomization, read file by file if not. */
export function loadArgocdManifests(): Manifest[] {
  if (argocdManifests) return argocdManifests
  if (!existsSync(argocdDir)) throw new Error(`${relative(repoRoot, argocdDir)} does not exist`)
  const isKustomization = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((file) =>
    existsSync(join(argocdDir, file)),
  )
  argocdManifests = isKustomization
    ? renderKustomization(argocdDir)
    : listYamlFiles(argocdDir).flatMap((file) =>
        parseManifests(readFileSync(file, 'utf8'), relative(repoRoot, file)),
      )
  return argocdManifests
}

type PodTemplateHolder = { template?: { spec?: IPodSpec } }

/** The pod spec of a workload and the path to it, for every kind that runs pods. */
export function findPodSpec(manifest: Manifest): { path: string; spec: IPodSpec } | undefined {
  const empty: IPodSpec = { containers: [] }
  switch (manifest.kind) {
    case 'Pod':
      return { path: 'spec', spec: (manifest.spec as IPodSpec | undefined) ?? empty }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return {
        path: 'spec.template.spec',
        spec: (manifest.spec as PodTemplateHolder)?.template?.spec ?? empty,
      }
    case 'CronJob':
      return {
        path: 'spec.jobTemplate.spec.template.spec',
        spec: (manifest as unknown as ICronJob).spec?.jobTemplate.spec?.template.spec ?? empty,
      }
    default:
      return undefined
  }
}
