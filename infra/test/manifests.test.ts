// Every instance overlay, rendered as Argo CD would, checked object by object: schemas, Pod Security `restricted`,
// pinned images, resources, probes, CronJob guards, namespace isolation and no secret values in git.
import { describe, expect, it } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob'
import type { ICronJobSpec } from 'kubernetes-models/batch/v1/CronJobSpec'
import type { IJobSpec } from 'kubernetes-models/batch/v1/JobSpec'
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort'
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange'
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec'
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota'
import type { ISecret } from 'kubernetes-models/v1/Secret'
import type { IService } from 'kubernetes-models/v1/Service'
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount'
import {
  describeManifest,
  findPodSpec,
  infraDir,
  listInstances,
  type Manifest,
  renderInstance,
  repoRoot,
  requireKubectl,
  selectKind,
} from './render.ts'
import {
  checkPodSpec,
  findMissingConfigMaps,
  isCoreApiVersion,
  listPodParts,
  loadCrdCatalog,
  parseQuantity,
  validateManifest,
} from './validate.ts'

const instances = listInstances()

const CLUSTER_SCOPED_CORE_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CSIDriver',
  'VolumeAttachment',
])

/** The keys of percolate-secrets: they must only ever reach a pod from the Secret. */
const SECRET_KEYS = ['SESSION_SIGNING_KEY', 'OIDC_CLIENT_SECRETS', 'SLACK_BOT_TOKEN', 'TELEGRAM_BOT_TOKEN']

/** A `${VARIABLE}` of infra/k8s/instance-template left in a rendered overlay means a broken scaffold. */
const TEMPLATE_PLACEHOLDER = /\$\{[A-Z][A-Z0-9_]*\}/

/** The command lines of a workload's containers, to see which verb of the cron binary it runs. */
function readCommandLine(manifest: Manifest): string[] {
  const containers = findPodSpec(manifest)?.spec.containers ?? []
  return containers.flatMap((container) => [...(container.command ?? []), ...(container.args ?? [])])
}

/** Every string in an object with the path to it, to look for leftovers such as `${INSTANCE}`. */
function* walkStrings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value]
  else if (Array.isArray(value))
    for (const [index, item] of value.entries()) yield* walkStrings(item, `${path}[${index}]`)
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* walkStrings(item, path ? `${path}.${key}` : key)
  }
}

type LabelSelector = NonNullable<INetworkPolicySpec['podSelector']>

/** The server and every job talk to DynamoDB and SES; only the web app (static files) does not. */
function callsAws(manifest: Manifest): boolean {
  return manifest.kind !== 'Deployment' || manifest.metadata.name !== 'percolate-web'
}

function readPodLabels(manifest: Manifest): Record<string, string> {
  if (manifest.kind === 'Pod') return manifest.metadata.labels ?? {}
  const spec = manifest.spec as {
    template?: IPodTemplateSpec
    jobTemplate?: { spec?: { template?: IPodTemplateSpec } }
  }
  const template = manifest.kind === 'CronJob' ? spec.jobTemplate?.spec?.template : spec.template
  return template?.metadata?.labels ?? {}
}

function selectsEveryPod(selector: LabelSelector | undefined): boolean {
  return (
    Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0
  )
}

/** Kubernetes label selector semantics (matchLabels and the four matchExpressions operators). */
function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value)
  const byExpressions = (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key]
    if (operator === 'In') return value !== undefined && values.includes(value)
    if (operator === 'NotIn') return value === undefined || !values.includes(value)
    if (operator === 'Exists') return value !== undefined
    if (operator === 'DoesNotExist') return value === undefined
    return false
  })
  return byLabels && byExpressions
}

/** `PROTOCOL/port` of a rule's ports; a rule without ports allows every port. */
function listPorts(ports: INetworkPolicyPort[] | undefined): string[] {
  if (!ports || ports.length === 0) return ['any']
  return ports.map((port) => `${port.protocol ?? 'TCP'}/${port.port ?? 'any'}`)
}

