// Checks a rendered object the way the API server and Pod Security Admission would, without a cluster: core kinds
// against kubernetes-models' schemas, custom resources against the upstream CRDs in ../shared/crds, and the
// restricted pod policy. Every check returns problems as `path: what is wrong` instead of throwing, so a test can
// list all of them at once.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext'
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec'
import type { IVolume } from 'kubernetes-models/v1/Volume'
import { describeManifest, findCrdsDir, type Manifest, parseManifests } from './render.ts'

type JsonSchema = Record<string, unknown>

/** API groups served by Kubernetes itself; everything else is a custom resource and needs a CRD. */
export function isCoreApiVersion(apiVersion: string): boolean {
  const group = splitApiVersion(apiVersion).group
  return (
    group === '' ||
    ['apps', 'batch', 'autoscaling', 'policy'].includes(group) ||
    group.endsWith('.k8s.io') ||
    group === 'k8s.io'
  )
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/')
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) }
}

/** kubernetes-models' `ajv` errors (it stops at the first one) as `path: message`. */
function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const path = toDottedPath(error.instancePath) || '<root>'
    if (error.keyword === 'additionalProperties') {
      const field = String(error.params.additionalProperty)
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {})
      const allowed = known.length > 0 ? ` (allowed here: ${known.join(', ')})` : ''
      return `${path === '<root>' ? field : `${path}.${field}`}: unknown field${allowed}`
    }
    if (error.keyword === 'enum') {
      return `${path}: ${error.message} (${(error.params.allowedValues as unknown[]).join(', ')})`
    }
    return `${path}: ${error.message}`
  })
}

/** `/spec/containers/0/image` -> `spec.containers[0].image`. */
function toDottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((step) => step.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, step) => (/^\d+$/.test(step) ? `${path}[${step}]` : path ? `${path}.${step}` : step), '')
}

type ModelClass = new (data: unknown) => { validate(): void }

const modelClasses = new Map<string, ModelClass | undefined>()

async function importModelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`
  if (modelClasses.has(key)) return modelClasses.get(key)
  const { group, version } = splitApiVersion(apiVersion)
  let model: ModelClass | undefined
  // The kind becomes part of a module path: only a plain identifier may get that far.
  if (/^[A-Z][A-Za-z0-9]*$/.test(kind) && /^v\d+((alpha|beta)\d+)?$/.test(version)) {
    const module =
      group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`
    try {
      const exports = (await import(module)) as Record<string, unknown>
      model = exports[kind] as ModelClass | undefined
    } catch {
      model = undefined
    }
  }
  modelClasses.set(key, model)
  return model
}

/** A core object against kubernetes-models; a kind it does not know is a problem, never a pass. */
export async function validateCoreManifest(manifest: Manifest): Promise<string[]> {
  const Model = await importModelClass(manifest.apiVersion, manifest.kind)
  if (!Model) {
    return [`${manifest.apiVersion} ${manifest.kind} is not a Kubernetes kind known to kubernetes-models`]
  }
  try {
    new Model(manifest).validate()
    return []
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors
    return errors ? formatErrors(errors) : [String(error)]
  }
}

type Crd = {
  file: string
  group: string
  kind: string
  namespaced: boolean
  schemas: Map<string, JsonSchema>
}

const SUPPORTED_FORMATS = new Set(['int32', 'int64', 'date-time', 'byte', 'double', 'float'])

/**
 * Turns a CRD's structural schema into what the API server enforces, in JSON Schema terms: unknown fields are
 * pruned by the server, which for a manifest in git means a silently ignored typo, so here they are errors.
 */
