// Issue 10: the whole product as people use it, across every part, on the embedded defaults, with two deployments
// on one server: `make dev`'s stack (dev-stack.ts) seeding Demo Co (Europe/Berlin, Mondays 09:00, pairs) and
// Globex (America/New_York, Thursdays 10:30, groups of three), without the dev worker: the compiled
// `percolate-cron` alone runs rounds and sends notifications, as the CronJobs do in a cluster.
//
// Each step is one test, in order; a step that fails names itself, saves a screenshot and the URL of every open
// page, and the steps after it say they did not run. The emails (raw and parsed), the chat messages, every cron
// invocation and full-page screenshots of the main pages (screens/, for the guides) are written under
// test-results/two-deployments/ whatever happens.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { listRoundMatches } from '@percolate/db/matches'
import { listMembers } from '@percolate/db/members'
import { createTestDatabase, testEndpoint } from '@percolate/db/testing'
import { memberChannels } from '@percolate/domain/member'
import { nextRoundTimes } from '@percolate/domain/schedule'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { fillProviderForm, launchChromium } from './browser.ts'
import { type DevStack, startDevStack } from './dev-stack.ts'
import { type ApiClient, apiFor, refusal } from './e2e-api.ts'
import { type CronResult, describeCronResult, newSigningKey, requireCronBinary, runCron } from './e2e-cron.ts'
import {
  type ChatInbox,
  chatRecipients,
  fetchChat,
  fetchEmails,
  parseEmail,
  type StoredEmail,
} from './e2e-mail.ts'

const distDir = join(import.meta.dir, '../dist')
const outDir = join(import.meta.dir, '../test-results/two-deployments')
const screensDir = join(outDir, 'screens')
const desktop = { width: 1280, height: 800 }

interface Workspace {
  id: 'demo' | 'globex'
  name: string
  domain: string
  timeZone: string
  /** The schedule as its admin set it: weekday and local time. */
  weekday: string
  localTime: string
  meetingSize: number
  admin: Person
}
interface Person {
  email: string
  name: string
  workspace: 'demo' | 'globex'
}
const person = (workspace: Person['workspace'], name: string): Person => {
  const domain = workspace === 'demo' ? 'democo.example' : 'globex.example'
  return { workspace, name, email: `${name.toLowerCase().replace(' ', '.')}@${domain}` }
}

// Demo Co: Quentin (imported, not onboarded) and a newcomer (registers on first sign-in) go through onboarding;
// Ben pauses; Chiara would rather not meet Dmitri. Globex: Beatriz and Julian (imported) onboard; Yara would
// rather not meet Theo; Nikolai never signs in, so he is not matched.
const ada = person('demo', 'Ada Meyer')
const quentin = person('demo', 'Quentin Novak')
const newcomer = person('demo', 'New Joiner')
const ben = person('demo', 'Ben Rossi')
const chiara = person('demo', 'Chiara Nowak')
const dmitri = person('demo', 'Dmitri Okafor')
const harper = person('globex', 'Harper Lindqvist')
const beatriz = person('globex', 'Beatriz Costa')
const julian = person('globex', 'Julian Park')
const yara = person('globex', 'Yara Haddad')
const theo = person('globex', 'Theo Fitzgerald')
const nikolai = person('globex', 'Nikolai Petrov')

const workspaces: Record<Workspace['id'], Workspace> = {
  demo: {
    id: 'demo',
    name: 'Demo Co',
    domain: 'democo.example',
    timeZone: 'Europe/Berlin',
    weekday: 'Monday',
    localTime: '09:00',
    meetingSize: 2,
    admin: ada,
  },
  globex: {
    id: 'globex',
    name: 'Globex',
    domain: 'globex.example',
    timeZone: 'America/New_York',
    weekday: 'Thursday',
    localTime: '10:30',
    meetingSize: 3,
    admin: harper,
  },
}
const both = [workspaces.demo, workspaces.globex]
const other = (w: Workspace) => (w.id === 'demo' ? workspaces.globex : workspaces.demo)

const db = await createTestDatabase()
let stack: DevStack
let browser: Browser
let signingKey = ''
const pageErrors: string[] = []
const cronRuns: CronResult[] = []
const sessions = new Map<string, { context: BrowserContext; page: Page; api: ApiClient }>()

/** Each deployment's two round times (from its admin's settings), and the groups each round got (member ids). */
const rounds = new Map<Workspace['id'], { first: string; second: string }>()
const groups = new Map<string, string[][]>()
/** How many emails and chat messages (per server) the local stores held at each point of the run. */
const marks = new Map<string, { emails: number; slack: number; telegram: number; signal: number }>()

// ---------------------------------------------------------------------------------------------------------------
// Steps: one test each, in order; a failure names the step and leaves its traces.

let brokenStep: string | null = null

function step(title: string, run: () => Promise<void>, timeoutMs = 120_000) {
  it(
    title,
    async () => {
      if (brokenStep) throw new Error(`"${title}" did not run: the earlier step "${brokenStep}" failed`)
      try {
        await run()
      } catch (error) {
        brokenStep = title
        await saveFailureTraces(title)
        const reason = error instanceof Error ? error.message : String(error)
        throw new Error(`step "${title}" failed: ${reason}`, { cause: error })
      }
    },
    timeoutMs,
  )
}