/** How many pods of a workload can run at once: replicas plus the rolling update's surge, one per job. */
function countConcurrentPods(manifest: Manifest): number {
  if (manifest.kind !== 'Deployment') return 1
  const spec = (manifest as unknown as IDeployment).spec
  const replicas = spec?.replicas ?? 1
  const surge = spec?.strategy?.type === 'Recreate' ? 0 : (spec?.strategy?.rollingUpdate?.maxSurge ?? '25%')
  const extra =
    typeof surge === 'number' ? surge : Math.ceil((replicas * Number.parseFloat(String(surge))) / 100)
  return replicas + extra
}

describe('manifest prerequisites', () => {
  it('finds at least two instance overlays under infra/k8s/overlays', () => {
    expect(instances.length).toBeGreaterThanOrEqual(2)
  })

  it('names every instance the way the namespace percolate-<NAME> allows', () => {
    expect(instances.filter((name) => !/^[a-z][a-z0-9-]{1,30}$/.test(name))).toEqual([])
  })

  it('has kubectl to render the overlays', () => {
    expect(requireKubectl()).toContain('kubectl')
  })

  it('has the CRD schemas the custom resources are validated against', () => {
    const crds = loadCrdCatalog()
    expect([...crds.crds.keys()]).toContain('dynamodb.services.k8s.aws/Table')
  })
})

describe('the files under infra/', () => {
  const SECRET_PATTERNS: [string, RegExp][] = [
    ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ['a Slack token', /\bxox[abposr]-[0-9A-Za-z-]{10,}/],
    ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ['a Telegram bot token', /\b\d{8,10}:[A-Za-z0-9_-]{35}\b/],
  ]

  const listFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (entry.name === 'node_modules' || entry.name.startsWith('.git')) return []
      const path = join(dir, entry.name)
      return entry.isDirectory() ? listFiles(path) : [path]
    })

  it('hold no private key, token or access key', () => {
    const files = listFiles(infraDir)
    expect(files.length).toBeGreaterThan(0)
    const findings = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8')
      return SECRET_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(
        ([what]) => `${relative(repoRoot, file)} contains what looks like ${what}`,
      )
    })
    expect(findings).toEqual([])
  })
})

