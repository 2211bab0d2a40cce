// Deployment items and their access patterns.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import {
  type Deployment,
  type DeploymentSettings,
  deploymentSchema,
  type IdentityProvider,
} from '@percolate/domain/deployment'
import { AppError } from '@percolate/domain/errors'
import type { Schedule } from '@percolate/domain/schedule'
import { Entity } from 'dynamodb-toolbox/entity'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { any } from 'dynamodb-toolbox/schema/any'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'

/** The directory of deployments, the one index partition not keyed by a deployment (it holds only ids). */
const DEPLOYMENT_DIRECTORY = 'DEPLOYMENTS'

export function createDeploymentEntity(table: PercolateTable) {
  return new Entity({
    name: 'Deployment',
    table,
    timestamps: false,
    schema: item({
      id: string().key(),
      name: string(),
      timeZone: string(),
      schedule: any().castAs<Schedule>(),
      meetingSize: number(),
      remainderPolicy: string(),
      participationMode: string(),
      repeatDecayWeeks: number(),
      allowedEmailDomains: list(string()),
      enabledChannels: list(string()),
      identityProviders: any().castAs<IdentityProvider[]>(),
      version: number(),
      createdAt: string(),
      updatedAt: string(),
    }).and((schema) => ({
      gsi1pk: string().default(DEPLOYMENT_DIRECTORY),
      gsi1sk: string().link<typeof schema>(({ id }) => id),
    })),
    computeKey: ({ id }) => ({ pk: deploymentPartition(id), sk: 'DEPLOYMENT' }),
  })
}

function toDeployment(raw: unknown): Deployment {
  return deploymentSchema.parse(raw)
}

export async function getDeployment(db: Database, id: string): Promise<Deployment | null> {
  const { Item } = await db.deployments.build(GetItemCommand).key({ id }).options({ consistent: true }).send()
  return Item ? toDeployment(Item) : null
}

export async function requireDeployment(db: Database, id: string): Promise<Deployment> {
  const deployment = await getDeployment(db, id)
  if (!deployment) throw new AppError('NOT_FOUND', `No deployment with id '${id}'`)
  return deployment
}

/** Creates a deployment; fails with CONFLICT when the id is taken. */
export async function createDeployment(
  db: Database,
  id: string,
  settings: DeploymentSettings,
  now = new Date(),
): Promise<Deployment> {
  const at = now.toISOString()
  const deployment = toDeployment({ ...settings, id, version: 1, createdAt: at, updatedAt: at })
  try {
    await db.deployments
      .build(PutItemCommand)
      .item(deployment)
      .options({ condition: { attr: 'id', exists: false } })
      .send()
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new AppError('CONFLICT', `A deployment with id '${id}' already exists`)
    }
    throw error
  }
  return deployment
}

/**
 * Replaces a deployment's settings if nobody saved since `expectedVersion` was read (optimistic concurrency):
 * a second admin saving the same version gets CONFLICT and nothing of the first save is lost.
 */
export async function updateDeploymentSettings(
  db: Database,
  id: string,
  settings: DeploymentSettings,
  expectedVersion: number,
  now = new Date(),
): Promise<Deployment> {
  const current = await requireDeployment(db, id)
  const next = toDeployment({
    ...settings,
    id,
    version: expectedVersion + 1,
    createdAt: current.createdAt,
    updatedAt: now.toISOString(),
  })
  try {
    await db.deployments
      .build(PutItemCommand)
      .item(next)
      .options({ condition: { attr: 'version', eq: expectedVersion } })
      .send()
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new AppError(
        'CONFLICT',
        `Deployment '${id}' was changed by someone else since you loaded it (version ${expectedVersion}); reload and apply your change again`,
      )
    }
    throw error
  }
  return next
}

/** Every deployment id in the table, for "run all due rounds". Pages through the directory index. */
export async function listDeploymentIds(db: Database): Promise<string[]> {
  const ids: string[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.deployments)
      .query({ index: 'gsi1', partition: DEPLOYMENT_DIRECTORY })
      .options({ attributes: ['id'], ...(exclusiveStartKey ? { exclusiveStartKey } : {}) })
      .send()
    for (const found of page.Items ?? []) ids.push(found.id)
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return ids
}
