// Two deployments must share nothing in the cluster or in AWS: every name that addresses a resource differs
// between any two instances, and each IAM policy reaches only its own instance's table, stream and identity.
import { describe, expect, it } from 'bun:test'
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { describeManifest, listInstances, type Manifest, renderInstance, selectKind } from './render.ts'

const instances = listInstances()

type Identifiers = Record<string, string[]>

/** The fields of the ACK resources (Table, Role, Policy, Function, ConfigurationSet) these tests compare. */
type AckSpec = {
  name?: string
  tableName?: string
  policyDocument?: string
  assumeRolePolicyDocument?: string
  inlinePolicies?: Record<string, string>
}

const specOf = (manifest: Manifest) => (manifest.spec ?? {}) as AckSpec
/** The API group of each ACK kind compared here: an RBAC Role is not an IAM Role. */
const ACK_GROUPS: Record<string, string> = {
  Table: 'dynamodb.services.k8s.aws',
  Role: 'iam.services.k8s.aws',
  Policy: 'iam.services.k8s.aws',
  Function: 'lambda.services.k8s.aws',
  ConfigurationSet: 'ses.services.k8s.aws',
}
const isAck = (manifest: Manifest, kind: string) =>
  manifest.kind === kind && manifest.apiVersion.startsWith(`${ACK_GROUPS[kind]}/`)
const ofKind = (manifests: Manifest[], kind: string) =>
  manifests.filter((m) => (kind in ACK_GROUPS ? isAck(m, kind) : m.kind === kind))
const namesOf = (manifests: Manifest[], kind: string, field: 'name' | 'tableName') =>
  ofKind(manifests, kind).map((m) => specOf(m)[field] ?? `<${describeManifest(m)} has no spec.${field}>`)

/** Every name that addresses something of one instance, by what it names. */
function collectIdentifiers(instance: string): Identifiers {
  const manifests = renderInstance(instance)
  const ingresses = selectKind<IIngress>(manifests, 'Ingress').map((m) => m.spec ?? {})
  return {
    namespaces: [
      ...new Set(
        manifests.flatMap((m) =>
          [m.metadata.namespace ?? [], m.kind === 'Namespace' ? m.metadata.name : []].flat(),
        ),
      ),
    ],
    'IRSA role ARNs': ofKind(manifests, 'ServiceAccount').flatMap(
      (m) => m.metadata.annotations?.['eks.amazonaws.com/role-arn'] ?? [],
    ),
    'table names': namesOf(manifests, 'Table', 'tableName'),
    'IAM role names': namesOf(manifests, 'Role', 'name'),
    'IAM policy names': namesOf(manifests, 'Policy', 'name'),
    'Lambda function names': namesOf(manifests, 'Function', 'name'),
    'SES configuration sets': namesOf(manifests, 'ConfigurationSet', 'name'),
    'Ingress hosts': ingresses.flatMap((spec) => [
      ...(spec.rules ?? []).map((rule) => rule.host ?? '<rule without host>'),
      ...(spec.tls ?? []).flatMap((tls) => tls.hosts ?? []),
    ]),
    'TLS secret names': ingresses.flatMap((spec) =>
      (spec.tls ?? []).map((tls) => tls.secretName ?? '<tls without secretName>'),
    ),
  }
}

type Statement = {
  Effect?: string
  Action?: string | string[]
  Resource?: string | string[]
  Condition?: unknown
}

/** The statements of every IAM policy document of one instance (Policy objects and Role inline policies). */
function collectStatements(instance: string): { source: string; statement: Statement }[] {
  const documents: { source: string; text: string }[] = []
  for (const manifest of renderInstance(instance)) {
    const spec = specOf(manifest)
    if (isAck(manifest, 'Policy') && typeof spec.policyDocument === 'string') {
      documents.push({
        source: `${describeManifest(manifest)} spec.policyDocument`,
        text: spec.policyDocument,
      })
    }
    if (isAck(manifest, 'Role')) {
      for (const [name, text] of Object.entries<string>(spec.inlinePolicies ?? {})) {
        documents.push({ source: `${describeManifest(manifest)} spec.inlinePolicies.${name}`, text })
      }
    }
  }
  return documents.flatMap(({ source, text }) => {
    let document: { Statement?: Statement | Statement[] }
    try {
      document = JSON.parse(text)
    } catch (error) {
      throw new Error(`${instance}: ${source} is not JSON: ${(error as Error).message}`)
    }
    const statements = [document.Statement ?? []].flat()
    return statements.map((statement) => ({ source, statement }))
  })
}

