// Foundation figures: the web bundle's gzip size (what the first page load costs) and the cron binary's start
// time. Run by `make bench` after `make build`.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dir, '..')
const assets = join(root, 'apps/web/dist/assets')
const binary = join(root, 'apps/cron/bin/percolate-cron')

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const index = readFileSync(join(root, 'apps/web/dist/index.html'), 'utf8')
let initialJs = 0
let initialCss = 0
let lazyJs = 0
for (const name of readdirSync(assets)) {
  if (name.endsWith('.map')) continue
  const gzip = Bun.gzipSync(readFileSync(join(assets, name))).length
  const initial = index.includes(name)
  if (name.endsWith('.js') && initial) initialJs += gzip
  if (name.endsWith('.js') && !initial) lazyJs += gzip
  if (name.endsWith('.css')) initialCss += gzip
}
console.log('web bundle (gzip)')
console.log(`  initial JS   ${kb(initialJs)}`)
console.log(`  CSS          ${kb(initialCss)}`)
console.log(`  route chunks ${kb(lazyJs)}`)

console.log(`cron binary    ${(statSync(binary).size / 1024 / 1024).toFixed(1)} MB`)
const hyperfine = Bun.which('hyperfine')
if (hyperfine) {
  const result = Bun.spawnSync([
    hyperfine,
    '--warmup',
    '5',
    '--runs',
    '50',
    '--style',
    'basic',
    `${binary} version`,
  ])
  console.log(result.stdout.toString().trim())
} else {
  const times: number[] = []
  for (let i = 0; i < 30; i++) {
    const start = performance.now()
    Bun.spawnSync([binary, 'version'])
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  console.log(
    `cron start     median ${times[15]!.toFixed(1)} ms over 30 runs (install hyperfine for more detail)`,
  )
}
