// The session cookies. Outside local mode: the `__Host-` prefix (Secure, Path=/, no Domain: only this origin can
// set or read them), HttpOnly, SameSite=Strict. Local mode runs on plain http, where browsers refuse Secure and
// `__Host-` cookies from non-localhost hosts, so it drops both. The login cookie is SameSite=Lax: it must come
// back on the identity provider's top-level redirect to the callback.

import { ACCESS_TOKEN_LIFETIME_SECONDS } from '@percolate/auth/access-token'
import { parse, serialize } from 'cookie'
import { LOGIN_ATTEMPT_SECONDS, SESSION_LIFETIMES } from './service.ts'

export type CookieKind = 'access' | 'refresh' | 'login'

export function createCookies(secure: boolean) {
  const name = (kind: CookieKind) => `${secure ? '__Host-' : ''}percolate-${kind}`
  const maxAge: Record<CookieKind, number> = {
    access: ACCESS_TOKEN_LIFETIME_SECONDS,
    refresh: SESSION_LIFETIMES.absoluteSeconds,
    login: LOGIN_ATTEMPT_SECONDS,
  }
  const attributes = (kind: CookieKind, age: number) => ({
    httpOnly: true,
    secure,
    path: '/',
    sameSite: kind === 'login' ? ('lax' as const) : ('strict' as const),
    maxAge: age,
  })
  return {
    name,
    read(request: Request, kind: CookieKind): string | undefined {
      const header = request.headers.get('cookie')
      return header ? parse(header)[name(kind)] : undefined
    },
    set(kind: CookieKind, value: string): string {
      return serialize(name(kind), value, attributes(kind, maxAge[kind]))
    },
    clear(kind: CookieKind): string {
      return serialize(name(kind), '', attributes(kind, 0))
    },
  }
}

export type Cookies = ReturnType<typeof createCookies>