function prepareStructuralSchema(node: unknown): void {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const item of node) prepareStructuralSchema(item)
    return
  }
  const schema = node as JsonSchema
  if (schema['x-kubernetes-int-or-string'] === true && !schema.anyOf && !schema.oneOf) {
    delete schema.type
    schema.anyOf = [{ type: 'integer' }, { type: 'string' }]
  }
  if (typeof schema.format === 'string' && !SUPPORTED_FORMATS.has(schema.format)) delete schema.format
  if (schema['x-kubernetes-embedded-resource'] === true && schema.properties) {
    const properties = schema.properties as JsonSchema
    properties.apiVersion ??= { type: 'string' }
    properties.kind ??= { type: 'string' }
    properties.metadata ??= { type: 'object' }
  }
  if (
    schema.properties &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true &&
    schema.additionalProperties === undefined
  ) {
    schema.additionalProperties = false
  }
  for (const key of ['properties', 'patternProperties', 'definitions']) {
    const children = schema[key] as JsonSchema | undefined
    if (children) for (const child of Object.values(children)) prepareStructuralSchema(child)
  }
  for (const key of ['items', 'additionalProperties', 'not', 'anyOf', 'allOf', 'oneOf']) {
    prepareStructuralSchema(schema[key])
  }
}

function createCrdAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false })
  ajv.addFormat('int32', {
    type: 'number',
    validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31,
  })
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) })
  ajv.addFormat('double', { type: 'number', validate: () => true })
  ajv.addFormat('float', { type: 'number', validate: () => true })
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/)
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/)
  return ajv
}

/** The CustomResourceDefinitions in a directory, by `group/kind`. */
export class CrdCatalog {
  readonly crds = new Map<string, Crd>()
  private readonly ajv = createCrdAjv()
  private readonly validators = new Map<string, ValidateFunction>()

  constructor(readonly dir: string) {
    for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
      for (const document of parseManifests(readFileSync(join(dir, file), 'utf8'), join(dir, file))) {
        if (document.kind !== 'CustomResourceDefinition') continue
        const spec = document.spec as {
          group: string
          names: { kind: string }
          scope: string
          versions: { name: string; schema?: { openAPIV3Schema?: JsonSchema } }[]
        }
        const schemas = new Map<string, JsonSchema>()
        for (const version of spec.versions) {
          if (version.schema?.openAPIV3Schema) schemas.set(version.name, version.schema.openAPIV3Schema)
        }
        this.crds.set(`${spec.group}/${spec.names.kind}`, {
          file,
          group: spec.group,
          kind: spec.names.kind,
          namespaced: spec.scope === 'Namespaced',
          schemas,
        })
      }
    }
  }

  find(apiVersion: string, kind: string): Crd | undefined {
    return this.crds.get(`${splitApiVersion(apiVersion).group}/${kind}`)
  }

  /** A custom resource against the schema of its version; no CRD or no such version is a problem. */
  validate(manifest: Manifest): string[] {
    const { group, version } = splitApiVersion(manifest.apiVersion)
    const crd = this.find(manifest.apiVersion, manifest.kind)
    if (!crd) {
      return [`no CustomResourceDefinition for ${manifest.kind} in group ${group || '<core>'} in ${this.dir}`]
    }
    const key = `${group}/${version}/${manifest.kind}`
    let validator = this.validators.get(key)
    if (!validator) {
      const schema = crd.schemas.get(version)
      if (!schema) {
        return [`apiVersion ${manifest.apiVersion}: ${crd.file} serves ${[...crd.schemas.keys()].join(', ')}`]
      }
      const prepared = structuredClone(schema)
      prepareStructuralSchema(prepared)
      validator = this.ajv.compile(prepared)
      this.validators.set(key, validator)
    }
    return validator(manifest) ? [] : formatErrors(validator.errors)
  }
}

let sharedCatalog: CrdCatalog | undefined
/** The CRD catalog of ../shared/crds (or CRDS_DIR), compiled once per test file, on first use. */
export function loadCrdCatalog(): CrdCatalog {
  sharedCatalog ??= new CrdCatalog(findCrdsDir())
  return sharedCatalog
}

