// The three Dockerfiles (build context: the repository root), read as text: multi-stage, base images pinned to an
// exact version (Bun's equal to packageManager), a numeric non-root user, health checks where something serves,
// OCI labels, and a dependency layer that lists every workspace, so `bun install --frozen-lockfile` cannot break
// when a workspace is added. No Docker engine is needed; the payloads themselves are built by `make build`.
import { describe, expect, it } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const repoRoot = join(import.meta.dir, '../..')
const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  packageManager: string
  license: string
  workspaces: string[]
}

interface Instruction {
  keyword: string
  args: string
  line: number
}

interface Stage {
  image: string
  name: string | undefined
  instructions: Instruction[]
}

interface Dockerfile {
  path: string
  stages: Stage[]
}

/** Instructions per stage; continuation lines joined, comments and blank lines dropped. */
function parseDockerfile(path: string): Dockerfile {
  const lines = readFileSync(join(repoRoot, path), 'utf8').split('\n')
  const stages: Stage[] = []
  let pending = ''
  let startLine = 0
  lines.forEach((raw, index) => {
    const line = raw.trim()
    if (pending === '' && (line === '' || line.startsWith('#'))) return
    if (pending === '') startLine = index + 1
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `
      return
    }
    const text = `${pending}${line}`.trim()
    pending = ''
    const [keyword = '', ...rest] = text.split(/\s+/)
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' '), line: startLine }
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = rest
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] })
    }
    const stage = stages.at(-1)
    if (!stage) throw new Error(`${path}:${startLine}: ${instruction.keyword} before the first FROM`)
    stage.instructions.push(instruction)
  })
  return { path, stages }
}

const bunVersion = rootPackage.packageManager.replace(/^bun@/, '')
const dockerfiles = {
  server: parseDockerfile('apps/server/Dockerfile'),
  web: parseDockerfile('apps/web/Dockerfile'),
  cron: parseDockerfile('apps/cron/Dockerfile'),
}
const all = Object.entries(dockerfiles)
const finalStage = (file: Dockerfile) => file.stages.at(-1)!
const find = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword)

/** COPY sources from the build context (not --from another stage), without flags. */
function contextCopies(file: Dockerfile): { sources: string[]; destination: string; line: number }[] {
  return file.stages.flatMap((stage) =>
    find(stage, 'COPY')
      .map((copy) => ({ copy, words: copy.args.split(/\s+/) }))
      .filter(({ words }) => !words.some((word) => word.startsWith('--from=')))
      .map(({ copy, words }) => {
        const paths = words.filter((word) => !word.startsWith('--'))
        return { sources: paths.slice(0, -1), destination: paths.at(-1)!, line: copy.line }
      }),
  )
}

/** Every workspace directory (root package.json `workspaces`, globs expanded) that holds a package.json. */
function listWorkspaces(): string[] {
  return rootPackage.workspaces
    .flatMap((pattern) => [...new Bun.Glob(`${pattern}/package.json`).scanSync({ cwd: repoRoot })])
    .map((file) => file.replace(/\/package\.json$/, ''))
    .sort()
}

/** .dockerignore as Docker reads it: the last matching pattern wins, `!` re-includes; a directory takes its files. */
const ignorePatterns = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))

function isIgnored(path: string): boolean {
  const parts = path.replace(/^\.\//, '').replace(/\/$/, '').split('/')
  const prefixes = parts.map((_, index) => parts.slice(0, index + 1).join('/'))
  let ignored = false
  for (const pattern of ignorePatterns) {
    const negated = pattern.startsWith('!')
    const glob = new Bun.Glob(negated ? pattern.slice(1) : pattern)
    if (prefixes.some((prefix) => glob.match(prefix))) ignored = !negated
  }
  return ignored
}

describe('Dockerfiles: stages and base images', () => {
  for (const [name, file] of all) {
    it(`${name}: is multi-stage, and its last stage is a fresh base image, not the build stage`, () => {
      expect(file.stages.length).toBeGreaterThanOrEqual(2)
      const stageNames = file.stages.map((stage) => stage.name).filter(Boolean)
      expect(stageNames).not.toContain(finalStage(file).image)
    })

    it(`${name}: pins every base image to an exact version (never latest, never untagged)`, () => {
      const stageNames = new Set(file.stages.map((stage) => stage.name))
      for (const stage of file.stages.filter((s) => !stageNames.has(s.image))) {
        const match =
          /^(?<repository>[^:@\s]+)(?::(?<tag>[^@\s]+))?(?:@sha256:(?<digest>[0-9a-f]{64}))?$/.exec(
            stage.image,
          )
        const tag = match?.groups?.tag
        const pinned = Boolean(match?.groups?.digest) || (tag !== undefined && /\d+\.\d+\.\d+/.test(tag))
        expect({ image: stage.image, pinned, latest: tag === 'latest' }).toEqual({
          image: stage.image,
          pinned: true,
          latest: false,
        })
      }
    })

    it(`${name}: uses Bun ${bunVersion} (package.json packageManager) in every oven/bun stage`, () => {
      const bunImages = file.stages
        .map((stage) => stage.image)
        .filter((image) => image.startsWith('oven/bun:'))
      expect(bunImages.length).toBeGreaterThanOrEqual(2)
      for (const image of bunImages) {
        expect({ image, version: /^oven\/bun:([^-@]+)/.exec(image)?.[1] }).toEqual({
          image,
          version: bunVersion,
        })
      }
    })

    it(`${name}: fetches nothing with ADD`, () => {
      expect(file.stages.flatMap((stage) => find(stage, 'ADD'))).toEqual([])
    })
  }
})

describe('Dockerfiles: the image that runs', () => {
  for (const [name, file] of all) {
    it(`${name}: runs as a numeric non-root user (runAsNonRoot can verify it)`, () => {
      const users = find(finalStage(file), 'USER')
      expect(users.length).toBeGreaterThan(0)
      const user = users.at(-1)!.args
      const match = /^(\d+)(?::(\d+))?$/.exec(user)
      expect({ user, numeric: match !== null }).toEqual({ user, numeric: true })
      expect(Number(match![1])).toBeGreaterThan(0)
      if (match![2] !== undefined) expect(Number(match![2])).toBeGreaterThan(0)
    })

    it(`${name}: starts in exec form (the process is PID 1 and receives SIGTERM)`, () => {
      const entrypoint = find(finalStage(file), 'ENTRYPOINT').at(-1)
      expect(entrypoint).toBeDefined()
      const argv = JSON.parse(entrypoint!.args) as string[]
      expect(Array.isArray(argv) && argv.length > 0).toBe(true)
    })

    it(`${name}: carries the OCI labels, the version from ARG VERSION`, () => {
      const stage = finalStage(file)
      expect(find(stage, 'ARG').map((arg) => arg.args.split('=')[0])).toContain('VERSION')
      const labels = find(stage, 'LABEL')
        .map((label) => label.args)
        .join(' ')
      const value = (key: string) => new RegExp(`${key.replaceAll('.', '\\.')}="([^"]*)"`).exec(labels)?.[1]
      expect(value('org.opencontainers.image.source')).toMatch(/^https:\/\/github\.com\/[^/]+\/percolate$/)
      // The literal ${VERSION}: Docker substitutes the build argument.
      expect(value('org.opencontainers.image.version')).toBe(['$', '{VERSION}'].join(''))
      expect(value('org.opencontainers.image.licenses')).toBe(rootPackage.license)
      expect(value('org.opencontainers.image.title')).toBe(`percolate-${name}`)
    })
  }

  it('server and web have a HEALTHCHECK in exec form (no shell in a distroless image); cron declares NONE', () => {
    for (const file of [dockerfiles.server, dockerfiles.web]) {
      const check = find(finalStage(file), 'HEALTHCHECK').at(-1)
      expect({ file: file.path, check: check?.args.includes(' CMD [') }).toEqual({
        file: file.path,
        check: true,
      })
      const argv = JSON.parse(check!.args.slice(check!.args.indexOf('CMD [') + 4)) as string[]
      expect(argv.join(' ')).toMatch(/healthz|healthcheck/)
    }
    expect(find(finalStage(dockerfiles.cron), 'HEALTHCHECK').map((check) => check.args)).toEqual(['NONE'])
  })

  it('exposes the ports the manifests name: server 3000 (http) and 9464 (metrics), web 8080', () => {
    const exposed = (file: Dockerfile) => find(finalStage(file), 'EXPOSE').flatMap((e) => e.args.split(/\s+/))
    expect(exposed(dockerfiles.server).sort()).toEqual(['3000', '9464'])
    expect(exposed(dockerfiles.web)).toEqual(['8080'])
    expect(exposed(dockerfiles.cron)).toEqual([])
  })
})

