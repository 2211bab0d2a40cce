// config.*: the workspace settings an admin manages. Saves name the version they were made on: of two admins
// saving at once, the second gets a clear conflict and the first's change stands.
import { requireDeployment, updateDeploymentSettings } from '@percolate/db/deployments'
import { deploymentSchema, deploymentSettingsSchema } from '@percolate/domain/deployment'
import { nextRoundTimes } from '@percolate/domain/schedule'
import { z } from 'zod'
import { adminProcedure, createTRPCRouter } from './init.ts'

const NEXT_ROUNDS = 5

const upcomingSchema = z.array(
  z.object({
    /** The instant, ISO 8601 UTC. */
    at: z.iso.datetime(),
    /** The same instant in the workspace's time zone, for display: "Mon, 30 Mar 2026, 09:00 CEST". */
    local: z.string(),
  }),
)

function upcoming(
  settings: { schedule: Parameters<typeof nextRoundTimes>[0]; timeZone: string },
  after = new Date(),
) {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: settings.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  })
  return nextRoundTimes(settings.schedule, settings.timeZone, after, NEXT_ROUNDS).map((at) => ({
    at: at.toISOString(),
    local: format.format(at),
  }))
}

export const configRouter = createTRPCRouter({
  get: adminProcedure
    .input(z.void())
    .output(z.object({ deployment: deploymentSchema, nextRounds: upcomingSchema }))
    .query(async ({ ctx }) => {
      const deployment = await requireDeployment(ctx.db, ctx.deploymentId)
      return { deployment, nextRounds: upcoming(deployment) }
    }),

  /** The next round times a schedule would give, before saving it (the editor's live preview). */
  previewSchedule: adminProcedure
    .input(deploymentSettingsSchema.pick({ schedule: true, timeZone: true }))
    .output(upcomingSchema)
    .query(({ input }) => upcoming(input)),

  update: adminProcedure
    .input(z.object({ version: z.number().int().min(1), settings: deploymentSettingsSchema }))
    .output(z.object({ deployment: deploymentSchema, nextRounds: upcomingSchema }))
    .mutation(async ({ ctx, input }) => {
      const deployment = await updateDeploymentSettings(
        ctx.db,
        ctx.deploymentId,
        input.settings,
        input.version,
      )
      ctx.logger.info('settings saved', {
        deploymentId: ctx.deploymentId,
        by: ctx.member.id,
        version: deployment.version,
      })
      return { deployment, nextRounds: upcoming(deployment) }
    }),
})
