// The command line of percolate-web-serve: flags first, then the environment (the container sets WEB_ROOT), then
// defaults. WEB_* names, not PORT/HOST: a shared ConfigMap may carry the API server's PORT.
export const USAGE = `percolate-web-serve: serves the built Percolate web app (static files, SPA fallback)

Usage:
  percolate-web-serve [--root DIR] [--port N] [--host ADDRESS]
  percolate-web-serve healthcheck [--port N]    (also: --check) exit 0 when /healthz answers 200 on 127.0.0.1

Flags and environment:
  --root DIR      WEB_ROOT   the directory holding index.html (default: ./dist)
  --port N        WEB_PORT   the port to listen on, 0 picks a free one (default: 8080)
  --host ADDRESS  WEB_HOST   the address to listen on (default: 0.0.0.0)
`

export interface ServeOptions {
  command: 'serve' | 'healthcheck' | 'help'
  root: string
  port: number
  hostname: string
}

export class ServeUsageError extends Error {
  override readonly name = 'ServeUsageError'
}

function parsePort(value: string, source: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ServeUsageError(`${source} must be a port number from 0 to 65535 (got "${value}")`)
  }
  return port
}

/** argv without the runtime and script (process.argv.slice(2)). */
export function readServeOptions(argv: string[], env: Record<string, string | undefined>): ServeOptions {
  const flags = new Map<string, string>()
  let command: ServeOptions['command'] = 'serve'
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === 'healthcheck' || arg === '--check') command = 'healthcheck'
    else if (arg === '--help' || arg === '-h') command = 'help'
    else if (arg === '--root' || arg === '--port' || arg === '--host') {
      const value = argv[++i]
      if (value === undefined || value.startsWith('--')) throw new ServeUsageError(`${arg} needs a value`)
      flags.set(arg, value)
    } else {
      throw new ServeUsageError(`unknown argument "${arg}": see --help`)
    }
  }
  const portFlag = flags.get('--port')
  const portEnv = env.WEB_PORT
  const port = portFlag ? parsePort(portFlag, '--port') : portEnv ? parsePort(portEnv, 'WEB_PORT') : 8080
  return {
    command,
    root: flags.get('--root') ?? env.WEB_ROOT ?? 'dist',
    port,
    hostname: flags.get('--host') ?? env.WEB_HOST ?? '0.0.0.0',
  }
}
