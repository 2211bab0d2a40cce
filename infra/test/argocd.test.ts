// infra/argocd: the AppProject fences what Argo CD may deploy and where, the ApplicationSet turns every overlay
// directory into one self-healing Application, and the CronWorkflow is a valid, restricted alternative to the
// round CronJob. The ApplicationSet's git directories generator is evaluated here against the real directories.
import { describe, expect, it } from 'bun:test'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext'
import type { IVolume } from 'kubernetes-models/v1/Volume'
import {
  argocdDir,
  describeManifest,
  listComponents,
  listInstances,
  loadArgocdManifests,
  type Manifest,
  renderInstance,
  renderInstanceWithComponent,
  repoRoot,
} from './render.ts'
import {
  type ContainerLike,
  checkContainer,
  checkPodSecurityContext,
  findMissingConfigMaps,
  loadCrdCatalog,
  splitApiVersion,
  validateManifest,
} from './validate.ts'

const instances = listInstances()

const ofKind = (kind: string) => loadArgocdManifests().filter((m) => m.kind === kind)
type Destination = { server?: string; name?: string; namespace?: string }

/** The fields of the Argo CD and Argo Workflows resources these tests read (the CRDs check the rest). */
type GroupKind = { group: string; kind: string }
type AppProjectSpec = {
  sourceRepos?: string[]
  destinations?: Destination[]
  clusterResourceWhitelist?: GroupKind[]
  namespaceResourceWhitelist?: GroupKind[]
  namespaceResourceBlacklist?: GroupKind[]
}
type ApplicationSpec = {
  project?: string
  source?: { repoURL?: string; path?: string }
  destination?: Destination
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean }
    syncOptions?: string[]
    retry?: { limit?: number; backoff?: { duration?: string; factor?: number; maxDuration?: string } }
  }
}
type ApplicationSetSpec = {
  goTemplate?: boolean
  generators?: { git?: Partial<GitDirectoriesGenerator> }[]
  template?: { metadata?: Manifest['metadata']; spec?: ApplicationSpec }
}
type WorkflowTemplate = {
  name?: string
  volumes?: IVolume[]
  container?: ContainerLike
  script?: ContainerLike
  initContainers?: ContainerLike[]
  sidecars?: ContainerLike[]
  containerSet?: { containers?: ContainerLike[] }
}
type CronWorkflowSpec = {
  concurrencyPolicy?: string
  timezone?: string
  workflowSpec?: {
    securityContext?: IPodSecurityContext
    templates?: WorkflowTemplate[]
    volumes?: IVolume[]
  }
}

const specOf = <T>(manifest: Manifest) => (manifest.spec ?? {}) as T

/** Argo CD's glob (`*` within one path segment, `**` across), as a RegExp over a whole path. */
function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split(/(\*\*|\*|\?)/)
    .map((part) =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('')
  return new RegExp(`^${pattern}$`)
}

/** Every directory of the repository, relative to its root, down to the depth a generator path could need. */
function listRepoDirectories(dir = '', depth = 5): string[] {
  if (depth === 0) return []
  return readdirSync(join(repoRoot, dir))
    .filter((entry) => !entry.startsWith('.') && entry !== 'node_modules')
    .map((entry) => (dir ? `${dir}/${entry}` : entry))
    .filter((path) => statSync(join(repoRoot, path)).isDirectory())
    .flatMap((path) => [path, ...listRepoDirectories(path, depth - 1)])
}

type GitDirectoriesGenerator = {
  repoURL: string
  revision?: string
  directories: { path: string; exclude?: boolean }[]
  pathParamPrefix?: string
}

/** The directories a git directories generator yields (exclusions win, as in Argo CD). */
function evaluateDirectoriesGenerator(generator: GitDirectoriesGenerator): string[] {
  const include = generator.directories.filter((d) => !d.exclude).map((d) => globToRegExp(d.path))
  const exclude = generator.directories.filter((d) => d.exclude).map((d) => globToRegExp(d.path))
  return listRepoDirectories().filter(
    (path) => include.some((pattern) => pattern.test(path)) && !exclude.some((pattern) => pattern.test(path)),
  )
}

