// .env.example is the operator's list of variables: it must name every one the server reads, with its default.
import { describe, expect, it } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { envSchema, readEnv } from '../src/env.ts'

const example = readFileSync(join(import.meta.dir, '../../../.env.example'), 'utf8')
const listed = new Map(
  example
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
)

describe('.env.example', () => {
  it('lists every variable the server reads, and nothing else', () => {
    expect([...listed.keys()].sort()).toEqual(Object.keys(envSchema.shape).sort())
  })

  it('shows each default as the server applies it', () => {
    const defaults = readEnv({})
    for (const [name, value] of listed) {
      const applied = defaults[name as keyof typeof defaults]
      expect({ name, value }).toEqual({ name, value: applied === undefined ? '' : String(applied) })
    }
  })
})
