// The error shape every procedure shares: codes and messages a person can act on, never a stack trace.
import { describe, expect, it } from 'bun:test'
import { AppError } from '@percolate/domain/errors'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { z } from 'zod'
import { createTRPCRouter, publicProcedure } from '../src/trpc/init.ts'

const router = createTRPCRouter({
  echo: publicProcedure
    .input(z.object({ meetingSize: z.number().int().min(2, { error: 'must be at least 2' }) }))
    .output(z.object({ meetingSize: z.number() }))
    .mutation(({ input }) => input),
  missing: publicProcedure.query(() => {
    throw new AppError('NOT_FOUND', "No member with id 'x'")
  }),
  conflict: publicProcedure.query(() => {
    throw new AppError('CONFLICT', 'changed by someone else')
  }),
  broken: publicProcedure.query(() => {
    throw new Error('secret internal detail at /srv/app.ts:12')
  }),
})

async function call(path: string, init?: RequestInit) {
  const response = await fetchRequestHandler({
    endpoint: '/trpc',
    req: new Request(`http://localhost/trpc/${path}`, init),
    router,
    createContext: () => ({}) as never,
  })
  return {
    status: response.status,
    body: (await response.json()) as { error: { message: string; data: Record<string, unknown> } },
  }
}

describe('procedure errors', () => {
  it('names the field and what is allowed when input is invalid', async () => {
    const { status, body } = await call('echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ meetingSize: 1 }),
    })
    expect(status).toBe(400)
    expect(body.error.message).toBe('meetingSize: must be at least 2')
    expect(body.error.data.code).toBe('BAD_REQUEST')
    expect(body.error.data.issues).toEqual(['meetingSize: must be at least 2'])
  })

  it('maps AppError codes to HTTP statuses and keeps their message', async () => {
    const missing = await call('missing')
    expect(missing.status).toBe(404)
    expect(missing.body.error.message).toBe("No member with id 'x'")
    const conflict = await call('conflict')
    expect(conflict.status).toBe(409)
    expect(conflict.body.error.data.code).toBe('CONFLICT')
  })

  it('hides internal errors behind a sentence and sends no stack', async () => {
    const { status, body } = await call('broken')
    expect(status).toBe(500)
    expect(body.error.message).toStartWith('Something went wrong on our side.')
    expect(JSON.stringify(body)).not.toContain('secret internal detail')
    expect(body.error.data.stack).toBeUndefined()
  })
})