/**
 * Fills an ApplicationSet template for one directory, with the parameters of a git directories generator: the
 * default fasttemplate (`{{path}}`, `{{path.basename}}`, `{{path[1]}}`) or, with goTemplate, `{{.path.path}}`,
 * `{{.path.basename}}`, `{{index .path.segments 1}}`. Anything else stays as it is, for the test to name.
 */
function fillTemplate(template: unknown, path: string, goTemplate: boolean, prefix?: string): unknown {
  const segments = path.split('/')
  const basename = segments.at(-1) ?? ''
  const basenameNormalized = basename.replace(/[^a-zA-Z0-9-]/g, '-')
  const root = prefix ? `${prefix}.path` : 'path'
  const params = new Map<string, string>(
    goTemplate
      ? [
          [`.${root}.path`, path],
          [`.${root}.basename`, basename],
          [`.${root}.basenameNormalized`, basenameNormalized],
          ...segments.map((segment, index): [string, string] => [
            `index .${root}.segments ${index}`,
            segment,
          ]),
        ]
      : [
          [root, path],
          [`${root}.basename`, basename],
          [`${root}.basenameNormalized`, basenameNormalized],
          ...segments.map((segment, index): [string, string] => [`${root}[${index}]`, segment]),
        ],
  )
  const substitute = (text: string) =>
    text.replace(
      /\{\{-?\s*([^{}]*?)\s*-?\}\}/g,
      (whole, expression: string) => params.get(expression) ?? whole,
    )
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return substitute(value)
    if (Array.isArray(value)) return value.map(walk)
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [substitute(key), walk(item)]))
    }
    return value
  }
  return walk(template)
}

/** The Applications the ApplicationSet makes from the directories that exist now. */
function generateApplications(applicationSet: Manifest): { directory: string; application: Manifest }[] {
  const spec = specOf<ApplicationSetSpec>(applicationSet)
  const generators = (spec.generators ?? [])
    .map((generator) => generator.git)
    .filter((git): git is GitDirectoriesGenerator => git?.directories !== undefined)
  return generators.flatMap((generator) =>
    evaluateDirectoriesGenerator(generator).map((directory) => {
      const filled = fillTemplate(
        spec.template,
        directory,
        spec.goTemplate === true,
        generator.pathParamPrefix,
      ) as {
        metadata: Manifest['metadata']
        spec: unknown
      }
      return {
        directory,
        application: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...filled } as Manifest,
      }
    }),
  )
}

const components = listComponents(argocdDir)

/** Every CronWorkflow as it would be applied: from infra/argocd itself, or from a component in each overlay. */
function collectCronWorkflows(): { source: string; cronWorkflow: Manifest; rendered: Manifest[] }[] {
  const sources = [
    { source: 'infra/argocd', rendered: loadArgocdManifests() },
    ...components.flatMap((component) =>
      instances.map((instance) => ({
        source: `${instance} with ${relative(repoRoot, component)}`,
        rendered: renderInstanceWithComponent(instance, component),
      })),
    ),
  ]
  return sources.flatMap(({ source, rendered }) =>
    rendered
      .filter((m) => m.kind === 'CronWorkflow')
      .map((cronWorkflow) => ({ source, cronWorkflow, rendered })),
  )
}

