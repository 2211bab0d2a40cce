// The built app's files, and what a first visit costs: the JS and CSS that index.html loads up front (its module
// script, modulepreloads and stylesheets), gzip-compressed as a server sends them. Lazy route chunks are not
// counted. Shared by bundle.test.ts (the budget) and bench/web.ts (`make bench-web`).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const webDistDir = join(import.meta.dir, '../dist')

export interface Asset {
  /** As index.html names it: `assets/index-….js`. */
  file: string
  bytes: number
  gzipBytes: number
}

export interface InitialAssets {
  js: Asset[]
  css: Asset[]
  jsGzipBytes: number
  cssGzipBytes: number
}

/** Every file under dist/assets, or a clear error when the app was not built. */
export function assetFiles(distDir = webDistDir): string[] {
  const assets = join(distDir, 'assets')
  if (!existsSync(assets)) {
    throw new Error(`No web bundle at ${assets}: run \`make build\` (turbo builds it before the tests)`)
  }
  return readdirSync(assets)
}

/** The JS and CSS index.html loads before anything else happens. */
export function initialAssets(distDir = webDistDir): InitialAssets {
  assetFiles(distDir)
  const index = readFileSync(join(distDir, 'index.html'), 'utf8')
  const referenced = new Set<string>()
  for (const match of index.matchAll(
    /<(?:script|link)\b[^>]*\b(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g,
  )) {
    referenced.add(match[1]!)
  }
  const measure = (file: string): Asset => {
    const content = readFileSync(join(distDir, file))
    return { file, bytes: content.length, gzipBytes: Bun.gzipSync(content).length }
  }
  const js = [...referenced].filter((file) => file.endsWith('.js')).map(measure)
  const css = [...referenced].filter((file) => file.endsWith('.css')).map(measure)
  const sum = (assets: Asset[]) => assets.reduce((total, asset) => total + asset.gzipBytes, 0)
  return { js, css, jsGzipBytes: sum(js), cssGzipBytes: sum(css) }
}
