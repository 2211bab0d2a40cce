// `make dev`: the API with its embedded defaults (apps/server/src/local/dev.ts) and the web app (Vite, which
// forwards the API paths: one origin). Prints every URL. Ctrl-C stops everything it started; data stays.
import { isPortFree } from '@percolate/db/local-dynamodb'

const apiPort = Number(process.env.PORT ?? 3000)
const webPort = Number(process.env.WEB_PORT ?? 5173)
const apiUrl = `http://127.0.0.1:${apiPort}`

function fail(message: string): never {
  console.error(`make dev: ${message}`)
  process.exit(1)
}

const ports: [string, number][] = [
  ['PORT (the API)', apiPort],
  ['WEB_PORT (the web app)', webPort],
]
if (!process.env.DYNAMODB_ENDPOINT)
  ports.push(['DYNAMODB_LOCAL_PORT', Number(process.env.DYNAMODB_LOCAL_PORT ?? 8000)])
if (!process.env.SES_ENDPOINT) ports.push(['SES_LOCAL_PORT', Number(process.env.SES_LOCAL_PORT ?? 8005)])
for (const [name, port] of ports) {
  if (!(await isPortFree(port)))
    fail(`port ${port} is in use. Stop what uses it, or set ${name.split(' ')[0]} to a free port.`)
}

const root = `${import.meta.dir}/..`
const children = [
  Bun.spawn(['bun', 'src/local/dev.ts'], {
    cwd: `${root}/apps/server`,
    env: { ...process.env, PORT: String(apiPort) },
    stdout: 'inherit',
    stderr: 'inherit',
  }),
]

async function waitFor(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (children.some((child) => child.exitCode !== null)) return false
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return true
    await Bun.sleep(200)
  }
  return false
}

let stopping = false
async function stopAll(code: number) {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGINT')
  await Promise.all(children.map((child) => child.exited))
  process.exit(code)
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

if (!(await waitFor(`${apiUrl}/readyz`, 90_000))) {
  await stopAll(1)
}
children.push(
  Bun.spawn(
    [
      'bunx',
      'vite',
      '--port',
      String(webPort),
      '--strictPort',
      '--clearScreen',
      'false',
      '--logLevel',
      'warn',
    ],
    {
      cwd: `${root}/apps/web`,
      env: { ...process.env, PERCOLATE_API_URL: apiUrl, WEB_PORT: String(webPort) },
      stdout: 'inherit',
      stderr: 'inherit',
    },
  ),
)
if (!(await waitFor(`http://127.0.0.1:${webPort}/`, 60_000))) {
  console.error('make dev: the web app did not start; see the lines above.')
  await stopAll(1)
}
console.log(
  [
    `  Web app        http://localhost:${webPort}  (open this)`,
    '',
    'Ready. Ctrl-C stops everything; the data stays in .data/.',
  ].join('\n'),
)
for (const child of children) {
  child.exited.then((code) => {
    if (!stopping) {
      console.error(`make dev: a process stopped unexpectedly (exit ${code}); stopping the rest.`)
      stopAll(1)
    }
  })
}