describe('infra/argocd', () => {
  it('has only objects that validate against their CRD or core schema', async () => {
    const crds = loadCrdCatalog()
    const manifests = loadArgocdManifests()
    expect(manifests.length).toBeGreaterThan(0)
    const problems: string[] = []
    for (const manifest of manifests) {
      for (const problem of await validateManifest(manifest, crds)) {
        problems.push(`infra/argocd: ${describeManifest(manifest)}: ${problem}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('has exactly one AppProject and one ApplicationSet, and a CronWorkflow', () => {
    expect({
      appProjects: ofKind('AppProject').length,
      applicationSets: ofKind('ApplicationSet').length,
      cronWorkflows: collectCronWorkflows().length > 0,
    }).toEqual({ appProjects: 1, applicationSets: 1, cronWorkflows: true })
  })
})

for (const component of components) {
  const name = relative(repoRoot, component)

  describe(`the component ${name} in each overlay`, () => {
    for (const instance of instances) {
      it(`renders into ${instance} with only valid objects, all in percolate-${instance}`, async () => {
        const crds = loadCrdCatalog()
        const problems: string[] = []
        for (const manifest of renderInstanceWithComponent(instance, component)) {
          for (const problem of await validateManifest(manifest, crds)) {
            problems.push(`${instance} + ${name}: ${describeManifest(manifest)}: ${problem}`)
          }
          const namespace = manifest.metadata.namespace
          if (manifest.kind !== 'Namespace' && namespace !== `percolate-${instance}`) {
            problems.push(
              `${instance} + ${name}: ${describeManifest(manifest)}: metadata.namespace is ${namespace}`,
            )
          }
        }
        expect(problems).toEqual([])
      })

      it(`replaces ${instance}'s round CronJob instead of running the round twice`, () => {
        const rendered = renderInstanceWithComponent(instance, component)
        const cronWorkflows = rendered.filter((m) => m.kind === 'CronWorkflow').map((m) => m.metadata.name)
        const cronJobs = rendered.filter((m) => m.kind === 'CronJob').map((m) => m.metadata.name)
        expect(cronJobs.filter((cronJob) => cronWorkflows.includes(cronJob))).toEqual([])
      })
    }
  })
}

describe('the AppProject', () => {
  const project = () => specOf<AppProjectSpec>(ofKind('AppProject')[0]!)

  it('allows named source repositories only, never *', () => {
    const sourceRepos: string[] = project().sourceRepos ?? []
    expect(sourceRepos.length).toBeGreaterThan(0)
    expect(sourceRepos.filter((repo) => repo.includes('*'))).toEqual([])
  })

  it('deploys only to percolate-* namespaces', () => {
    const destinations = project().destinations ?? []
    expect(destinations.length).toBeGreaterThan(0)
    const problems = destinations
      .filter(
        (d) => !/^percolate-([a-z0-9-]+|\*)$/.test(d.namespace ?? '') || d.server === '*' || d.name === '*',
      )
      .map((d) => `destination ${JSON.stringify(d)} is not limited to a percolate-* namespace of one cluster`)
    expect(problems).toEqual([])
  })

  it('admits every kind the overlays render, with or without the components, and no Secret', () => {
    const spec = project()
    const allows = (list: { group: string; kind: string }[] | undefined, group: string, kind: string) =>
      (list ?? []).some(
        (entry) => globToRegExp(entry.group).test(group) && globToRegExp(entry.kind).test(kind),
      )
    const renders = instances.flatMap((instance) => [
      { source: instance, manifests: renderInstance(instance) },
      ...components.map((component) => ({
        source: `${instance} with ${relative(repoRoot, component)}`,
        manifests: renderInstanceWithComponent(instance, component),
      })),
    ])
    const problems = renders.flatMap(({ source, manifests }) =>
      manifests.flatMap((manifest) => {
        const group = splitApiVersion(manifest.apiVersion).group
        const where = `${source}: ${describeManifest(manifest)} (group "${group}")`
        if (manifest.metadata.namespace === undefined) {
          return allows(spec.clusterResourceWhitelist, group, manifest.kind)
            ? []
            : [`${where}: not in clusterResourceWhitelist`]
        }
        if (
          spec.namespaceResourceWhitelist &&
          !allows(spec.namespaceResourceWhitelist, group, manifest.kind)
        ) {
          return [`${where}: not in namespaceResourceWhitelist`]
        }
        return allows(spec.namespaceResourceBlacklist, group, manifest.kind)
          ? [`${where}: in namespaceResourceBlacklist`]
          : []
      }),
    )
    expect(renders.length).toBeGreaterThan(0)
    expect([...new Set(problems)]).toEqual([])
  })

  it('allows no cluster-scoped kind except Namespace', () => {
    const whitelist = project().clusterResourceWhitelist ?? []
    expect(whitelist.filter((entry) => !(entry.group === '' && entry.kind === 'Namespace'))).toEqual([])
  })
})

describe('the ApplicationSet', () => {
  const applicationSet = () => ofKind('ApplicationSet')[0]!

  it('yields one Application per overlay directory, each validating against the Application CRD', async () => {
    const generated = generateApplications(applicationSet())
    expect(generated.map(({ directory }) => directory).sort()).toEqual(
      instances.map((instance) => `infra/k8s/overlays/${instance}`),
    )
    const names = generated.map(({ application }) => application.metadata?.name)
    expect(new Set(names).size).toBe(names.length)
    const crds = loadCrdCatalog()
    const problems: string[] = []
    for (const { directory, application } of generated) {
      for (const problem of await validateManifest(application, crds))
        problems.push(`${directory}: ${problem}`)
      for (const [path, value] of [
        ['metadata.name', application.metadata?.name],
        ['spec', JSON.stringify(application.spec)],
      ] as const) {
        if (typeof value === 'string' && /\{\{/.test(value))
          problems.push(`${directory}: ${path} has unfilled {{…}}`)
      }
    }
    expect(problems).toEqual([])
  })

  it("deploys each overlay to that instance's namespace from that directory", () => {
    const sourceRepos = specOf<AppProjectSpec>(ofKind('AppProject')[0]!).sourceRepos ?? []
    const projectName = ofKind('AppProject')[0]!.metadata.name
    const mismatches = generateApplications(applicationSet()).flatMap(({ directory, application }) => {
      const spec = specOf<ApplicationSpec>(application)
      const instance = directory.split('/').at(-1)
      const problems: string[] = []
      if (spec.destination?.namespace !== `percolate-${instance}`) {
        problems.push(`spec.destination.namespace is ${spec.destination?.namespace}`)
      }
      if (spec.source?.path !== directory) problems.push(`spec.source.path is ${spec.source?.path}`)
      if (!sourceRepos.includes(spec.source?.repoURL ?? '<unset>')) {
        problems.push(`spec.source.repoURL ${spec.source?.repoURL} is not in the AppProject's sourceRepos`)
      }
      if (spec.project !== projectName) problems.push(`spec.project is ${spec.project}, not ${projectName}`)
      return problems.map((problem) => `${directory}: ${problem}`)
    })
    expect(mismatches).toEqual([])
  })

  it('syncs automatically with prune, self-heal, CreateNamespace, retries with backoff and the finalizer', () => {
    const problems = generateApplications(applicationSet()).flatMap(({ directory, application }) => {
      const syncPolicy = specOf<ApplicationSpec>(application).syncPolicy ?? {}
      const found: string[] = []
      if (syncPolicy.automated?.prune !== true) found.push('spec.syncPolicy.automated.prune must be true')
      if (syncPolicy.automated?.selfHeal !== true)
        found.push('spec.syncPolicy.automated.selfHeal must be true')
      if (!(syncPolicy.syncOptions ?? []).includes('CreateNamespace=true')) {
        found.push('spec.syncPolicy.syncOptions must contain CreateNamespace=true')
      }
      if (!((syncPolicy.retry?.limit ?? 0) > 0)) found.push('spec.syncPolicy.retry.limit must be above 0')
      const backoff = syncPolicy.retry?.backoff ?? {}
      for (const field of ['duration', 'factor', 'maxDuration'] as const) {
        if (backoff[field] === undefined) found.push(`spec.syncPolicy.retry.backoff.${field}: missing`)
      }
      const finalizers: string[] = application.metadata?.finalizers ?? []
      if (!finalizers.some((f) => f.startsWith('resources-finalizer.argocd.argoproj.io'))) {
        found.push('metadata.finalizers must contain resources-finalizer.argocd.argoproj.io')
      }
      return found.map((problem) => `${directory}: ${problem}`)
    })
    expect(problems).toEqual([])
  })
})

describe('the CronWorkflow', () => {
  it('runs the cron image with `run --all`, never overlapping, in a set time zone', () => {
    const cronWorkflows = collectCronWorkflows()
    expect(cronWorkflows.length).toBeGreaterThan(0)
    const problems = cronWorkflows.flatMap(({ source, cronWorkflow }) => {
      const spec = specOf<CronWorkflowSpec>(cronWorkflow)
      const found: string[] = []
      if (spec.concurrencyPolicy !== 'Forbid')
        found.push(`spec.concurrencyPolicy is ${spec.concurrencyPolicy}`)
      if (typeof spec.timezone !== 'string' || !isTimeZone(spec.timezone)) {
        found.push(`spec.timezone ${spec.timezone} is not an IANA time zone`)
      }
      const containers = (spec.workflowSpec?.templates ?? []).flatMap((template) =>
        [template.container, template.script].filter((container) => container !== undefined),
      )
      const runsRound = containers.some((container) => {
        const commandLine = [...(container.command ?? []), ...(container.args ?? [])]
        return (
          /\/?percolate-cron[:@]/.test(container.image ?? '') &&
          commandLine.includes('run') &&
          commandLine.includes('--all')
        )
      })
      if (!runsRound) found.push('no template runs percolate-cron with `run --all`')
      return found.map((problem) => `${source}: ${describeManifest(cronWorkflow)}: ${problem}`)
    })
    expect(problems).toEqual([])
  })

  it('runs its pods under the restricted policy with pinned images and resource bounds', () => {
    const problems = collectCronWorkflows().flatMap(({ source, cronWorkflow }) => {
      const workflowSpec = specOf<CronWorkflowSpec>(cronWorkflow).workflowSpec ?? {}
      const found = checkPodSecurityContext(workflowSpec.securityContext, 'spec.workflowSpec')
      for (const [index, template] of (workflowSpec.templates ?? []).entries()) {
        const path = `spec.workflowSpec.templates[${index}](${template.name})`
        for (const container of listTemplateContainers(template)) {
          found.push(
            ...checkContainer(container.container, `${path}.${container.path}`, { requireProbes: false }),
          )
        }
      }
      return found.map((problem) => `${source}: ${describeManifest(cronWorkflow)}: ${problem}`)
    })
    expect(problems).toEqual([])
  })

  it('reads only ConfigMaps rendered next to it (generated names carry their hash)', () => {
    const problems = collectCronWorkflows().flatMap(({ source, cronWorkflow, rendered }) => {
      const configMaps = new Set(rendered.filter((m) => m.kind === 'ConfigMap').map((m) => m.metadata.name))
      const workflowSpec = specOf<CronWorkflowSpec>(cronWorkflow).workflowSpec ?? {}
      const templates = workflowSpec.templates ?? []
      const containers = templates.flatMap((template, index) =>
        listTemplateContainers(template).map(({ path, container }) => ({
          path: `spec.workflowSpec.templates[${index}](${template.name}).${path}`,
          container,
        })),
      )
      const volumes = [
        ...(workflowSpec.volumes ?? []).map((volume, index) => ({
          path: `spec.workflowSpec.volumes[${index}]`,
          volume,
        })),
        ...templates.flatMap((template, index) =>
          (template.volumes ?? []).map((volume, position) => ({
            path: `spec.workflowSpec.templates[${index}](${template.name}).volumes[${position}]`,
            volume,
          })),
        ),
      ]
      return findMissingConfigMaps(containers, volumes, configMaps).map(
        (problem) => `${source}: ${describeManifest(cronWorkflow)}: ${problem}`,
      )
    })
    expect(problems).toEqual([])
  })
})

/** The containers of an Argo Workflows template, each with its path inside the template. */
function listTemplateContainers(template: WorkflowTemplate): { path: string; container: ContainerLike }[] {
  return [
    ...(['container', 'script'] as const).flatMap((field) => {
      const container = template[field]
      return container ? [{ path: field, container }] : []
    }),
    ...(['initContainers', 'sidecars'] as const).flatMap((field) =>
      (template[field] ?? []).map((container, index) => ({ path: `${field}[${index}]`, container })),
    ),
    ...(template.containerSet?.containers ?? []).map((container, index) => ({
      path: `containerSet.containers[${index}]`,
      container,
    })),
  ]
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
