// `make destroy INSTANCE=<name> [KEEP_TABLE=0] [CONFIRM=<name>]`: removes an instance from the cluster and keeps
// its DynamoDB table (unless KEEP_TABLE=0).
//
// The ApplicationSet makes one Application per overlay in git, so an Application deleted while its overlay is
// still pushed comes straight back. Destroying therefore takes two runs around a push:
//   1. overlay still here: mark the table to be kept (ACK deletion policy `retain`, on the Table and on the
//      namespace), then the operator removes the overlay from git and pushes; Argo CD deletes the Application and
//      the instance's objects (the Table object stays: its sync options say Delete=false);
//   2. overlay gone: delete the Application if it is still there, then the namespace, which takes the Table object
//      (kept in AWS: retain) and percolate-secrets (never managed by Argo CD) with it. With KEEP_TABLE=0 the AWS
//      table is then deleted with the AWS CLI: its deletion protection must be turned off first, which ACK would
//      not do for an object being deleted.
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import {
  argocdNamespace,
  createPlan,
  displayPath,
  type Env,
  findK8sDir,
  type Instance,
  listInstances,
  OpsError,
  type Plan,
  readFlag,
  readValue,
  requireInstance,
  runMain,
} from './plan.ts'

export const tableResource = 'tables.dynamodb.services.k8s.aws'
/** On an ACK resource: what the controller does to the AWS resource when the object is deleted. */
export const deletionPolicyAnnotation = 'services.k8s.aws/deletion-policy'
/** On a namespace: the same, for every DynamoDB resource in it without its own annotation. */
export const namespaceDeletionPolicyAnnotation = 'dynamodb.services.k8s.aws/deletion-policy'

/** Whether KEEP_TABLE (default on) keeps the AWS table when the Table object goes. */
export function readKeepTable(env: Env): boolean {
  const value = readValue(env, 'KEEP_TABLE')
  return value === undefined || readFlag(env, 'KEEP_TABLE')
}

/** The operator types the instance name (or passes CONFIRM=<name> in scripts); a dry run never asks. */
export function confirmDestroy(plan: Plan, env: Env, instance: Instance, keepTable: boolean): void {
  if (plan.dryRun) return
  const confirmed = readValue(env, 'CONFIRM')
  if (confirmed !== undefined) {
    if (confirmed !== instance.name) {
      throw new OpsError(
        `CONFIRM "${confirmed}" is not the instance name: pass CONFIRM=${instance.name} to destroy it`,
      )
    }
    return
  }
  if (!process.stdin.isTTY) {
    throw new OpsError(`destroy needs a confirmation: run it in a terminal, or pass CONFIRM=${instance.name}`)
  }
  const table = keepTable ? 'its DynamoDB table is kept' : 'ITS DYNAMODB TABLE IS DELETED TOO (KEEP_TABLE=0)'
  const answer = prompt(
    `This removes instance ${instance.name} (namespace ${instance.namespace}); ${table}.\nType the instance name to go on:`,
  )
  if (answer?.trim() !== instance.name) throw new OpsError('not confirmed: nothing was changed')
}

/**
 * Marks every Table of the namespace, and the namespace for Tables made later, `retain`: whatever deletes the
 * objects (Argo CD, the namespace's deletion), ACK leaves the AWS table alone. Idempotent (--overwrite).
 */
export async function markTablesRetained(plan: Plan, instance: Instance): Promise<void> {
  plan.note('keep the DynamoDB table when its Table object goes: ACK deletion policy retain')
  const namespace = await plan.query(['kubectl', 'get', 'namespace', instance.namespace], { quiet: true })
  if (namespace !== undefined && namespace.code !== 0) {
    plan.note(`namespace ${instance.namespace} does not exist: no Table to mark`)
    return
  }
  await plan.run([
    'kubectl',
    'annotate',
    '--overwrite',
    'namespace',
    instance.namespace,
    `${namespaceDeletionPolicyAnnotation}=retain`,
  ])
  await plan.run([
    'kubectl',
    '-n',
    instance.namespace,
    'annotate',
    '--overwrite',
    tableResource,
    '--all',
    `${deletionPolicyAnnotation}=retain`,
  ])
}

export type AwsTable = { name: string; region: string }

/** The AWS tables behind the namespace's Table objects, read before the namespace (and they) are deleted. */
export async function findAwsTables(plan: Plan, instance: Instance): Promise<AwsTable[]> {
  const get = [
    'kubectl',
    '-n',
    instance.namespace,
    'get',
    tableResource,
    '-o',
    'jsonpath={range .items[*]}{.spec.tableName} {.status.ackResourceMetadata.region}{"\\n"}{end}',
  ]
  const result = await plan.query(get)
  if (result === undefined) {
    await plan.run(get)
    return [{ name: '<table>', region: '<region>' }]
  }
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([name, region]) => name && region)
    .map(([name, region]) => ({ name: name!, region: region! }))
}

