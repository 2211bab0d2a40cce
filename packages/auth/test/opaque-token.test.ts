import { describe, expect, it } from 'bun:test'
import { generateOpaqueToken, hashOpaqueToken } from '../src/opaque-token.ts'

describe('opaque tokens', () => {
  it('are 256-bit base64url strings, different every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateOpaqueToken))
    expect(tokens.size).toBe(1000)
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('hash to a stable SHA-256 that does not contain the token', () => {
    expect(hashOpaqueToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    const token = generateOpaqueToken()
    expect(hashOpaqueToken(token)).toBe(hashOpaqueToken(token))
    expect(hashOpaqueToken(token)).not.toContain(token)
  })
})
