import { describe, expect, it } from 'bun:test'
import { createAccessTokens, generateSigningKeys } from '../src/access-token.ts'
import { createActionTokens } from '../src/action-token.ts'

const keys = await generateSigningKeys()
const tokens = createActionTokens({ keys, issuer: 'https://percolate.test' })

describe('action tokens', () => {
  it('carry one member, one action and the round, and verify', async () => {
    const token = await tokens.issue({
      deploymentId: 'acme',
      memberId: 'ann',
      action: 'met',
      scheduledAt: '2026-03-02T08:00:00.000Z',
    })
    expect(await tokens.verify(token)).toEqual({
      deploymentId: 'acme',
      memberId: 'ann',
      action: 'met',
      scheduledAt: '2026-03-02T08:00:00.000Z',
    })
  })

  it('refuse expired, tampered, foreign and access tokens with a reason', async () => {
    const old = await tokens.issue(
      { deploymentId: 'acme', memberId: 'ann', action: 'pause' },
      new Date('2020-01-01'),
    )
    await expect(tokens.verify(old)).rejects.toThrow('This link has expired')
    const token = await tokens.issue({ deploymentId: 'acme', memberId: 'ann', action: 'pause' })
    const [header, payload, signature] = token.split('.')
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'bob' }),
    ).toString('base64url')
    await expect(tokens.verify(`${header}.${forged}.${signature}`)).rejects.toThrow('This link is not valid')
    const other = createActionTokens({ keys: await generateSigningKeys(), issuer: 'https://percolate.test' })
    await expect(other.verify(token)).rejects.toThrow('This link is not valid')
    const access = createAccessTokens({
      keys,
      issuer: 'https://percolate.test',
      audience: 'https://percolate.test',
    })
    const { token: accessToken } = await access.issue({ sub: 'ann', dep: 'acme', sid: 's', role: 'member' })
    await expect(tokens.verify(accessToken)).rejects.toThrow('This link is not valid')
  })
})