/** KEEP_TABLE=0, once the instance is gone: deletion protection off, then the table (and its backups' PITR). */
export async function deleteAwsTables(plan: Plan, tables: AwsTable[]): Promise<void> {
  plan.requireTool('aws')
  if (tables.length === 0)
    plan.warn('no Table objects were found: delete the table in AWS yourself if it exists')
  for (const table of tables) {
    plan.note(`KEEP_TABLE=0: delete DynamoDB table ${table.name} (${table.region}) and its data`)
    const where = ['--table-name', table.name, '--region', table.region]
    await plan.run([
      'aws',
      'dynamodb',
      'update-table',
      ...where,
      '--no-deletion-protection-enabled',
      '--output',
      'text',
      '--query',
      'TableDescription.TableStatus',
    ])
    await plan.run(['aws', 'dynamodb', 'wait', 'table-exists', ...where])
    await plan.run([
      'aws',
      'dynamodb',
      'delete-table',
      ...where,
      '--output',
      'text',
      '--query',
      'TableDescription.TableStatus',
    ])
  }
}

/** Run 2: what Argo CD has not deleted yet, then the namespace itself (with the Table objects and the Secret). */
export async function deleteFromCluster(plan: Plan, instance: Instance): Promise<void> {
  await plan.run([
    'kubectl',
    '-n',
    argocdNamespace,
    'delete',
    'application',
    instance.application,
    '--ignore-not-found',
    '--wait=true',
    '--timeout=10m',
  ])
  await plan.run([
    'kubectl',
    'delete',
    'namespace',
    instance.namespace,
    '--ignore-not-found',
    '--wait=true',
    '--timeout=10m',
  ])
}

/**
 * Run 2 deletes the Application: if the overlay is still on the branch Argo CD follows, the ApplicationSet makes it
 * again at once. Checked against the upstream branch as of the last fetch (no network here).
 */
export async function checkRemovalPushed(plan: Plan, instance: Instance, k8sDir: string): Promise<void> {
  const top = await plan.check(['git', 'rev-parse', '--show-toplevel'], {
    allowFailure: true,
    quiet: true,
    cwd: k8sDir,
  })
  if (top.code !== 0) {
    plan.warn("not inside a git work tree: cannot check that the overlay's removal is pushed")
    return
  }
  const cwd = top.stdout.trim()
  const upstream = await plan.check(['git', 'rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}'], {
    allowFailure: true,
    quiet: true,
    cwd,
  })
  if (upstream.code !== 0) {
    plan.warn("this branch has no upstream: cannot check that the overlay's removal is pushed")
    return
  }
  const branch = upstream.stdout.trim()
  const path = relative(cwd, join(instance.overlayDir, 'kustomization.yaml'))
  const still = await plan.check(['git', 'cat-file', '-e', `${branch}:${path}`], { allowFailure: true, cwd })
  if (still.code === 0) {
    plan.fail(
      `${path} is still on ${branch} (as of the last fetch): push the overlay's removal first, or the ` +
        `ApplicationSet makes ${instance.application} again right after it is deleted`,
    )
  }
}

/** Run 2 in full: the tables to delete are looked up before the namespace takes their objects away. */
async function finishDestroy(plan: Plan, instance: Instance, keepTable: boolean): Promise<void> {
  const tables = keepTable ? [] : await findAwsTables(plan, instance)
  await deleteFromCluster(plan, instance)
  if (!keepTable) await deleteAwsTables(plan, tables)
}

export async function destroy(env: Env): Promise<void> {
  const k8sDir = findK8sDir(env)
  const instance = requireInstance(env, k8sDir, { overlayMustExist: false })
  const overlayPresent = existsSync(instance.overlayDir)
  const keepTable = readKeepTable(env)
  const plan = createPlan(env)
  plan.requireTool('kubectl')

  if (!overlayPresent) {
    // Run 2 needs the cluster to know the name: a typo must not look like a finished destroy.
    const known = await plan.query(['kubectl', 'get', 'namespace', instance.namespace], { quiet: true })
    const application = await plan.query(
      ['kubectl', '-n', argocdNamespace, 'get', 'application', instance.application],
      { quiet: true },
    )
    if (known !== undefined && known.code !== 0 && application?.code !== 0) {
      const instances = listInstances(k8sDir)
      throw new OpsError(
        `INSTANCE "${instance.name}" is unknown: no overlay ${displayPath(instance.overlayDir)}, no namespace ` +
          `${instance.namespace} and no Application ${instance.application}; instances: ${instances.join(', ') || 'none'}`,
      )
    }
    await checkRemovalPushed(plan, instance, k8sDir)
  }

  confirmDestroy(plan, env, instance, keepTable)
  await markTablesRetained(plan, instance)

  if (overlayPresent) {
    const overlay = displayPath(instance.overlayDir)
    plan.note(`${overlay} is still here, so the ApplicationSet would recreate ${instance.application}. Now:`)
    plan.note(`  git rm -r ${overlay} && git commit -m "Remove instance ${instance.name}" && git push`)
    plan.note(
      `  Argo CD then deletes ${instance.application} and the objects of ${instance.name} (not the Table);`,
    )
    plan.note(
      `  make destroy INSTANCE=${instance.name}${keepTable ? '' : ' KEEP_TABLE=0'} once more deletes the rest, ` +
        'with the namespace:',
    )
    if (plan.dryRun) await finishDestroy(plan, instance, keepTable)
  } else {
    await finishDestroy(plan, instance, keepTable)
    plan.note(
      keepTable
        ? `${instance.name} is removed; its DynamoDB table stays in AWS (KEEP_TABLE=0 deletes it, or the AWS console)`
        : `${instance.name} is removed, with its DynamoDB table`,
    )
  }
  plan.finish()
}

if (import.meta.main) await runMain('destroy', destroy)