async function saveFailureTraces(title: string) {
  const slug = title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')
  const urls: string[] = []
  let index = 0
  for (const context of browser?.contexts() ?? []) {
    for (const page of context.pages()) {
      index += 1
      const file = `failure-${slug}-${index}.png`
      urls.push(`${file}: ${page.url()}`)
      await page.screenshot({ path: join(outDir, file), fullPage: true }).catch(() => {})
    }
  }
  writeFileSync(join(outDir, `failure-${slug}.txt`), `${title}\n${urls.join('\n')}\n`)
}

/** A full-page screenshot for the guides, under a stable name. */
async function screen(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(screensDir, `${name}.png`), fullPage: true, animations: 'disabled' })
}

// ---------------------------------------------------------------------------------------------------------------
// People in the browser.

async function chooseWorkspace(page: Page, name: string) {
  await page.getByRole('heading', { name: 'Sign in to Percolate' }).waitFor({ timeout: 15_000 })
  // Two workspaces on this server: the page asks which one first.
  await page.getByRole('button', { name: /Workspace/ }).click()
  await page.getByRole('option', { name }).click()
  await page.getByRole('link', { name: 'Sign in with Local demo account' }).waitFor()
}

/** Signs `who` in from a browser of their own, through the workspace picker and the local identity provider. */
async function signIn(who: Person, expectPath: '/' | '/onboarding', shots = false): Promise<Page> {
  const context = await browser.newContext({
    viewport: desktop,
    colorScheme: 'light',
    reducedMotion: 'reduce',
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(`${who.email} on ${page.url()}: ${error.message}`))
  sessions.set(who.email, { context, page, api: apiFor(context, stack.webOrigin) })
  await page.goto(`${stack.webOrigin}/`)
  await page.waitForURL(`${stack.webOrigin}/sign-in?returnTo=%2F`)
  await chooseWorkspace(page, workspaces[who.workspace].name)
  if (shots) await screen(page, 'sign-in')
  await page.getByRole('link', { name: 'Sign in with Local demo account' }).click()
  await page.getByRole('heading', { name: 'Local identity provider' }).waitFor({ timeout: 15_000 })
  if (shots) await screen(page, 'identity-provider')
  await fillProviderForm(page, who.email)
  await page.waitForURL(`${stack.webOrigin}${expectPath}`, { timeout: 20_000 })
  return page
}

const session = (who: Person) => {
  const found = sessions.get(who.email)
  if (!found) throw new Error(`${who.name} has not signed in`)
  return found
}

/** The onboarding wizard: profile (department filled if empty), preferences, channels (one chat address), done. */
async function onboard(
  who: Person,
  chat: { label: string; value: string } | null,
  department: string | null,
  shots = false,
) {
  const { page } = session(who)
  const wizard = page.getByRole('main')
  const stepHeading = (title: string) => wizard.getByRole('heading', { name: title, level: 1 })
  await stepHeading('Your profile').waitFor()
  await page.getByText(`Welcome, ${who.name}.`).waitFor()
  if (department) await page.getByLabel('Department', { exact: true }).fill(department)
  if (shots) await screen(page, 'onboarding-1-profile')
  await page.getByRole('button', { name: 'Next' }).click()
  await stepHeading('Your preferences').waitFor()
  if (shots) await screen(page, 'onboarding-2-preferences')
  await page.getByRole('button', { name: 'Next' }).click()
  await stepHeading('How to reach you').waitFor()
  if (chat) await page.getByLabel(chat.label).fill(chat.value)
  if (shots) await screen(page, 'onboarding-3-channels')
  await page.getByRole('button', { name: 'Next' }).click()
  await stepHeading('Done').waitFor()
  if (shots) await screen(page, 'onboarding-4-done')
  await page.getByRole('button', { name: 'Start meeting people' }).click()
  await page.waitForURL(`${stack.webOrigin}/`)
  await page.getByText(/^You are all set/).waitFor()
  // The dashboard itself, not the wizard's last frame (the guides' screenshot is taken next).
  await page.getByRole('heading', { name: `Hello, ${who.name.split(' ')[0]}`, level: 1 }).waitFor()
}

async function goTo(page: Page, link: string, heading: string | RegExp) {
  // Form pages (workspace settings) open with the side navigation closed, as Cloudscape lays out forms.
  const open = page.getByRole('button', { name: 'Open side navigation' })
  if (await open.isVisible()) await open.click()
  await page.getByRole('navigation', { name: 'Side navigation' }).getByRole('link', { name: link }).click()
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
}

// ---------------------------------------------------------------------------------------------------------------
// What the stores hold.

type DbMember = Awaited<ReturnType<typeof listMembers>>['members'][number]

async function membersOf(workspace: Workspace): Promise<DbMember[]> {
  const page = await listMembers(db, workspace.id, { limit: 200 })
  return page.members
}

async function memberByEmail(email: string): Promise<DbMember> {
  const workspace = email.endsWith('@globex.example') ? workspaces.globex : workspaces.demo
  const found = (await membersOf(workspace)).find((m) => m.email === email)
  if (!found) throw new Error(`no member ${email} in ${workspace.name}`)
  return found
}

/** A round's groups, from its match records (one per member, naming the whole group). */
async function groupsOf(workspace: Workspace, scheduledAt: string): Promise<string[][]> {
  const matches = await listRoundMatches(db, workspace.id, scheduledAt)
  const byGroup = new Map<number, string[]>()
  for (const match of matches) byGroup.set(match.groupIndex, [...match.memberIds].sort())
  return [...byGroup.values()]
}

const pairsOf = (groupList: string[][]) => {
  const pairs = new Set<string>()
  for (const group of groupList)
    for (const a of group) for (const b of group) if (a < b) pairs.add(`${a} ${b}`)
  return pairs
}

const together = (groupList: string[][], a: string, b: string) =>
  groupList.some((group) => group.includes(a) && group.includes(b))

let allEmails: StoredEmail[] = []
let lastChat: ChatInbox = { slack: [], telegram: [], signal: [] }

async function mark(name: string) {
  allEmails = await fetchEmails(stack.sesUrl)
  lastChat = await fetchChat(stack.chatUrl)
  marks.set(name, {
    emails: allEmails.length,
    slack: lastChat.slack.length,
    telegram: lastChat.telegram.length,
    signal: lastChat.signal.length,
  })
}

/** Emails and chat recipients between two marks (both stores only ever grow). */
async function between(from: string, to: string) {
  allEmails = await fetchEmails(stack.sesUrl)
  lastChat = await fetchChat(stack.chatUrl)
  const [start, end] = [marks.get(from)!, marks.get(to)!]
  return {
    emails: allEmails.slice(start.emails, end.emails).map(parseEmail),
    chat: chatRecipients({
      slack: lastChat.slack.slice(start.slack, end.slack),
      telegram: lastChat.telegram.slice(start.telegram, end.telegram),
      signal: lastChat.signal.slice(start.signal, end.signal),
    }),
  }
}

/** Waits until no notification of `scheduledAt` is pending or being sent (the outbox as the admins see it). */
async function waitForOutbox(workspace: Workspace, scheduledAt: string, withinMs = 60_000) {
  const { api } = session(workspace.admin)
  const deadline = Date.now() + withinMs
  for (;;) {
    const open = (
      await Promise.all(
        (['pending', 'sending'] as const).map((status) =>
          api.admin.notifications.query({ status, limit: 100 }),
        ),
      )
    ).flatMap((page) => page.notifications.filter((n) => n.scheduledAt === scheduledAt))
    if (open.length === 0) return
    if (Date.now() > deadline) {
      throw new Error(
        `${workspace.name}: ${open.length} notifications of the round of ${scheduledAt} still unsent after ${withinMs / 1000} s: ${open
          .slice(0, 5)
          .map(
            (n) =>
              `${n.channel} to ${n.memberName} (${n.status}, ${n.attempts} attempts${n.reason ? `: ${n.reason}` : ''})`,
          )
          .join('; ')}`,
      )
    }
    await Bun.sleep(250)
  }
}

function cronEnv(): Record<string, string> {
  return { ...stack.cronEnv, SESSION_SIGNING_KEY: signingKey }
}

async function cron(args: string[]): Promise<CronResult> {
  const result = await runCron(args, cronEnv())
  cronRuns.push(result)
  return result
}

/** `percolate-cron status --json`: each deployment's rounds. */
function roundStatus(result: CronResult): Map<string, { scheduledAt: string; state: string }[]> {
  expectCronOk([result])
  const report = result.lines[0] as {
    deployments: { deployment: string; rounds: { scheduledAt: string; state: string }[] }[]
  }
  return new Map(report.deployments.map((d) => [d.deployment, d.rounds]))
}

function expectCronOk(results: CronResult[]) {
  const failed = results.filter((r) => r.exitCode !== 0)
  if (failed.length > 0)
    throw new Error(`percolate-cron failed:\n${failed.map(describeCronResult).join('\n')}`)
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(screensDir, { recursive: true })
  requireCronBinary()
  signingKey = await newSigningKey()
  ;[stack, browser] = await Promise.all([
    startDevStack({
      distDir,
      dynamoEndpoint: testEndpoint(),
      tableName: db.tableName,
      deployments: ['demo', 'globex'],
      worker: false,
      signingKey,
    }),
    launchChromium(),
  ])
}, 180_000)

