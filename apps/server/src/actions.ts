// One-click links from notifications, without a session: /actions/pause (also the List-Unsubscribe target),
// /actions/met, /actions/didnt-meet, each with a signed, expiring token for one member. GET shows what the link
// will do and changes nothing (mail scanners follow links); POST does it, idempotently, and answers 200 with a
// page, never a redirect (RFC 8058). Bad or expired tokens get a page that says so, not an error trace.

import type { Database } from '@percolate/db/database'
import { getDeployment } from '@percolate/db/deployments'
import { getMatch, reportMatch } from '@percolate/db/matches'
import { getMember, updateMember } from '@percolate/db/members'
import { isAppError } from '@percolate/domain/errors'
import type { Member } from '@percolate/domain/member'
import { formatMeetingTime } from '@percolate/notify/content/format-time'
import { Elysia } from 'elysia'
import type { AuthService } from './auth/service.ts'
import type { Logger } from './log.ts'

const titles = { pause: 'Pause my matches', met: 'We met', 'didnt-meet': "We didn't meet" } as const
type Action = keyof typeof titles

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Percolate</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#16191f}button{font:inherit;padding:.5rem 1.25rem;border-radius:1rem;border:0;background:#0972d3;color:#fff;cursor:pointer}@media (prefers-color-scheme:dark){body{background:#0f1b2a;color:#e9ebed}}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    },
  })
}

/** Pauses indefinitely (idempotent); a concurrent edit of the member is read again and the pause applied to it. */
async function pauseMember(db: Database, member: Member): Promise<void> {
  let current: Member | null = member
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    if (current.participation.status === 'left') return
    if (current.participation.status === 'paused' && !current.participation.until) return
    try {
      await updateMember(db, current, { participation: { status: 'paused' } })
      return
    } catch (error) {
      if (!isAppError(error) || error.code !== 'CONFLICT') throw error
      current = await getMember(db, member.deploymentId, member.id)
    }
  }
}

export function actionRoutes({ db, auth, logger }: { db: Database; auth: AuthService; logger: Logger }) {
  async function resolve(action: Action, token: string | undefined) {
    if (!token)
      return {
        error: page(
          400,
          'This link is incomplete',
          '<p>Open the link from your message again, or sign in to make the change.</p>',
        ),
      }
    try {
      const claims = await auth.actionTokens.verify(token)
      if (claims.action !== action) throw new Error('action mismatch')
      const member = await getMember(db, claims.deploymentId, claims.memberId)
      const deployment = await getDeployment(db, claims.deploymentId)
      if (!member || !deployment)
        return {
          error: page(410, 'This link no longer works', '<p>The account it was made for is gone.</p>'),
        }
      return { claims, member, deployment }
    } catch (error) {
      const message = isAppError(error)
        ? error.message
        : 'This link is not valid. Sign in to make the change.'
      return { error: page(400, 'This link does not work', `<p>${escapeHtml(message)}</p>`) }
    }
  }

  // The round's time as the member reads it in their messages: their own time zone, with its abbreviation.
  const describe = (action: Action, deploymentName: string, timeZone: string, scheduledAt?: string) => {
    const round = scheduledAt ? formatMeetingTime(new Date(scheduledAt), timeZone) : ''
    if (action === 'pause')
      return `You will get no new matches in ${deploymentName} until you resume in the app.`
    if (action === 'met') return `Record that your group of ${round} met.`
    return `Record that your group of ${round} did not meet. You may be grouped with them again later.`
  }

  return new Elysia({ prefix: '/actions' })
    .get('/:action', async ({ params, query }) => {
      const action = params.action as Action
      if (!(action in titles)) return page(404, 'Not found', '<p>There is no such link.</p>')
      const resolved = await resolve(action, query.token)
      if ('error' in resolved) return resolved.error
      const text = describe(
        action,
        resolved.deployment.name,
        resolved.member.timeZone,
        resolved.claims.scheduledAt,
      )
      return page(
        200,
        titles[action],
        `<p>Hi ${escapeHtml(resolved.member.name)}. ${escapeHtml(text)}</p><form method="post"><button type="submit">${escapeHtml(titles[action])}</button></form>`,
      )
    })
    .post(
      '/:action',
      async ({ params, query }) => {
        const action = params.action as Action
        if (!(action in titles)) return page(404, 'Not found', '<p>There is no such link.</p>')
        const resolved = await resolve(action, query.token)
        if ('error' in resolved) return resolved.error
        const { claims, member, deployment } = resolved
        if (action === 'pause') {
          await pauseMember(db, member)
          logger.info('paused from a link', { deployment: deployment.id, member: member.id })
          return page(
            200,
            'You are paused',
            `<p>No new matches in ${escapeHtml(deployment.name)} until you resume in the app.</p>`,
          )
        }
        const scheduledAt = claims.scheduledAt
        const match = scheduledAt ? await getMatch(db, deployment.id, member.id, scheduledAt) : null
        if (!match || !scheduledAt)
          return page(410, 'This link no longer works', '<p>The match it was made for is gone.</p>')
        await reportMatch(db, match, { status: action })
        return page(
          200,
          'Thanks',
          `<p>${action === 'met' ? 'Recorded: you met.' : "Recorded: you didn't meet."}</p>`,
        )
      },
      // RFC 8058 bodies are form-encoded; nothing in them is needed (the token is in the URL).
      { parse: 'none' },
    )
}
