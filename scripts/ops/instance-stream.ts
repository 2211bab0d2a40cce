// `make instance-stream INSTANCE=<name> [TABLE_STREAM_ARN=<arn>]`: connects the notification Lambda to the
// table's stream. AWS names a stream only once the table exists, so after the first sync this reads the Table's
// status.latestStreamARN from the cluster (or takes TABLE_STREAM_ARN), writes event-source.yaml from the template
// into the overlay and lists it in the overlay's resources. Run it again after a table restore (a new stream).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { substitutePlaceholders } from './instance-new.ts'
import { renderOverlay } from './kustomize.ts'
import {
  createPlan,
  displayPath,
  type Env,
  findK8sDir,
  OpsError,
  type Plan,
  readValue,
  requireInstance,
  runMain,
} from './plan.ts'

export const eventSourceFile = 'event-source.yaml'
const tableResource = 'tables.dynamodb.services.k8s.aws'

/** The overlay's kustomization with event-source.yaml among its resources (the template has it commented out). */
export function addEventSourceResource(kustomization: string): string {
  const lines = kustomization.split('\n')
  if (lines.some((line) => /^\s*-\s*event-source\.yaml\s*$/.test(line))) return kustomization
  const commented = lines.findIndex((line) => /^\s*#\s*-\s*event-source\.yaml\b/.test(line))
  if (commented >= 0) {
    const indent = /^\s*/.exec(lines[commented]!)![0]
    lines[commented] = `${indent}- ${eventSourceFile}`
    return lines.join('\n')
  }
  const start = lines.findIndex((line) => /^resources:\s*$/.test(line))
  if (start < 0)
    throw new OpsError('the overlay kustomization.yaml has no `resources:` list to add event-source.yaml to')
  let last = start
  for (let index = start + 1; index < lines.length && /^\s+(-|#)/.test(lines[index]!); index++) {
    if (/^\s+-/.test(lines[index]!)) last = index
  }
  const indent = last > start ? /^\s*/.exec(lines[last]!)![0] : '  '
  lines.splice(last + 1, 0, `${indent}- ${eventSourceFile}`)
  return lines.join('\n')
}

/** The stream must be this instance's table's: a pasted ARN of another instance would wire two of them together. */
export function checkStreamArn(arn: string, tableName: string): void {
  const pattern =
    /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table\/([A-Za-z0-9_.-]+)\/stream\/[0-9T:.-]+$/
  const match = pattern.exec(arn)
  if (!match) {
    throw new OpsError(
      `TABLE_STREAM_ARN "${arn}" is not a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<time>)`,
    )
  }
  if (match[1] !== tableName) {
    throw new OpsError(`TABLE_STREAM_ARN "${arn}" is the stream of table ${match[1]}, not of ${tableName}`)
  }
}

async function readStreamArn(
  plan: Plan,
  env: Env,
  namespace: string,
  table: string,
): Promise<string | undefined> {
  const given = readValue(env, 'TABLE_STREAM_ARN')
  if (given) return given
  const get = [
    'kubectl',
    '-n',
    namespace,
    'get',
    tableResource,
    table,
    '-o',
    'jsonpath={.status.latestStreamARN}',
  ]
  const result = await plan.query(get)
  if (result === undefined) {
    await plan.run(get)
    return undefined
  }
  const arn = result.stdout.trim()
  if (result.code !== 0 || !arn) {
    throw new OpsError(
      `Table ${table} in ${namespace} has no status.latestStreamARN yet: ACK sets it once the table exists ` +
        `(make status INSTANCE=...; kubectl -n ${namespace} describe ${tableResource} ${table})`,
    )
  }
  return arn
}

export async function instanceStream(env: Env): Promise<void> {
  const k8sDir = findK8sDir(env)
  const instance = requireInstance(env, k8sDir)
  const plan = createPlan(env)
  plan.requireTool('kubectl')
  const { objects } = await renderOverlay(plan, instance.overlayDir)
  const table = objects.find((object) => object.kind === 'Table')
  const tableName = table?.spec?.tableName
  if (!table?.metadata?.name || typeof tableName !== 'string') {
    throw new OpsError(`${displayPath(instance.overlayDir)} renders no DynamoDB Table with spec.tableName`)
  }

  const arn = await readStreamArn(plan, env, instance.namespace, table.metadata.name)
  const templatePath = join(k8sDir, 'instance-template', eventSourceFile)
  if (!existsSync(templatePath)) throw new OpsError(`${displayPath(templatePath)} does not exist`)
  const eventSourcePath = join(instance.overlayDir, eventSourceFile)
  const kustomizationPath = join(instance.overlayDir, 'kustomization.yaml')
  if (arn === undefined) {
    plan.note(
      `would write ${displayPath(eventSourcePath)} (eventSourceARN: the Table's status.latestStreamARN)`,
    )
    plan.note(`would list ${eventSourceFile} in ${displayPath(kustomizationPath)}`)
    await plan.run(['kubectl', 'kustomize', displayPath(instance.overlayDir)])
    plan.finish()
    return
  }
  checkStreamArn(arn, tableName)
  const eventSource = substitutePlaceholders(
    readFileSync(templatePath, 'utf8'),
    { INSTANCE: instance.name, TABLE_STREAM_ARN: arn },
    displayPath(templatePath),
    'instance-stream',
  )
  const kustomization = readFileSync(kustomizationPath, 'utf8')
  const updated = addEventSourceResource(kustomization)
  const previous = existsSync(eventSourcePath) ? readFileSync(eventSourcePath, 'utf8') : undefined
  if (previous === eventSource && updated === kustomization) {
    plan.note(`${displayPath(eventSourcePath)} already holds ${arn}: nothing to change`)
    plan.finish()
    return
  }
  if (plan.dryRun) {
    plan.note(`would write ${displayPath(eventSourcePath)} (eventSourceARN: ${arn})`)
    if (updated !== kustomization)
      plan.note(`would list ${eventSourceFile} in ${displayPath(kustomizationPath)}`)
    await plan.run(['kubectl', 'kustomize', displayPath(instance.overlayDir)])
    plan.finish()
    return
  }
  writeFileSync(eventSourcePath, eventSource)
  writeFileSync(kustomizationPath, updated)
  try {
    const rendered = await renderOverlay(plan, instance.overlayDir)
    if (!rendered.objects.some((object) => object.kind === 'EventSourceMapping')) {
      throw new OpsError(`${displayPath(instance.overlayDir)} renders no EventSourceMapping after the change`)
    }
  } catch (error) {
    // Leave the overlay as it was rather than half-changed.
    writeFileSync(kustomizationPath, kustomization)
    if (previous === undefined) rmSync(eventSourcePath, { force: true })
    else writeFileSync(eventSourcePath, previous)
    throw error
  }
  plan.note(
    `wrote ${displayPath(eventSourcePath)} (eventSourceARN: ${arn}) and listed it in the kustomization`,
  )
  plan.note(`next: git add ${displayPath(instance.overlayDir)} && git commit && git push (Argo CD syncs it)`)
  plan.finish()
}

if (import.meta.main) await runMain('instance-stream', instanceStream)
