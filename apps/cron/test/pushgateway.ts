// A local stand-in for a Prometheus Pushgateway: records each push, answers as told, and reads samples back out of
// the text exposition format.

export interface Push {
  method: string
  path: string
  contentType: string | null
  body: string
}

export interface FakePushgateway {
  url: string
  pushes: Push[]
  /** The status the next pushes are answered with (default 200). */
  answerWith(status: number): void
  stop(): Promise<void>
}

export function startFakePushgateway(): FakePushgateway {
  const pushes: Push[] = []
  let status = 200
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      pushes.push({
        method: request.method,
        path: new URL(request.url).pathname,
        contentType: request.headers.get('content-type'),
        body: await request.text(),
      })
      return new Response(status >= 400 ? 'pushed metrics are invalid or inconsistent' : '', { status })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    pushes,
    answerWith(next) {
      status = next
    },
    stop: () => server.stop(true),
  }
}

/** The value of one sample, its labels in any order; undefined when the body has no such sample. */
export function sampleValue(
  body: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',')
  for (const line of body.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const have = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter(Boolean)
      .sort()
      .join(',')
    if (have === wanted) return Number(match[3])
  }
  return undefined
}

/** The metric names a push carries (its # TYPE lines). */
export function metricNames(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ')[2]!)
}