describe('Dockerfiles: dependencies and sources', () => {
  const workspaces = listWorkspaces()

  it('finds the workspaces to compare with (apps, packages, infra)', () => {
    expect(workspaces).toContain('apps/server')
    expect(workspaces).toContain('packages/dispatch')
    expect(workspaces).toContain('infra')
  })

  for (const [name, file] of all) {
    it(`${name}: copies the package.json of every workspace, and only those, before bun install --frozen-lockfile`, () => {
      const build = file.stages[0]!
      const installIndex = build.instructions.findIndex(
        (i) => i.keyword === 'RUN' && /\bbun install\b/.test(i.args),
      )
      expect(installIndex).toBeGreaterThan(0)
      expect(build.instructions[installIndex]!.args).toContain('--frozen-lockfile')
      const beforeInstall = contextCopies({ path: file.path, stages: [build] }).filter(
        (copy) => copy.line < build.instructions[installIndex]!.line,
      )
      const sources = beforeInstall.flatMap((copy) => copy.sources)
      expect(sources).toContain('package.json')
      expect(sources).toContain('bun.lock')
      const copied = sources
        .filter((source) => source.endsWith('/package.json'))
        .map((source) => source.replace(/\/package\.json$/, ''))
        .sort()
      expect(copied).toEqual(workspaces)
      // Only manifests before the install: a source change must not invalidate the dependency layer.
      for (const source of sources) expect(source).toMatch(/(^|\/)package\.json$|^bun\.lock$/)
    })

    it(`${name}: copies only paths that exist and that .dockerignore lets through`, () => {
      const copies = contextCopies(file)
      expect(copies.length).toBeGreaterThan(0)
      for (const copy of copies) {
        for (const source of copy.sources) {
          expect({ source, exists: existsSync(join(repoRoot, source)), ignored: isIgnored(source) }).toEqual({
            source,
            exists: true,
            ignored: false,
          })
        }
      }
    })

    it(`${name}: runs package scripts that exist`, () => {
      for (const run of file.stages.flatMap((stage) => find(stage, 'RUN'))) {
        const match = /cd (\S+) && bun run (\S+)/.exec(run.args)
        if (!match) continue
        const pkg = JSON.parse(readFileSync(join(repoRoot, match[1]!, 'package.json'), 'utf8')) as {
          scripts?: Record<string, string>
        }
        expect({ dir: match[1], script: match[2], exists: Boolean(pkg.scripts?.[match[2]!]) }).toEqual({
          dir: match[1],
          script: match[2],
          exists: true,
        })
      }
    })
  }

  it('starts all three builds with the same dependency layer (built once, shared by the builds)', () => {
    const prefix = (file: Dockerfile) => {
      const build = file.stages[0]!.instructions
      const end = build.findIndex((i) => i.keyword === 'RUN' && /\bbun install\b/.test(i.args))
      return build.slice(0, end + 1).map((i) => `${i.keyword} ${i.args}`)
    }
    expect(prefix(dockerfiles.web)).toEqual(prefix(dockerfiles.server))
    expect(prefix(dockerfiles.cron)).toEqual(prefix(dockerfiles.server))
  })
})

describe('.dockerignore', () => {
  const mustBeIgnored = [
    'node_modules',
    'apps/web/node_modules',
    'packages/db/node_modules',
    '.git',
    '.env',
    '.env.local',
    'apps/server/.env',
    'apps/server/.env.production',
    'signing-key.pem',
    'infra/secrets/tls.pem',
    '.data',
    'apps/web/dist',
    'apps/cron/bin',
    'apps/web/test-results',
    '.turbo',
    'packages/db/.turbo',
  ]
  for (const path of mustBeIgnored) {
    it(`keeps ${path} out of the build context`, () => {
      expect(isIgnored(path)).toBe(true)
    })
  }

  it('lets through what the builds need', () => {
    for (const path of [
      'package.json',
      'bun.lock',
      'tsconfig.base.json',
      'apps/server/src/main.ts',
      'infra',
    ]) {
      expect({ path, ignored: isIgnored(path) }).toEqual({ path, ignored: false })
    }
  })
})