for (const instance of instances) {
  const namespace = `percolate-${instance}`

  describe(`instance ${instance}`, () => {
    it('renders with kubectl kustomize', () => {
      const manifests = renderInstance(instance)
      expect(manifests.length).toBeGreaterThan(0)
      expect(
        manifests.filter((m) => !m.apiVersion || !m.kind || !m.metadata?.name).map(describeManifest),
      ).toEqual([])
    })

    it('has only objects that validate against their schema (kubernetes-models or the CRD)', async () => {
      const crds = loadCrdCatalog()
      const problems: string[] = []
      for (const manifest of renderInstance(instance)) {
        for (const problem of await validateManifest(manifest, crds)) {
          problems.push(`${instance}: ${describeManifest(manifest)}: ${problem}`)
        }
      }
      expect(problems).toEqual([])
    })

    it(`puts every namespaced object in ${namespace}`, () => {
      const crds = loadCrdCatalog()
      const problems = renderInstance(instance).flatMap((manifest) => {
        const namespaced = isCoreApiVersion(manifest.apiVersion)
          ? !CLUSTER_SCOPED_CORE_KINDS.has(manifest.kind)
          : (crds.find(manifest.apiVersion, manifest.kind)?.namespaced ?? true)
        const actual = manifest.metadata.namespace
        if (namespaced && actual !== namespace) {
          return [`${instance}: ${describeManifest(manifest)}: metadata.namespace is ${actual ?? '<unset>'}`]
        }
        if (!namespaced && actual !== undefined) {
          return [
            `${instance}: ${describeManifest(manifest)}: cluster-scoped but has metadata.namespace ${actual}`,
          ]
        }
        return []
      })
      expect(problems).toEqual([])
    })

    it('labels every object with its instance and part-of percolate', () => {
      const problems = renderInstance(instance).flatMap((manifest) => {
        const labels = manifest.metadata.labels ?? {}
        const found: string[] = []
        if (labels['app.kubernetes.io/instance'] !== instance) {
          found.push(
            `metadata.labels["app.kubernetes.io/instance"] is ${labels['app.kubernetes.io/instance']}`,
          )
        }
        if (labels['app.kubernetes.io/part-of'] !== 'percolate') {
          found.push(`metadata.labels["app.kubernetes.io/part-of"] is ${labels['app.kubernetes.io/part-of']}`)
        }
        return found.map((problem) => `${instance}: ${describeManifest(manifest)}: ${problem}`)
      })
      expect(problems).toEqual([])
    })

    it('leaves no template variable unresolved', () => {
      const problems = renderInstance(instance).flatMap((manifest) =>
        [...walkStrings(manifest, '')]
          .filter(([, value]) => TEMPLATE_PLACEHOLDER.test(value))
          .map(([path, value]) => `${instance}: ${describeManifest(manifest)}: ${path}: ${value}`),
      )
      expect(problems).toEqual([])
    })

    it('runs every pod restricted, non-root and read-only, with pinned images and resource bounds', () => {
      const workloads = renderInstance(instance).filter((manifest) => findPodSpec(manifest))
      expect(workloads.length).toBeGreaterThan(0)
      const problems = workloads.flatMap((manifest) => {
        const { path, spec } = findPodSpec(manifest)!
        return checkPodSpec(spec, path, { requireProbes: manifest.kind === 'Deployment' }).map(
          (problem) => `${instance}: ${describeManifest(manifest)}: ${problem}`,
        )
      })
      expect(problems).toEqual([])
    })

    it('runs the server and every job as ServiceAccount percolate (IRSA), and mounts no API token', () => {
      const manifests = renderInstance(instance)
      const serviceAccounts = selectKind<IServiceAccount>(manifests, 'ServiceAccount')
      const problems = manifests.flatMap((manifest) => {
        const podSpec = findPodSpec(manifest)
        if (!podSpec) return []
        const found: string[] = []
        const { path, spec } = podSpec
        if (callsAws(manifest) && spec.serviceAccountName !== 'percolate') {
          found.push(`${path}.serviceAccountName is ${spec.serviceAccountName}, not percolate`)
        }
        const serviceAccount = serviceAccounts.find(
          (sa) => sa.metadata.name === (spec.serviceAccountName ?? 'default'),
        )
        const mountsToken =
          spec.automountServiceAccountToken ?? serviceAccount?.automountServiceAccountToken ?? true
        if (mountsToken)
          found.push(`${path}.automountServiceAccountToken: must be false (no Kubernetes API access)`)
        return found.map((problem) => `${instance}: ${describeManifest(manifest)}: ${problem}`)
      })
      expect(problems).toEqual([])
    })

    it('reads only ConfigMaps the overlay renders (generated names carry their hash)', () => {
      const manifests = renderInstance(instance)
      const configMaps = new Set(selectKind(manifests, 'ConfigMap').map((m) => m.metadata.name))
      const problems = manifests.flatMap((manifest) => {
        const podSpec = findPodSpec(manifest)
        if (!podSpec) return []
        const { containers, volumes } = listPodParts(podSpec.spec, podSpec.path)
        return findMissingConfigMaps(containers, volumes, configMaps).map(
          (problem) => `${instance}: ${describeManifest(manifest)}: ${problem}`,
        )
      })
      expect(problems).toEqual([])
    })

    it('probes the server on /healthz (liveness) and /readyz (readiness)', () => {
      const server = renderInstance(instance).find(
        (m) => m.kind === 'Deployment' && m.metadata.name === 'percolate-server',
      )
      expect(server, `${instance}: Deployment/percolate-server is missing`).toBeDefined()
      const containers = findPodSpec(server!)?.spec.containers ?? []
      expect(containers.length).toBeGreaterThan(0)
      for (const container of containers) {
        expect({ container: container.name, liveness: container.livenessProbe?.httpGet?.path }).toEqual({
          container: container.name,
          liveness: '/healthz',
        })
        expect({ container: container.name, readiness: container.readinessProbe?.httpGet?.path }).toEqual({
          container: container.name,
          readiness: '/readyz',
        })
      }
    })

    it('has the server and web Deployments with their Services', () => {
      const manifests = renderInstance(instance)
      const names = (kind: string) => selectKind(manifests, kind).map((m) => m.metadata.name)
      expect(names('Deployment')).toEqual(expect.arrayContaining(['percolate-server', 'percolate-web']))
      expect(names('Service')).toEqual(expect.arrayContaining(['percolate-server', 'percolate-web']))
    })

    it('guards every CronJob against overlaps, late starts and endless runs', () => {
      const cronJobs = selectKind<ICronJob>(renderInstance(instance), 'CronJob')
      expect(cronJobs.length).toBeGreaterThan(0)
      const problems = cronJobs.flatMap((cronJob) => {
        const spec: Partial<ICronJobSpec> = cronJob.spec ?? {}
        const found: string[] = []
        if (spec.concurrencyPolicy !== 'Forbid')
          found.push(`spec.concurrencyPolicy is ${spec.concurrencyPolicy}`)
        if (!((spec.startingDeadlineSeconds ?? 0) > 0)) found.push('spec.startingDeadlineSeconds: missing')
        if (typeof spec.timeZone !== 'string') found.push('spec.timeZone: missing')
        else if (!isTimeZone(spec.timeZone))
          found.push(`spec.timeZone: ${spec.timeZone} is not an IANA time zone`)
        const job: IJobSpec = spec.jobTemplate?.spec ?? { template: {} }
        if (typeof job.backoffLimit !== 'number') found.push('spec.jobTemplate.spec.backoffLimit: missing')
        if (!((job.activeDeadlineSeconds ?? 0) > 0))
          found.push('spec.jobTemplate.spec.activeDeadlineSeconds: missing')
        const restartPolicy = job.template.spec?.restartPolicy
        if (restartPolicy !== 'Never' && restartPolicy !== 'OnFailure') {
          found.push(
            `spec.jobTemplate.spec.template.spec.restartPolicy must be Never or OnFailure, is ${restartPolicy}`,
          )
        }
        return found.map((problem) => `${instance}: ${describeManifest(cronJob)}: ${problem}`)
      })
      expect(problems).toEqual([])
    })

    it('schedules the round, dispatch and check-in CronJobs with the cron image for all deployments', () => {
      const cronJobs = selectKind(renderInstance(instance), 'CronJob')
      for (const [name, verb] of [
        ['percolate-round', 'run'],
        ['percolate-dispatch', 'dispatch'],
        ['percolate-checkin', 'checkin'],
      ] as const) {
        const cronJob = cronJobs.find((m) => m.metadata.name === name)
        expect(cronJob, `${instance}: CronJob/${name} is missing`).toBeDefined()
        const commandLine = readCommandLine(cronJob!)
        expect({ name, verb: commandLine.includes(verb), all: commandLine.includes('--all') }).toEqual({
          name,
          verb: true,
          all: true,
        })
        const images = (findPodSpec(cronJob!)?.spec.containers ?? []).map((c) => c.image ?? '')
        expect({ name, images: images.map((image) => /\/?percolate-cron[:@]/.test(image)) }).toEqual({
          name,
          images: images.map(() => true),
        })
      }
    })

    it('carries no Secret values and keeps secret keys out of the ConfigMaps and plain env', () => {
      const manifests = renderInstance(instance)
      const problems: string[] = []
      for (const secret of selectKind<ISecret>(manifests, 'Secret')) {
        for (const field of ['data', 'stringData'] as const) {
          for (const [key, value] of Object.entries<unknown>(secret[field] ?? {})) {
            if (value !== '' && value !== null) {
              problems.push(`${instance}: ${describeManifest(secret)}: ${field}.${key} has a value in git`)
            }
          }
        }
      }
      for (const configMap of selectKind<IConfigMap>(manifests, 'ConfigMap')) {
        for (const key of Object.keys(configMap.data ?? {})) {
          if (SECRET_KEYS.includes(key))
            problems.push(`${instance}: ${describeManifest(configMap)}: data.${key} is a secret`)
        }
      }
      for (const manifest of manifests) {
        const podSpec = findPodSpec(manifest)
        const containers = [...(podSpec?.spec.containers ?? []), ...(podSpec?.spec.initContainers ?? [])]
        for (const container of containers) {
          for (const env of container.env ?? []) {
            if (SECRET_KEYS.includes(env.name) && env.value !== undefined) {
              problems.push(
                `${instance}: ${describeManifest(manifest)}: container ${container.name} env ${env.name} is a literal`,
              )
            }
          }
        }
      }
      expect(problems).toEqual([])
    })

    it(`enforces Pod Security restricted on the Namespace ${namespace}`, () => {
      const namespaces = selectKind(renderInstance(instance), 'Namespace')
      expect(namespaces.map((m) => m.metadata.name)).toEqual([namespace])
      expect(namespaces[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted')
    })

    it('denies all traffic by default', () => {
      const policies = selectKind<INetworkPolicy>(renderInstance(instance), 'NetworkPolicy')
      const defaultDeny = policies.filter((policy) => {
        const spec: Partial<INetworkPolicySpec> = policy.spec ?? {}
        const types = spec.policyTypes ?? []
        return (
          selectsEveryPod(spec.podSelector) &&
          types.includes('Ingress') &&
          types.includes('Egress') &&
          (spec.ingress ?? []).length === 0 &&
          (spec.egress ?? []).length === 0
        )
      })
      expect(defaultDeny.map((policy) => policy.metadata.name).length).toBeGreaterThan(0)
      expect(policies.length).toBeGreaterThan(defaultDeny.length)
    })

    it('allows each pod the flows it needs: DNS, HTTPS to AWS, the ingress controller to server and web', () => {
      const manifests = renderInstance(instance)
      const policies = selectKind<INetworkPolicy>(manifests, 'NetworkPolicy')
      const problems: string[] = []
      for (const manifest of manifests) {
        const podSpec = findPodSpec(manifest)
        if (!podSpec) continue
        const labels = readPodLabels(manifest)
        const selecting = policies.filter((policy) => matchesSelector(policy.spec?.podSelector, labels))
        const egress = selecting
          .flatMap((policy) => policy.spec?.egress ?? [])
          .flatMap((rule) => listPorts(rule.ports))
        const ingress = selecting
          .flatMap((policy) => policy.spec?.ingress ?? [])
          .flatMap((rule) => listPorts(rule.ports))
        const needs: [string, string, string[]][] = [['egress', 'UDP/53', egress]]
        if (callsAws(manifest)) needs.push(['egress', 'TCP/443', egress])
        for (const container of podSpec.spec.containers) {
          for (const port of container.ports ?? []) {
            if (port.name !== 'http') continue
            const served = [`TCP/${port.containerPort}`, 'TCP/http', 'any'].some((p) => ingress.includes(p))
            if (!served)
              problems.push(`${describeManifest(manifest)}: no ingress to port http (${port.containerPort})`)
          }
        }
        for (const [direction, port, allowed] of needs) {
          if (!allowed.includes(port) && !allowed.includes('any')) {
            problems.push(`${describeManifest(manifest)}: no ${direction} to ${port}`)
          }
        }
      }
      expect(problems.map((problem) => `${instance}: ${problem}`)).toEqual([])
    })

    it('bounds the namespace with a ResourceQuota and a LimitRange', () => {
      const manifests = renderInstance(instance)
      expect({
        resourceQuotas: selectKind(manifests, 'ResourceQuota').length > 0,
        limitRanges: selectKind(manifests, 'LimitRange').length > 0,
      }).toEqual({ resourceQuotas: true, limitRanges: true })
    })

    it('keeps every container within the LimitRange and all pods at once within the ResourceQuota', () => {
      const manifests = renderInstance(instance)
      const problems: string[] = []
      const containerLimits = selectKind<ILimitRange>(manifests, 'LimitRange').flatMap((range) =>
        (range.spec?.limits ?? []).filter((limit) => limit.type === 'Container'),
      )
      const totals: Record<string, number> = {
        'requests.cpu': 0,
        'requests.memory': 0,
        'limits.cpu': 0,
        'limits.memory': 0,
        pods: 0,
      }
      for (const manifest of manifests) {
        const podSpec = findPodSpec(manifest)
        if (!podSpec) continue
        const { containers, initContainers = [] } = podSpec.spec
        for (const [index, container] of [...containers, ...initContainers].entries()) {
          for (const resource of ['cpu', 'memory']) {
            const limit = container.resources?.limits?.[resource]
            const request = container.resources?.requests?.[resource]
            for (const range of containerLimits) {
              const max = range.max?.[resource]
              const min = range.min?.[resource]
              if (max !== undefined && limit !== undefined && parseQuantity(limit) > parseQuantity(max)) {
                problems.push(
                  `${describeManifest(manifest)}: container ${index} limits.${resource} ${limit} is above the LimitRange max ${max}`,
                )
              }
              if (min !== undefined && request !== undefined && parseQuantity(request) < parseQuantity(min)) {
                problems.push(
                  `${describeManifest(manifest)}: container ${index} requests.${resource} ${request} is below the LimitRange min ${min}`,
                )
              }
            }
          }
        }
        // A pod reserves the larger of its containers together and its biggest init container.
        const podTotal = (bound: 'requests' | 'limits', resource: string) => {
          const amount = (list: typeof containers) =>
            list.map((c) => parseQuantity(c.resources?.[bound]?.[resource] ?? 0))
          return Math.max(
            amount(containers).reduce((sum, value) => sum + value, 0),
            ...amount(initContainers),
          )
        }
        const pods = countConcurrentPods(manifest)
        totals.pods = (totals.pods ?? 0) + pods
        for (const bound of ['requests', 'limits'] as const) {
          for (const resource of ['cpu', 'memory']) {
            const key = `${bound}.${resource}`
            totals[key] = (totals[key] ?? 0) + pods * podTotal(bound, resource)
          }
        }
      }
      for (const quota of selectKind<IResourceQuota>(manifests, 'ResourceQuota')) {
        for (const [key, total] of Object.entries(totals)) {
          const hard = quota.spec?.hard?.[key] ?? quota.spec?.hard?.[key.replace(/^requests\./, '')]
          if (hard !== undefined && total > parseQuantity(hard)) {
            problems.push(
              `${describeManifest(quota)}: spec.hard.${key} ${hard} is below the ${total} a full rollout with every job running needs`,
            )
          }
        }
      }
      expect(problems.map((problem) => `${instance}: ${problem}`)).toEqual([])
    })

    it('routes the API paths to the server and the rest to the web app, through Service ports that exist', () => {
      const manifests = renderInstance(instance)
      const services = selectKind<IService>(manifests, 'Service')
      const ingresses = selectKind<IIngress>(manifests, 'Ingress')
      expect(ingresses.map((ingress) => ingress.metadata.name)).toEqual(['percolate'])
      const routes: Record<string, string | undefined> = {}
      const problems: string[] = []
      for (const [ruleIndex, rule] of (ingresses[0]?.spec?.rules ?? []).entries()) {
        const tlsHosts = (ingresses[0]?.spec?.tls ?? []).flatMap((tls) => tls.hosts ?? [])
        if (!rule.host || !tlsHosts.includes(rule.host))
          problems.push(`spec.rules[${ruleIndex}].host ${rule.host} has no TLS`)
        for (const [pathIndex, path] of (rule.http?.paths ?? []).entries()) {
          const where = `spec.rules[${ruleIndex}].http.paths[${pathIndex}]`
          const backend = path.backend.service
          routes[path.path ?? ''] = backend?.name
          const service = services.find((candidate) => candidate.metadata.name === backend?.name)
          const port = service?.spec?.ports?.find(
            (candidate) => candidate.name === backend?.port?.name || candidate.port === backend?.port?.number,
          )
          if (!service) problems.push(`${where}: Service ${backend?.name} does not exist`)
          else if (!port)
            problems.push(`${where}: Service ${backend?.name} has no port ${JSON.stringify(backend?.port)}`)
          else if (port.name === 'metrics' || port.port === 9464)
            problems.push(`${where}: exposes the metrics port`)
        }
      }
      expect(problems.map((problem) => `${instance}: Ingress/percolate: ${problem}`)).toEqual([])
      expect(routes).toMatchObject({
        '/trpc': 'percolate-server',
        '/auth': 'percolate-server',
        '/actions': 'percolate-server',
        '/healthz': 'percolate-server',
        '/readyz': 'percolate-server',
        '/': 'percolate-web',
      })
    })
  })
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