const asList = (value: string | string[] | undefined) => [value ?? []].flat()
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('isolation between instances', () => {
  it('has at least two instances to compare', () => {
    expect(instances.length).toBeGreaterThanOrEqual(2)
  })

  for (const instance of instances) {
    it(`${instance} names every resource that must differ`, () => {
      const identifiers = collectIdentifiers(instance)
      const missing = Object.entries(identifiers)
        .filter(
          ([, values]) => values.length === 0 || values.some((value) => typeof value !== 'string' || !value),
        )
        .map(([what]) => `${instance}: no ${what}`)
      expect(missing).toEqual([])
    })
  }

  for (const [index, first] of instances.entries()) {
    for (const second of instances.slice(index + 1)) {
      it(`${first} and ${second} share no namespace, role, policy, table, function, host or TLS secret`, () => {
        const a = collectIdentifiers(first)
        const b = collectIdentifiers(second)
        const shared = Object.keys(a).flatMap((what) =>
          (a[what] ?? []).filter((value) => b[what]?.includes(value)).map((value) => `${what}: ${value}`),
        )
        expect(shared).toEqual([])
      })

      for (const [owner, other] of [
        [first, second],
        [second, first],
      ] as const) {
        it(`${owner}'s IAM policies and trust never mention ${other}'s table or namespace`, () => {
          const otherTables = collectIdentifiers(other)['table names'] ?? []
          const otherNamespaces = collectIdentifiers(other).namespaces ?? []
          const mentions = [
            ...otherTables.map((table) => new RegExp(`table/${escapeRegExp(table)}(?![A-Za-z0-9_.-])`)),
            ...otherNamespaces.map((namespace) => new RegExp(`:${escapeRegExp(namespace)}:`)),
          ]
          const documents = renderInstance(owner).flatMap((manifest) => {
            const spec = specOf(manifest)
            const texts = [
              spec.policyDocument,
              spec.assumeRolePolicyDocument,
              ...Object.values(spec.inlinePolicies ?? {}),
            ]
            return texts.filter((t): t is string => typeof t === 'string').map((text) => ({ manifest, text }))
          })
          expect(documents.length).toBeGreaterThan(0)
          const problems = documents.flatMap(({ manifest, text }) =>
            mentions
              .filter((pattern) => pattern.test(text))
              .map((p) => `${owner}: ${describeManifest(manifest)}: ${p}`),
          )
          expect(problems).toEqual([])
        })
      }
    }
  }
})

describe('least privilege in AWS', () => {
  for (const instance of instances) {
    it(`${instance} grants DynamoDB actions on its own table, index and stream only`, () => {
      const tables = collectIdentifiers(instance)['table names'] ?? []
      expect(tables.length).toBe(1)
      const own = new RegExp(
        `^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\\d{12}:table/${escapeRegExp(tables[0]!)}(/index/[^/]+|/stream/[^/]+)?$`,
      )
      const statements = collectStatements(instance).filter(({ statement }) =>
        asList(statement.Action).some((action) => action.toLowerCase().startsWith('dynamodb:')),
      )
      expect(statements.length).toBeGreaterThan(0)
      const problems = statements.flatMap(({ source, statement }) => [
        ...asList(statement.Action)
          .filter((action) => action.includes('*'))
          .map((action) => `${instance}: ${source}: action ${action} is a wildcard`),
        ...asList(statement.Resource)
          .filter((resource) => !own.test(resource))
          .map(
            (resource) =>
              `${instance}: ${source}: resource ${resource} is not ${tables[0]} (or its index/stream)`,
          ),
      ])
      expect(problems).toEqual([])
    })

    it(`${instance} sends email only from named SES identities and its own configuration set`, () => {
      const configurationSets = collectIdentifiers(instance)['SES configuration sets'] ?? []
      const statements = collectStatements(instance).filter(({ statement }) =>
        asList(statement.Action).some((action) => action.toLowerCase().startsWith('ses:')),
      )
      expect(statements.length).toBeGreaterThan(0)
      const problems = statements.flatMap(({ source, statement }) =>
        asList(statement.Resource)
          .filter((resource) => {
            const identity = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^*]+$/.test(resource)
            const configurationSet = configurationSets.some((name) =>
              new RegExp(
                `^arn:aws[a-z-]*:ses:[a-z0-9-]+:\\d{12}:configuration-set/${escapeRegExp(name)}$`,
              ).test(resource),
            )
            return !identity && !configurationSet
          })
          .map(
            (resource) =>
              `${instance}: ${source}: SES resource ${resource} is a wildcard or another instance's`,
          ),
      )
      expect(problems).toEqual([])
    })

    it(`${instance}'s pods assume its own role, trusted for its namespace's ServiceAccount only`, () => {
      const manifests = renderInstance(instance)
      const serviceAccount = manifests.find(
        (m) => m.kind === 'ServiceAccount' && m.metadata.name === 'percolate',
      )
      expect(serviceAccount, `${instance}: ServiceAccount/percolate is missing`).toBeDefined()
      const roleArn = serviceAccount!.metadata.annotations?.['eks.amazonaws.com/role-arn'] ?? ''
      const roleName = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(roleArn)?.[1]
      expect({ roleArn, roleName }).toEqual({ roleArn, roleName: `percolate-${instance}` })
      const role = manifests.find((m) => isAck(m, 'Role') && specOf(m).name === roleName)
      expect(role, `${instance}: no ACK Role with spec.name ${roleName}`).toBeDefined()
      const trust = JSON.parse(specOf(role!).assumeRolePolicyDocument ?? '{}') as {
        Statement: Statement | Statement[]
      }
      const subjects = [trust.Statement]
        .flat()
        .flatMap((statement) =>
          Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>),
        )
        .flatMap((condition) => Object.entries(condition))
        .filter(([key]) => key.endsWith(':sub'))
        .flatMap(([, value]) => [value].flat())
      expect(subjects).toEqual([`system:serviceaccount:percolate-${instance}:percolate`])
    })
  }
})
