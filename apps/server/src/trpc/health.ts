import { z } from 'zod'
import packageJson from '../../package.json' with { type: 'json' }
import { checkDynamo } from '../readiness.ts'
import { publicProcedure } from './init.ts'

export const healthOutputSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  mode: z.enum(['local', 'production']),
  version: z.string(),
  database: z.enum(['up', 'down']),
  time: z.iso.datetime(),
})

/** Anyone may ask: says whether the server and its database are up, never more. */
export const healthQuery = publicProcedure.output(healthOutputSchema).query(async ({ ctx }) => {
  const dynamo = await checkDynamo(ctx.db.client, ctx.db.tableName)
  return {
    status: dynamo.ready ? ('ok' as const) : ('degraded' as const),
    mode: ctx.env.PERCOLATE_MODE,
    version: packageJson.version,
    database: dynamo.ready ? ('up' as const) : ('down' as const),
    time: new Date().toISOString(),
  }
})