afterAll(async () => {
  // The artefacts, whatever happened: every email (raw and parsed), every chat message, every cron invocation.
  if (stack) {
    const emails = await fetchEmails(stack.sesUrl).catch(() => allEmails)
    writeFileSync(join(outDir, 'emails.json'), `${JSON.stringify(emails, null, 2)}\n`)
    const parsed = emails.map((email) => {
      const { html: _html, ...rest } = parseEmail(email)
      return rest
    })
    writeFileSync(join(outDir, 'emails-parsed.json'), `${JSON.stringify(parsed, null, 2)}\n`)
    const chat = await fetchChat(stack.chatUrl).catch(() => lastChat)
    writeFileSync(join(outDir, 'chat.json'), `${JSON.stringify(chat, null, 2)}\n`)
  }
  writeFileSync(join(outDir, 'cron-runs.json'), `${JSON.stringify(cronRuns, null, 2)}\n`)
  if (pageErrors.length > 0) writeFileSync(join(outDir, 'page-errors.txt'), `${pageErrors.join('\n')}\n`)
  await browser?.close()
  await stack?.stop()
  await db.drop()
})

describe('issue 10: two deployments, the whole journey', () => {
  step(
    '1. people of both deployments sign in, onboard, pause and block',
    async () => {
      // Demo Co: two newcomers through the wizard (the sign-in and wizard pages are saved for the guides).
      await signIn(quentin, '/onboarding', true)
      await onboard(quentin, { label: 'Signal phone number', value: '+491701234567' }, null, true)
      await screen(session(quentin).page, 'home-after-onboarding')
      await signIn(newcomer, '/onboarding')
      await onboard(newcomer, { label: 'Telegram chat id', value: '555000111' }, 'Engineering')

      // Ben pauses from his dashboard.
      const benPage = await signIn(ben, '/')
      await benPage.getByRole('heading', { name: 'Hello, Ben', level: 1 }).waitFor()
      await benPage.getByLabel('Take part in rounds', { exact: true }).click()
      await benPage.getByText('Paused until you resume.').waitFor()
      await benPage.getByText('Paused until you turn this back on.').waitFor()
      await screen(benPage, 'home-paused')

      // Chiara would rather not meet Dmitri: profile and preferences.
      const chiaraPage = await signIn(chiara, '/')
      await goTo(chiaraPage, 'Profile and preferences', 'Profile and preferences')
      const avoidBlocked = async (page: Page, whom: Person) => {
        const find = page.getByRole('combobox', { name: /rather not meet/ })
        await find.fill(whom.name.split(' ')[0]!)
        await page.getByRole('option', { name: new RegExp(`^${whom.name}`) }).click()
        await page.getByRole('button', { name: 'Save preferences' }).click()
        await page.getByText('Your preferences are saved.').waitFor()
        await page.getByText(whom.name, { exact: true }).waitFor()
      }
      await avoidBlocked(chiaraPage, dmitri)
      await screen(chiaraPage, 'profile-preferences')

      // Globex: Beatriz and Julian through the wizard; Yara would rather not meet Theo.
      await signIn(beatriz, '/onboarding')
      await onboard(beatriz, { label: 'Slack member id', value: 'U0GLBXBEA' }, null)
      await signIn(julian, '/onboarding')
      await onboard(julian, null, null)
      const yaraPage = await signIn(yara, '/')
      await goTo(yaraPage, 'Profile and preferences', 'Profile and preferences')
      await avoidBlocked(yaraPage, theo)

      // The admins, for what follows.
      for (const admin of [ada, harper]) {
        const page = await signIn(admin, '/')
        await page.getByRole('heading', { name: `Hello, ${admin.name.split(' ')[0]}`, level: 1 }).waitFor()
      }

      // What the people did is what the database holds.
      for (const who of [quentin, newcomer, beatriz, julian])
        expect({ who: who.email, onboarded: (await memberByEmail(who.email)).onboarded }).toEqual({
          who: who.email,
          onboarded: true,
        })
      expect((await memberByEmail(newcomer.email)).channels.telegram).toEqual({ chatId: '555000111' })
      expect((await memberByEmail(beatriz.email)).channels.slack).toEqual({ memberId: 'U0GLBXBEA' })
      expect((await memberByEmail(ben.email)).participation).toEqual({ status: 'paused' })
      expect((await memberByEmail(chiara.email)).preferences.avoidMemberIds).toEqual([
        (await memberByEmail(dmitri.email)).id,
      ])
      expect((await memberByEmail(yara.email)).preferences.avoidMemberIds).toEqual([
        (await memberByEmail(theo.email)).id,
      ])
      expect((await memberByEmail(nikolai.email)).onboarded).toBe(false)
    },
    240_000,
  )

  step(
    '2. percolate-cron runs each round at its scheduled time, twice each, concurrently',
    async () => {
      // Without the dev worker, Demo Co's seeded round is still in the outbox: the dispatch CronJob sends it first,
      // so what follows is the new rounds' alone.
      const flush = await cron(['dispatch'])
      expectCronOk([flush])
      const outcomes = flush.lines
        .filter((line) => line.step === 'dispatch' && line.outcome === 'done')
        .map((line) => [line.deployment, line.failed, line.retried])
      expect(outcomes).toEqual([
        ['demo', 0, 0],
        ['globex', 0, 0],
      ])
      await mark('before-round-1')

      for (const workspace of both) {
        const { deployment, nextRounds } = await session(workspace.admin).api.config.get.query()
        expect(deployment).toMatchObject({
          id: workspace.id,
          timeZone: workspace.timeZone,
          meetingSize: workspace.meetingSize,
        })
        const [first, second] = [nextRounds[0]!.at, nextRounds[1]!.at]
        // Each deployment's own schedule, read in its own time zone.
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: workspace.timeZone,
          weekday: 'long',
          hour: '2-digit',
          minute: '2-digit',
        }).format(new Date(first))
        expect(local).toBe(`${workspace.weekday} ${workspace.localTime}`)
        const expected = nextRoundTimes(deployment.schedule, deployment.timeZone, new Date(), 2)
        expect([first, second]).toEqual(expected.map((d) => d.toISOString()))
        rounds.set(workspace.id, { first, second })
      }

      const roundsBefore = roundStatus(await cron(['status', '--json', '--limit', '20']))
      // Four processes at once, as overlapping CronJob runs: two per deployment, each at its round's time.
      const runs = await Promise.all(
        both.flatMap((workspace) =>
          [1, 2].map(() =>
            cron(['run', '--deployment', workspace.id, '--at', rounds.get(workspace.id)!.first]),
          ),
        ),
      )
      expectCronOk(runs)
      // One run per deployment claimed its round; the other found it claimed and ended in the same state.
      for (const workspace of both) {
        const claimed = runs
          .flatMap((run) => run.lines)
          .filter(
            (line) => line.deployment === workspace.id && line.step === 'claim' && line.outcome === 'claimed',
          )
        expect({ deployment: workspace.id, claimed: claimed.length }).toEqual({
          deployment: workspace.id,
          claimed: 1,
        })
      }

      // Exactly one new round per deployment, as the operator's status shows it.
      const roundsAfter = roundStatus(await cron(['status', '--json', '--limit', '20']))
      for (const workspace of both) {
        const known = new Set(roundsBefore.get(workspace.id)!.map((r) => r.scheduledAt))
        const added = roundsAfter.get(workspace.id)!.filter((r) => !known.has(r.scheduledAt))
        expect({ deployment: workspace.id, added: added.map((r) => [r.scheduledAt, r.state]) }).toEqual({
          deployment: workspace.id,
          added: [[rounds.get(workspace.id)!.first, 'completed']],
        })
      }
      // Demo Co had its three seeded rounds; Globex is new.
      expect(roundsBefore.get('demo')).toHaveLength(3)
      expect(roundsBefore.get('globex')).toEqual([])

      for (const workspace of both) {
        const first = rounds.get(workspace.id)!.first
        const roundGroups = await groupsOf(workspace, first)
        groups.set(`${workspace.id} 1`, roundGroups)
        // Everyone active and onboarded, once; nobody else.
        const expected = (await membersOf(workspace))
          .filter((m) => m.onboarded && m.participation.status === 'active')
          .map((m) => m.id)
          .sort()
        expect(roundGroups.flat().sort()).toEqual(expected)
        for (const group of roundGroups)
          expect(group.length === workspace.meetingSize || group.length === workspace.meetingSize + 1).toBe(
            true,
          )
      }
      expect(groups.get('demo 1')!.flat()).toHaveLength(37)
      expect(groups.get('globex 1')!.flat()).toHaveLength(15)
    },
    120_000,
  )

  step('3. one email per participant with a calendar invite, chat messages, none to the paused', async () => {
    for (const workspace of both) await waitForOutbox(workspace, rounds.get(workspace.id)!.first)
    await mark('after-round-1')
    const { emails, chat } = await between('before-round-1', 'after-round-1')
    const now = Date.now()

    for (const workspace of both) {
      const members = await membersOf(workspace)
      const byId = new Map(members.map((m) => [m.id, m]))
      const roundGroups = groups.get(`${workspace.id} 1`)!
      const participants = roundGroups.flat().map((id) => byId.get(id)!)
      const mine = emails.filter((e) => e.to.endsWith(`@${workspace.domain}`))
      // Exactly one email per participant (all of them have email on), and none to anyone else.
      expect(mine.map((e) => e.to).sort()).toEqual(participants.map((m) => m.email).sort())
      for (const email of mine) {
        const me = participants.find((m) => m.email === email.to)!
        const group = roundGroups.find((g) => g.includes(me.id))!
        const others = group.filter((id) => id !== me.id).map((id) => byId.get(id)!)
        expect(email.subject.startsWith("You're meeting ")).toBe(true)
        for (const o of others) expect(email.subject).toContain(o.name)
        // Signed one-click links, pointing at the web origin.
        for (const link of [email.links.met, email.links.didNotMeet, email.links.pause])
          expect(link?.startsWith(`${stack.webOrigin}/actions/`)).toBe(true)
        expect(email.oneClickUnsubscribe).toBe(email.links.pause)
        // The invite: a VEVENT with the whole group as attendees, starting in the future.
        expect({ to: email.to, inviteError: email.inviteError }).toEqual({ to: email.to, inviteError: null })
        const invite = email.invite!
        expect(invite.method).toBe('REQUEST')
        expect(invite.attendees.map((a) => a.email).sort()).toEqual(
          group.map((id) => byId.get(id)!.email).sort(),
        )
        expect(Date.parse(invite.start)).toBeGreaterThan(now)
        expect(Date.parse(invite.end)).toBeGreaterThan(Date.parse(invite.start))
      }
      // Chat: one message per participant and chat channel they set up.
      const expectedChat = participants.flatMap((m) =>
        memberChannels(m.channels, ['slack', 'telegram', 'signal']).map((kind) =>
          kind === 'slack'
            ? `slack:${m.channels.slack!.memberId}`
            : kind === 'telegram'
              ? `telegram:${m.channels.telegram!.chatId}`
              : `signal:${m.channels.signal!.number}`,
        ),
      )
      expect(expectedChat.length).toBeGreaterThan(2)
      const addresses = new Set(
        members.flatMap((m) => [
          m.channels.slack && `slack:${m.channels.slack.memberId}`,
          m.channels.telegram && `telegram:${m.channels.telegram.chatId}`,
          m.channels.signal && `signal:${m.channels.signal.number}`,
        ]),
      )
      expect(chat.filter((to) => addresses.has(to)).sort()).toEqual(expectedChat.sort())
    }
    // The onboarding choices reached the chat servers.
    for (const to of ['signal:+491701234567', 'telegram:555000111', 'slack:U0GLBXBEA'])
      expect(chat.filter((c) => c === to)).toEqual([to])
    // The paused one gets nothing, on any channel; nor does someone who never finished onboarding.
    const benMember = await memberByEmail(ben.email)
    expect(emails.filter((e) => e.to === ben.email)).toEqual([])
    expect(chat.filter((to) => to === `slack:${benMember.channels.slack!.memberId}`)).toEqual([])
    expect(emails.filter((e) => e.to === nikolai.email)).toEqual([])
    // The pairs who would rather not meet are not grouped.
    for (const [a, b, w] of [
      [chiara, dmitri, 'demo'],
      [yara, theo, 'globex'],
    ] as const) {
      const [idA, idB] = [(await memberByEmail(a.email)).id, (await memberByEmail(b.email)).id]
      expect({ [`${a.name} and ${b.name}`]: together(groups.get(`${w} 1`)!, idA, idB) }).toEqual({
        [`${a.name} and ${b.name}`]: false,
      })
    }
    // No notification of round 1 failed.
    for (const workspace of both) {
      const failed = await session(workspace.admin).api.admin.notifications.query({ status: 'failed' })
      expect(failed.notifications.filter((n) => n.scheduledAt === rounds.get(workspace.id)!.first)).toEqual(
        [],
      )
    }

    // Julian's dashboard shows his first group.
    const { page } = session(julian)
    await page.goto(`${stack.webOrigin}/`)
    await page.getByRole('heading', { name: 'Your group this round' }).waitFor()
    await page.getByRole('button', { name: 'We met' }).waitFor()
    await screen(page, 'home-match')
  })

  step('4. "We met" and the one-click pause from the email; the web app shows both', async () => {
    const { emails } = await between('before-round-1', 'after-round-1')
    const julianEmail = emails.find((e) => e.to === julian.email)!
    const chiaraEmail = emails.find((e) => e.to === chiara.email)!

    // Julian opens his email and clicks "We met" (signed in or not: the signed link is enough).
    const { context, page } = session(julian)
    const mail = await context.newPage()
    await mail.setContent(julianEmail.html)
    await mail.getByRole('link', { name: 'We met' }).waitFor()
    await screen(mail, 'email')
    const link = mail.getByRole('link', { name: 'We met' })
    let action = mail
    if ((await link.getAttribute('target')) === '_blank') {
      ;[action] = await Promise.all([context.waitForEvent('page'), link.click()])
    } else {
      await link.click()
    }
    await action.waitForURL(/\/actions\/met\?token=/)
    // GET only shows what the link will do (mail scanners follow links); the button does it.
    await action.getByRole('heading', { name: 'We met', level: 1 }).waitFor()
    await screen(action, 'action-we-met')
    await action.getByRole('button', { name: 'We met' }).click()
    await action.getByRole('heading', { name: 'Thanks', level: 1 }).waitFor()
    await action.getByText('Recorded: you met.').waitFor()
    await screen(action, 'action-we-met-done')
    await action.close()
    if (action !== mail) await mail.close()

    await page.goto(`${stack.webOrigin}/`)
    await page.getByRole('heading', { name: 'Your group this round' }).waitFor()
    await page.getByText('Met', { exact: true }).waitFor()
    await screen(page, 'home-met')
    await goTo(page, 'History', 'History')
    await page.getByRole('row').filter({ hasText: 'Met' }).first().waitFor()
    await screen(page, 'history')
    expect((await session(julian).api.matches.current.query())?.status).toBe('met')

    // Chiara's mail client unsubscribes in one click (RFC 8058: a POST to the List-Unsubscribe URL, no cookies).
    const pauseUrl = chiaraEmail.oneClickUnsubscribe!
    const pausePage = await session(chiara).context.newPage()
    await pausePage.goto(pauseUrl)
    await pausePage.getByRole('heading', { name: 'Pause my matches', level: 1 }).waitFor()
    await screen(pausePage, 'action-pause')
    await pausePage.close()
    const response = await fetch(pauseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('You are paused')

    const chiaraPage = session(chiara).page
    await chiaraPage.goto(`${stack.webOrigin}/`)
    await chiaraPage.getByText('Paused until you turn this back on.').waitFor()
    expect(await chiaraPage.getByLabel('Take part in rounds', { exact: true }).isChecked()).toBe(false)
    expect((await session(chiara).api.me.get.query()).participation).toEqual({ status: 'paused' })
  })

  step("5. a second round, at each deployment's next time, avoids the first round's pairs", async () => {
    const runs = await Promise.all(
      both.map((workspace) =>
        cron(['run', '--deployment', workspace.id, '--at', rounds.get(workspace.id)!.second]),
      ),
    )
    expectCronOk(runs)
    const chiaraId = (await memberByEmail(chiara.email)).id
    for (const workspace of both) {
      const second = await groupsOf(workspace, rounds.get(workspace.id)!.second)
      groups.set(`${workspace.id} 2`, second)
      expect(second.length).toBeGreaterThan(0)
      const repeated = [...pairsOf(second)].filter((pair) =>
        pairsOf(groups.get(`${workspace.id} 1`)!).has(pair),
      )
      expect({ deployment: workspace.id, repeatedPairs: repeated }).toEqual({
        deployment: workspace.id,
        repeatedPairs: [],
      })
    }
    // Chiara paused from her email: not in round 2. Yara and Theo still apart.
    expect(groups.get('demo 2')!.flat()).not.toContain(chiaraId)
    expect(groups.get('demo 2')!.flat()).toHaveLength(36)
    const [yaraId, theoId] = [(await memberByEmail(yara.email)).id, (await memberByEmail(theo.email)).id]
    expect(together(groups.get('globex 2')!, yaraId, theoId)).toBe(false)
    for (const workspace of both) await waitForOutbox(workspace, rounds.get(workspace.id)!.second)
    await mark('after-round-2')
    const { emails } = await between('after-round-1', 'after-round-2')
    expect(emails.filter((e) => e.to === chiara.email)).toEqual([])
    expect(emails).toHaveLength(36 + 15)
  })

  step('6. isolation: no API call, page or email of one deployment shows anything of the other', async () => {
    const membersByWorkspace = new Map(
      await Promise.all(both.map(async (w) => [w.id, await membersOf(w)] as const)),
    )
    const { emails } = await between('before-round-1', 'after-round-2')
    for (const mine of both) {
      const theirs = other(mine)
      const theirMembers = membersByWorkspace.get(theirs.id)!
      const theirIds = new Set(theirMembers.map((m) => m.id))
      const myIds = new Set(membersByWorkspace.get(mine.id)!.map((m) => m.id))
      const admin = session(mine.admin).api
      const member = session(mine.id === 'demo' ? quentin : julian).api
      const victim = theirMembers.find((m) => m.role === 'member' && m.onboarded)!

      // Lists: only this deployment's people, rounds and notifications.
      const listed: { id: string; email: string; deploymentId: string }[] = []
      let cursor: string | null = null
      do {
        const page = await admin.admin.members.query({ limit: 100, cursor })
        listed.push(...page.members)
        cursor = page.nextCursor
      } while (cursor)
      expect(listed.length).toBe(myIds.size)
      expect(
        listed.filter((m) => m.deploymentId !== mine.id || !m.email.endsWith(`@${mine.domain}`)),
      ).toEqual([])
      const searched = await admin.admin.members.query({ search: victim.name.split(' ')[0]! })
      expect(searched.members.filter((m) => theirIds.has(m.id))).toEqual([])
      const roundList = await admin.admin.rounds.query({ limit: 100 })
      expect(roundList.rounds.filter((r) => r.deploymentId !== mine.id)).toEqual([])
      const sent = await admin.admin.notifications.query({ status: 'sent', limit: 100 })
      expect(sent.notifications.length).toBeGreaterThan(0)
      expect(sent.notifications.filter((n) => !myIds.has(n.memberId))).toEqual([])
      expect((await admin.config.get.query()).deployment.id).toBe(mine.id)
      const directory = await member.me.directory.query({ limit: 100 })
      expect(directory.people.filter((p) => !myIds.has(p.id))).toEqual([])
      const current = await member.matches.current.query()
      expect(current?.people.filter((p) => !myIds.has(p.id))).toEqual([])
      const history = await member.matches.history.query({ limit: 50 })
      expect(history.matches.flatMap((m) => m.people).filter((p) => !myIds.has(p.id))).toEqual([])

      // Naming the other deployment's ids directly: refused as unknown, and nothing changes there.
      const refusals = {
        setParticipation: await refusal(
          admin.admin.setParticipation.mutate({ memberId: victim.id, participation: { status: 'paused' } }),
        ),
        setRole: await refusal(admin.admin.setRole.mutate({ memberId: victim.id, role: 'admin' })),
        remove: await refusal(admin.admin.remove.mutate({ memberId: victim.id })),
        avoid: await refusal(
          member.me.updatePreferences.mutate({
            ...(await member.me.get.query()).preferences,
            avoidMemberIds: [victim.id],
            version: (await member.me.get.query()).version,
          }),
        ),
        reportTheirRound: await refusal(
          member.matches.report.mutate({ scheduledAt: rounds.get(theirs.id)!.first, status: 'met' }),
        ),
        memberAsAdmin: await refusal(member.admin.members.query({})),
      }
      expect(refusals).toEqual({
        setParticipation: 'NOT_FOUND',
        setRole: 'NOT_FOUND',
        remove: 'NOT_FOUND',
        avoid: 'BAD_REQUEST',
        reportTheirRound: 'NOT_FOUND',
        memberAsAdmin: 'FORBIDDEN',
      })
      expect((await member.matches.history.query({ personId: victim.id })).matches).toEqual([])
      const after = (await membersOf(theirs)).find((m) => m.id === victim.id)!
      expect({ role: after.role, participation: after.participation }).toEqual({
        role: victim.role,
        participation: victim.participation,
      })

      // A session cookie relabelled with the other deployment's id is not a session there.
      const cookies = await session(mine.admin).context.cookies(stack.webOrigin)
      const refresh = cookies.find((c) => c.name === 'percolate-refresh')!
      const relabelled = `${theirs.id}.${refresh.value.slice(refresh.value.indexOf('.') + 1)}`
      const refreshed = await fetch(`${stack.webOrigin}/auth/refresh`, {
        method: 'POST',
        headers: {
          cookie: `percolate-refresh=${relabelled}`,
          'x-percolate-csrf': '1',
          origin: stack.webOrigin,
        },
      })
      expect(refreshed.status).toBe(401)

      // Emails: none of this deployment's mail names a person of the other.
      for (const email of emails.filter((e) => e.to.endsWith(`@${mine.domain}`))) {
        const content = [email.subject, email.text, email.html, JSON.stringify(email.invite)].join('\n')
        const leaked = theirMembers.filter(
          (m) => content.includes(m.name) || content.includes(m.email) || content.includes(m.id),
        )
        expect({ to: email.to, leaked: leaked.map((m) => m.name) }).toEqual({ to: email.to, leaked: [] })
        expect(content).not.toContain(theirs.domain)
      }

      // The admin's members page counts this deployment's members only, and filtering by the other's domain or a
      // name of theirs finds no one.
      const page = session(mine.admin).page
      await page.goto(`${stack.webOrigin}/admin/members`)
      const table = page.getByRole('table')
      await table.getByText(mine.admin.name, { exact: true }).waitFor()
      await page.getByRole('heading', { name: `Members (${myIds.size})`, level: 1 }).waitFor()
      if (mine.id === 'demo') await screen(page, 'admin-members')
      const filter = page.getByRole('searchbox')
      for (const text of [theirs.domain, victim.name]) {
        await filter.fill(text)
        await page.getByText('No member matches that filter.').waitFor()
      }
      await filter.fill(mine.domain)
      await table.getByText(mine.admin.name, { exact: true }).waitFor()
    }
  })

  step('7. admin stats show the rounds of each deployment', async () => {
    for (const workspace of both) {
      const { api, page } = session(workspace.admin)
      const { first, second } = rounds.get(workspace.id)!
      const stats = await api.admin.stats.query({ limit: 12 })
      const byTime = new Map(stats.rounds.map((r) => [r.scheduledAt, r]))
      const expected = { demo: [37, 36], globex: [15, 15] }[workspace.id]
      expect([byTime.get(first)?.participants, byTime.get(second)?.participants]).toEqual(expected)
      expect(byTime.get(first)?.status).toBe('completed')
      expect(byTime.get(second)?.status).toBe('completed')
      // Julian's "we met" counts in Globex's first round.
      if (workspace.id === 'globex') expect(byTime.get(first)?.met).toBe(1)
      expect(stats.rounds).toHaveLength(workspace.id === 'demo' ? 5 : 2)

      // The pages show the dates in the admin's own time zone.
      const { timeZone } = await memberByEmail(workspace.admin.email)
      const day = (iso: string) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone,
          day: 'numeric',
          month: 'short',
          year: 'numeric',
        }).format(new Date(iso))
      await page.goto(`${stack.webOrigin}/admin/stats`)
      await page.getByRole('heading', { name: 'Stats', level: 1 }).waitFor()
      await page.getByRole('heading', { name: 'Latest round' }).waitFor()
      await page.getByText(day(second), { exact: true }).first().waitFor()
      await page.getByRole('heading', { name: 'Participants per round' }).waitFor()
      await screen(page, `admin-stats-${workspace.id}`)

      await goTo(page, 'Rounds', 'Rounds')
      for (const at of [first, second]) {
        const row = page.getByRole('row').filter({ hasText: day(at) })
        await row.getByText('Completed').waitFor()
      }
      await screen(page, `admin-rounds-${workspace.id}`)
    }
    // The rest of the admin's pages, for the guides.
    const { page } = session(ada)
    await goTo(page, 'Workspace settings', 'Workspace settings')
    await screen(page, 'admin-settings')
    await goTo(page, 'Notifications', 'Notifications')
    await screen(page, 'admin-notifications')
    await goTo(page, 'Notification channels', 'Notification channels')
    await screen(page, 'channels')
    expect(pageErrors).toEqual([])
  })
})
