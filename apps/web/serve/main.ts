// percolate-web-serve: the web image's entry point (bundled by `bun run build:serve` into
// bin/percolate-web-serve.js). Serves, or with `healthcheck` probes a running instance for Docker's HEALTHCHECK.
import { resolve } from 'node:path'
import { readServeOptions, ServeUsageError, USAGE } from './serve-options.ts'
import { StaticRootError, startStaticServer } from './static-server.ts'

function fail(message: string): never {
  console.error(`percolate-web-serve: ${message}`)
  process.exit(1)
}

async function checkHealth(port: number): Promise<void> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })
    if (response.status !== 200) fail(`/healthz on port ${port} answered ${response.status}`)
  } catch (error) {
    fail(`/healthz on port ${port} did not answer (${error instanceof Error ? error.name : String(error)})`)
  }
}

function serve(root: string, hostname: string, port: number): void {
  const { server, site } = startStaticServer({ root, hostname, port })
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      message: 'listening',
      url: `http://${hostname}:${server.port}`,
      root,
      files: site.files.size,
    }),
  )
  // As PID 1 in a container, a signal without a handler is ignored: stop on SIGTERM, finishing open requests.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await server.stop()
      process.exit(0)
    })
  }
}

async function main(): Promise<void> {
  const options = readServeOptions(process.argv.slice(2), process.env)
  if (options.command === 'help') {
    console.log(USAGE)
    return
  }
  if (options.command === 'healthcheck') {
    await checkHealth(options.port)
    return
  }
  serve(resolve(options.root), options.hostname, options.port)
}

main().catch((error: unknown) => {
  if (error instanceof ServeUsageError || error instanceof StaticRootError) fail(error.message)
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`)
})
