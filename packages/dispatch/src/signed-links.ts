// The links a notification carries, each signed for one member and action (packages/auth action tokens) and
// served by the API's /actions/* endpoints: GET shows a confirmation page, POST acts (one click from email).
import type { ActionTokens } from '@percolate/auth/action-token'
import type { DispatcherConfig, MessageLinks } from './dispatcher.ts'

export function signedLinks(actionTokens: ActionTokens, publicUrl: string): DispatcherConfig['links'] {
  const base = new URL(publicUrl)
  const link = (path: string, token: string) => {
    const url = new URL(path, base)
    url.searchParams.set('token', token)
    return url.toString()
  }
  return async ({ deploymentId, memberId, scheduledAt }): Promise<MessageLinks> => {
    const [pause, met, didNotMeet] = await Promise.all([
      actionTokens.issue({ deploymentId, memberId, action: 'pause' }),
      actionTokens.issue({ deploymentId, memberId, action: 'met', scheduledAt }),
      actionTokens.issue({ deploymentId, memberId, action: 'didnt-meet', scheduledAt }),
    ])
    const pauseUrl = link('/actions/pause', pause)
    return {
      app: new URL('/', base).toString(),
      pause: pauseUrl,
      // RFC 8058: the same URL answers the one-click POST (List-Unsubscribe=One-Click) and shows a page on GET.
      unsubscribe: pauseUrl,
      met: link('/actions/met', met),
      didNotMeet: link('/actions/didnt-meet', didNotMeet),
    }
  }
}
