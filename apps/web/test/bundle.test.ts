// The browser bundle must hold no server code (the web app imports only the *type* of the router), and a first
// visit must stay within issue 8's budget.
import { describe, expect, it } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { assetFiles, initialAssets, webDistDir } from './initial-assets.ts'

const bundleFiles = () => assetFiles().filter((name) => name.endsWith('.js'))

describe('web bundle', () => {
  it('exists and is split into chunks per route', () => {
    const files = bundleFiles()
    expect(files.some((name) => name.startsWith('home-'))).toBe(true)
    expect(files.some((name) => name.startsWith('not-found-'))).toBe(true)
  })

  it('loads at most 300 KB of JS (gzip) up front; route chunks come later', () => {
    const initial = initialAssets()
    expect(initial.js.length).toBeGreaterThan(0)
    expect(initial.css.length).toBeGreaterThan(0)
    expect(initial.js.some((asset) => asset.file.includes('/home-'))).toBe(false)
    expect(initial.jsGzipBytes).toBeLessThanOrEqual(300 * 1024)
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
      const code = readFileSync(join(webDistDir, 'assets', file), 'utf8')
      for (const marker of serverMarkers) {
        expect({ file, marker, found: code.includes(marker) }).toEqual({ file, marker, found: false })
      }
    }
  })
})
