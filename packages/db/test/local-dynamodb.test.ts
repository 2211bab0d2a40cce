import { describe, expect, it } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { findFreePort, isPortFree } from '../src/local-dynamodb.ts'

const bunDir = dirname(process.execPath)

/** Runs assertJava in a child whose PATH holds only bun and, optionally, a fake `java`. */
function assertJavaWith(fakeJava?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'percolate-java-'))
  if (fakeJava) writeFileSync(join(dir, 'java'), `#!/bin/sh\n${fakeJava}\n`, { mode: 0o755 })
  const script = `import { assertJava } from '${join(import.meta.dir, '../src/local-dynamodb.ts')}'
try { assertJava(); console.log('ok') } catch (e) { console.log(e.message) }`
  const result = Bun.spawnSync([process.execPath, '-e', script], {
    env: { PATH: `${dir}:${bunDir}` },
    stdout: 'pipe',
  })
  return result.stdout.toString().trim()
}

describe('assertJava', () => {
  it('says what to do when Java is missing', () => {
    expect(assertJavaWith()).toStartWith(
      'Java was not found: DynamoDB Local needs Java 17 or newer. Run `make deps`',
    )
  })

  it('refuses Java older than 17', () => {
    expect(assertJavaWith(`echo 'openjdk version "11.0.2" 2019-01-15' >&2`)).toStartWith(
      'Java 11 was found, but DynamoDB Local needs Java 17 or newer',
    )
    expect(assertJavaWith(`echo 'java version "1.8.0_202"' >&2`)).toStartWith('Java 8 was found')
  })

  it('accepts Java 17 and newer', () => {
    expect(assertJavaWith(`echo 'openjdk version "21.0.1" 2023-10-17' >&2`)).toBe('ok')
  })
})

describe('ports', () => {
  it('tells a free port from a taken one', async () => {
    const port = await findFreePort()
    expect(await isPortFree(port)).toBe(true)
    const server = Bun.serve({ hostname: '127.0.0.1', port, fetch: () => new Response('x') })
    try {
      expect(await isPortFree(port)).toBe(false)
    } finally {
      server.stop(true)
    }
  })
})
