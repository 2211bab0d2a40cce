// The browser bundle must hold no server code: the web app imports only the *type* of the router.
import { describe, expect, it } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const assets = join(import.meta.dir, '../dist/assets')

function bundleFiles(): string[] {
  try {
    return readdirSync(assets).filter((name) => name.endsWith('.js'))
  } catch {
    throw new Error(`No web bundle at ${assets}: run \`make build\` (turbo builds it before the tests)`)
  }
}

describe('web bundle', () => {
  it('exists and is split into chunks per route', () => {
    const files = bundleFiles()
    expect(files.some((name) => name.startsWith('home-'))).toBe(true)
    expect(files.some((name) => name.startsWith('not-found-'))).toBe(true)
  })

  it('contains no server, database or AWS code', () => {
    const serverMarkers = [
      'fetchRequestHandler', // @trpc/server adapter
      'initTRPC',
      'Elysia',
      'DynamoDBClient',
      'dynamodb-toolbox',
      'DYNAMODB_TABLE',
      'aws-ses-v2-local',
      'percolate-server:',
    ]
    for (const file of bundleFiles()) {
      const code = readFileSync(join(assets, file), 'utf8')
      for (const marker of serverMarkers) {
        expect({ file, marker, found: code.includes(marker) }).toEqual({ file, marker, found: false })
      }
    }
  })
})
