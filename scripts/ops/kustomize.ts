// Rendering an overlay the way Argo CD does (`kubectl kustomize`): a local check that needs no cluster, so it
// runs in dry runs too.
import { displayPath, OpsError, type Plan } from './plan.ts'

export type KubeObject = {
  apiVersion?: string
  kind?: string
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> }
  spec?: Record<string, unknown>
}

export type Rendered = { yaml: string; objects: KubeObject[] }

/** Renders `dir` and parses the result; an overlay that does not render stops the target with kubectl's reason. */
export async function renderOverlay(plan: Plan, dir: string): Promise<Rendered> {
  const result = await plan.check(['kubectl', 'kustomize', displayPath(dir)], { allowFailure: true })
  if (result.code !== 0) {
    throw new OpsError(`${displayPath(dir)} does not render with kubectl kustomize:\n${result.stderr.trim()}`)
  }
  return { yaml: result.stdout, objects: parseObjects(result.stdout) }
}

export function parseObjects(yaml: string): KubeObject[] {
  const parsed: unknown = Bun.YAML.parse(yaml)
  const documents = Array.isArray(parsed) ? parsed : [parsed]
  return documents.filter(
    (document): document is KubeObject => typeof document === 'object' && document !== null,
  )
}

/** `Kind/name` of each object, e.g. for "renders 23 objects" summaries and tests. */
export function describeObjects(objects: KubeObject[]): string[] {
  return objects.map((object) => `${object.kind}/${object.metadata?.name}`)
}
