// `percolate-cron init`: bootstraps a deployment in an empty table (an Argo CD PostSync hook runs it after every
// sync). It validates the settings file, writes the admins' member placeholders, then the deployment, last: a run
// killed half-way is simply run again, and once the deployment exists its settings and members belong to its
// admins. A later run validates the file and reports, but writes nothing: the hook must not undo what admins
// changed (a demoted or removed admin coming back at the next sync would be a security hole).
import { readFile } from 'node:fs/promises'
import type { Database } from '@percolate/db/database'
import { createDeployment, getDeployment } from '@percolate/db/deployments'
import { createMember, findMemberByEmail, updateMember } from '@percolate/db/members'
import {
  type Deployment,
  type DeploymentSettings,
  deploymentSettingsSchema,
  isEmailDomainAllowed,
} from '@percolate/domain/deployment'
import { AppError } from '@percolate/domain/errors'
import { channelAddressesSchema, type Member, preferencesSchema } from '@percolate/domain/member'
import { describeIssues } from '@percolate/domain/validation'
import type { Log } from './log-lines.ts'

/** A problem with the operator's input that nothing in the table caused: exit 1 with this message. */
export class InitInputError extends Error {}

/**
 * Reads and validates a JSON deployment settings file (the admin's settings form, as JSON). Unknown fields are
 * errors: a misspelt optional field would otherwise fall back to its default without a word.
 */
export async function readSettingsFile(path: string): Promise<DeploymentSettings> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InitInputError(
      `--settings ${path}: cannot read the file (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`,
    )
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new InitInputError(`--settings ${path}: not JSON (${(error as Error).message})`)
  }
  const parsed = deploymentSettingsSchema.strict().safeParse(raw)
  if (!parsed.success)
    throw new InitInputError(
      `--settings ${path}: invalid deployment settings: ${describeIssues(parsed.error).join('; ')}`,
    )
  return parsed.data
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1)

/** The member an admin email becomes: claimed by the first verified sign-in with that email (see authentication.md). */
function adminPlaceholder(deploymentId: string, settings: DeploymentSettings, email: string) {
  return {
    id: crypto.randomUUID(),
    deploymentId,
    email,
    // Until they sign in and go through onboarding, where they set their name.
    name: email.slice(0, email.indexOf('@')),
    department: '',
    location: '',
    timeZone: settings.timeZone,
    workingHours: { start: '09:00', end: '17:00' },
    bio: '',
    interests: [],
    role: 'admin' as const,
    preferences: preferencesSchema.parse({}),
    participation: { status: 'active' as const },
    channels: channelAddressesSchema.parse({}),
    identities: [],
    onboarded: false,
  }
}

type AdminOutcome = 'created' | 'exists' | 'made admin' | 'left alone' | 'missing'

/** Makes sure `email` has an admin member; only before the deployment exists (see the top of the file). */
async function ensureAdmin(
  db: Database,
  deploymentId: string,
  settings: DeploymentSettings,
  email: string,
  now: Date,
): Promise<{ member: Member; outcome: AdminOutcome }> {
  const existing = await findMemberByEmail(db, deploymentId, email)
  if (existing) {
    // Written by an earlier, interrupted init: nobody could have signed in before the deployment existed.
    if (existing.role === 'admin') return { member: existing, outcome: 'exists' }
    return { member: await updateMember(db, existing, { role: 'admin' }, now), outcome: 'made admin' }
  }
  try {
    return {
      member: await createMember(db, adminPlaceholder(deploymentId, settings, email), now),
      outcome: 'created',
    }
  } catch (error) {
    // A concurrent init claimed the email first: its member is the one.
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error
    const member = await findMemberByEmail(db, deploymentId, email)
    if (!member) throw error
    return ensureAdmin(db, deploymentId, settings, email, now)
  }
}

/** Top-level settings that differ between the file and the deployment (reported, never applied). */
function differingSettings(stored: Deployment, file: DeploymentSettings): string[] {
  return (Object.keys(file) as (keyof DeploymentSettings)[]).filter(
    (key) => JSON.stringify(stored[key]) !== JSON.stringify(file[key]),
  )
}

export interface InitResult {
  created: boolean
  admins: { memberId: string | null; outcome: AdminOutcome }[]
}

/**
 * Creates the deployment with its admins unless it exists. Admins are logged by their position in the command
 * line (`admin: 1`) and member id: emails stay out of the logs.
 */
export async function initDeployment(
  db: Database,
  input: { deploymentId: string; settings: DeploymentSettings; adminEmails: readonly string[] },
  log: Log,
  now = new Date(),
): Promise<InitResult> {
  const { deploymentId, settings, adminEmails } = input
  const existing = await getDeployment(db, deploymentId)
  if (existing) {
    const admins: InitResult['admins'] = []
    for (const [index, email] of adminEmails.entries()) {
      const member = await findMemberByEmail(db, deploymentId, email)
      const outcome = member ? 'left alone' : 'missing'
      admins.push({ memberId: member?.id ?? null, outcome })
      log({
        deployment: deploymentId,
        step: 'admin',
        admin: index + 1,
        memberId: member?.id ?? null,
        ...(member ? { role: member.role } : {}),
        outcome: member ? 'left alone' : 'not a member; the deployment exists, so init adds nobody',
      })
    }
    const differs = differingSettings(existing, settings)
    log({
      deployment: deploymentId,
      step: 'init',
      outcome: 'exists',
      settings: 'left alone: admins own them after creation',
      ...(differs.length > 0 ? { differsFromFile: differs } : {}),
    })
    return { created: false, admins }
  }

  // Checked before anything is written: an admin who could never sign in is a mistake in the command line.
  for (const [index, email] of adminEmails.entries()) {
    if (!isEmailDomainAllowed(settings, email))
      throw new InitInputError(
        `--admin (the ${ordinal(index + 1)}): the domain ${domainOf(email)} is not in the settings' allowedEmailDomains (${settings.allowedEmailDomains.join(', ')}), so that admin could never sign in`,
      )
  }
  const admins: InitResult['admins'] = []
  for (const [index, email] of adminEmails.entries()) {
    const { member, outcome } = await ensureAdmin(db, deploymentId, settings, email, now)
    admins.push({ memberId: member.id, outcome })
    log({ deployment: deploymentId, step: 'admin', admin: index + 1, memberId: member.id, outcome })
  }
  try {
    await createDeployment(db, deploymentId, settings, now)
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error
    // A concurrent init finished first, with the same admins.
    log({ deployment: deploymentId, step: 'init', outcome: 'exists', settings: 'created by another run' })
    return { created: false, admins }
  }
  log({ deployment: deploymentId, step: 'init', outcome: 'created', admins: admins.length })
  return { created: true, admins }
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n % 100 !== 11
      ? 'st'
      : n % 10 === 2 && n % 100 !== 12
        ? 'nd'
        : n % 10 === 3 && n % 100 !== 13
          ? 'rd'
          : 'th'
  return `${n}${suffix}`
}