/** Either schema, picked by API group; every rendered object goes through here. */
export async function validateManifest(manifest: Manifest, crds: CrdCatalog): Promise<string[]> {
  if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') {
    return ['apiVersion and kind must be strings']
  }
  if (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name === '') {
    return [`${describeManifest(manifest)}: metadata.name is required`]
  }
  return isCoreApiVersion(manifest.apiVersion) ? validateCoreManifest(manifest) : crds.validate(manifest)
}

/** An image reference pinned to a tag other than `latest` or to a digest. */
export function checkImage(image: unknown): string | undefined {
  if (typeof image !== 'string' || image === '') return 'image is missing'
  if (/\$\{|\{\{/.test(image)) return `image ${image} has an unresolved placeholder`
  const [name = '', digest] = image.split('@')
  if (digest !== undefined) {
    return /^sha256:[0-9a-f]{64}$/.test(digest) ? undefined : `image ${image} has a malformed digest`
  }
  const lastSegment = name.slice(name.lastIndexOf('/') + 1)
  const colon = lastSegment.indexOf(':')
  if (colon === -1) return `image ${image} has no tag or digest`
  const tag = lastSegment.slice(colon + 1)
  if (tag === '' || tag === 'latest') return `image ${image} uses ${tag ? ':latest' : 'an empty tag'}`
  return undefined
}

/** A container of a pod spec, or of an Argo Workflows template (where the name is optional). */
export type ContainerLike = Omit<IContainer, 'name'> & { name?: string }

/** What Pod Security `restricted` and the issue require of one container (or init container). */
export function checkContainer(
  container: ContainerLike,
  path: string,
  options: { requireProbes: boolean },
): string[] {
  const problems: string[] = []
  const imageProblem = checkImage(container.image)
  if (imageProblem) problems.push(`${path}.image: ${imageProblem}`)
  for (const bound of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (container.resources?.[bound]?.[resource] === undefined) {
        problems.push(`${path}.resources.${bound}.${resource}: missing`)
      }
    }
  }
  const securityContext = container.securityContext ?? {}
  if (securityContext.allowPrivilegeEscalation !== false) {
    problems.push(`${path}.securityContext.allowPrivilegeEscalation: must be false`)
  }
  if (securityContext.readOnlyRootFilesystem !== true) {
    problems.push(`${path}.securityContext.readOnlyRootFilesystem: must be true`)
  }
  if (securityContext.runAsNonRoot !== true)
    problems.push(`${path}.securityContext.runAsNonRoot: must be true`)
  if (securityContext.runAsUser === 0)
    problems.push(`${path}.securityContext.runAsUser: must not be 0 (root)`)
  if (securityContext.privileged === true)
    problems.push(`${path}.securityContext.privileged: must not be true`)
  if (!securityContext.capabilities?.drop?.includes('ALL')) {
    problems.push(`${path}.securityContext.capabilities.drop: must contain ALL`)
  }
  for (const capability of securityContext.capabilities?.add ?? []) {
    if (capability !== 'NET_BIND_SERVICE') {
      problems.push(`${path}.securityContext.capabilities.add: ${capability} is not allowed under restricted`)
    }
  }
  const seccomp = securityContext.seccompProfile?.type
  if (seccomp !== undefined && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
    problems.push(`${path}.securityContext.seccompProfile.type: ${seccomp} is not allowed under restricted`)
  }
  for (const [index, port] of (container.ports ?? []).entries()) {
    if (port.hostPort !== undefined) problems.push(`${path}.ports[${index}].hostPort: not allowed`)
  }
  if (options.requireProbes) {
    if (!container.livenessProbe) problems.push(`${path}.livenessProbe: missing`)
    if (!container.readinessProbe) problems.push(`${path}.readinessProbe: missing`)
  }
  return problems
}

/** Pod-level settings of `restricted`: non-root and the runtime's seccomp profile. */
export function checkPodSecurityContext(
  securityContext: IPodSecurityContext | undefined,
  path: string,
): string[] {
  const problems: string[] = []
  if (securityContext?.runAsNonRoot !== true)
    problems.push(`${path}.securityContext.runAsNonRoot: must be true`)
  if (securityContext?.runAsUser === 0)
    problems.push(`${path}.securityContext.runAsUser: must not be 0 (root)`)
  if (securityContext?.seccompProfile?.type !== 'RuntimeDefault') {
    problems.push(`${path}.securityContext.seccompProfile.type: must be RuntimeDefault`)
  }
  return problems
}

/** The containers and volumes of a pod spec with their paths, for findMissingConfigMaps. */
export function listPodParts(podSpec: IPodSpec, path: string) {
  return {
    containers: [
      ...podSpec.containers.map((container, index) => ({ path: `${path}.containers[${index}]`, container })),
      ...(podSpec.initContainers ?? []).map((container, index) => ({
        path: `${path}.initContainers[${index}]`,
        container,
      })),
    ],
    volumes: (podSpec.volumes ?? []).map((volume, index) => ({ path: `${path}.volumes[${index}]`, volume })),
  }
}

/** A whole pod spec: pod security, nothing from the host, then every container and init container. */
export function checkPodSpec(podSpec: IPodSpec, path: string, options: { requireProbes: boolean }): string[] {
  const problems = checkPodSecurityContext(podSpec.securityContext, path)
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (podSpec[field] === true) problems.push(`${path}.${field}: must not be true`)
  }
  for (const [index, volume] of (podSpec.volumes ?? []).entries()) {
    if (volume.hostPath) problems.push(`${path}.volumes[${index}].hostPath: not allowed under restricted`)
  }
  if (podSpec.containers.length === 0) problems.push(`${path}.containers: no containers`)
  for (const [index, container] of podSpec.containers.entries()) {
    problems.push(...checkContainer(container, `${path}.containers[${index}](${container.name})`, options))
  }
  for (const [index, container] of (podSpec.initContainers ?? []).entries()) {
    const containerPath = `${path}.initContainers[${index}](${container.name})`
    problems.push(...checkContainer(container, containerPath, { requireProbes: false }))
  }
  return problems
}

/**
 * ConfigMaps a pod reads that are not in the rendered output: kustomize renames generated ConfigMaps
 * (`percolate-config-<hash>`) only in the fields it knows, so a reference from a custom resource keeps the bare
 * name and the pod never starts. Optional references are fine.
 */
export function findMissingConfigMaps(
  containers: { path: string; container: ContainerLike }[],
  volumes: { path: string; volume: IVolume }[],
  existing: ReadonlySet<string>,
): string[] {
  const references: { where: string; name?: string; optional?: boolean }[] = []
  for (const { path, container } of containers) {
    for (const [position, source] of (container.envFrom ?? []).entries()) {
      if (source.configMapRef) {
        references.push({ where: `${path}.envFrom[${position}].configMapRef`, ...source.configMapRef })
      }
    }
    for (const [position, variable] of (container.env ?? []).entries()) {
      const reference = variable.valueFrom?.configMapKeyRef
      if (reference)
        references.push({ where: `${path}.env[${position}].valueFrom.configMapKeyRef`, ...reference })
    }
  }
  for (const { path, volume } of volumes) {
    if (volume.configMap) references.push({ where: `${path}.configMap`, ...volume.configMap })
    for (const [position, source] of (volume.projected?.sources ?? []).entries()) {
      if (source.configMap) {
        references.push({ where: `${path}.projected.sources[${position}].configMap`, ...source.configMap })
      }
    }
  }
  return references
    .filter((reference) => reference.optional !== true && !existing.has(reference.name ?? ''))
    .map((reference) => `${reference.where}: ConfigMap ${reference.name} is not in the rendered output`)
}

const QUANTITY_SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
}

/** A Kubernetes quantity (`100m`, `512Mi`, `2`) as a plain number (cores, bytes). */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity
  const match = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(quantity.trim())
  if (!match) throw new Error(`"${quantity}" is not a Kubernetes quantity (e.g. 100m, 512Mi, 2)`)
  return Number(match[1]) * (QUANTITY_SUFFIXES[match[2] ?? ''] ?? 1)
}
