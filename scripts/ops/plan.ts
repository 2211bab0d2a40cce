// What every ops script (the cluster targets of the Makefile) shares: DRY_RUN, which prints each command as
// `+ cmd` instead of running it; the names an instance gets in the cluster; finding an instance's overlay; and
// masking secret values so that no log ever holds one.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

export const repoRoot = resolve(import.meta.dir, '../..')

/** Environment the scripts read: make passes its command-line variables (`make deploy INSTANCE=acme`) this way. */
export type Env = Record<string, string | undefined>

/** A problem the operator can fix: printed as `<target>: <message>`, without a stack. */
export class OpsError extends Error {
  override name = 'OpsError'
}

/** `1`, `true` and `yes` switch a flag on (DRY_RUN=1, PUSH=1); anything else, or nothing, leaves it off. */
export function readFlag(env: Env, name: string): boolean {
  return /^(1|true|yes)$/i.test(env[name]?.trim() ?? '')
}

/** A variable's value with surrounding blanks removed; empty counts as unset (`make x NAME=` passes ""). */
export function readValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Instances: one overlay directory each, one namespace, one Argo CD Application.

/** Instance names: they become the namespace `percolate-<name>` and AWS names, so DNS-label rules apply. */
export const instanceNamePattern = /^[a-z][a-z0-9-]{1,30}$/
export const argocdNamespace = 'argocd'

export function namespaceOf(instance: string): string {
  return `percolate-${instance}`
}

/** The ApplicationSet in infra/argocd names the Application of overlay <name> `percolate-<name>`. */
export function applicationOf(instance: string): string {
  return `percolate-${instance}`
}

/** infra/k8s, or K8S_DIR (tests point it at a copy so that they never write into the repository). */
export function findK8sDir(env: Env): string {
  const fromEnv = readValue(env, 'K8S_DIR')
  return fromEnv ? resolve(fromEnv) : join(repoRoot, 'infra/k8s')
}

export function listInstances(k8sDir: string): string[] {
  const overlays = join(k8sDir, 'overlays')
  if (!existsSync(overlays)) return []
  return readdirSync(overlays)
    .filter((entry) => !entry.startsWith('.') && statSync(join(overlays, entry)).isDirectory())
    .sort()
}

export type Instance = { name: string; namespace: string; application: string; overlayDir: string }

function describeKnownInstances(k8sDir: string): string {
  const known = listInstances(k8sDir)
  return known.length > 0
    ? `instances: ${known.join(', ')}`
    : `there are no instances yet under ${displayPath(join(k8sDir, 'overlays'))}: make one with make instance-new NAME=<name> ...`
}

/** INSTANCE named and valid, with its overlay present; else an error that lists the instances that exist. */
export function requireInstance(
  env: Env,
  k8sDir: string,
  options: { overlayMustExist?: boolean } = {},
): Instance {
  const name = readValue(env, 'INSTANCE')
  if (!name) throw new OpsError(`INSTANCE is required (INSTANCE=<name>); ${describeKnownInstances(k8sDir)}`)
  if (!instanceNamePattern.test(name) || name.endsWith('-')) {
    throw new OpsError(
      `INSTANCE "${name}" is not an instance name (a lowercase letter, then 1-30 lowercase letters, digits or ` +
        `hyphens, not ending in a hyphen); ${describeKnownInstances(k8sDir)}`,
    )
  }
  const overlayDir = join(k8sDir, 'overlays', name)
  if ((options.overlayMustExist ?? true) && !existsSync(join(overlayDir, 'kustomization.yaml'))) {
    throw new OpsError(
      `INSTANCE "${name}" is unknown: ${displayPath(overlayDir)}/kustomization.yaml does not exist; ` +
        describeKnownInstances(k8sDir),
    )
  }
  return { name, namespace: namespaceOf(name), application: applicationOf(name), overlayDir }
}

/** Paths inside the repository are shown relative to it (as a person types them), others as they are. */
export function displayPath(path: string): string {
  const inRepo = relative(repoRoot, path)
  return inRepo && !inRepo.startsWith('..') ? inRepo : path
}

// ---------------------------------------------------------------------------------------------------------------
// Secret values: never printed, only described.

/** `<set, 241 bytes>`: enough to see that a value is there and roughly right, nothing of the value itself. */
export function describeSecretValue(value: string | undefined): string {
  if (value === undefined || value === '') return '<not set>'
  return `<set, ${Buffer.byteLength(value)} bytes>`
}

// ---------------------------------------------------------------------------------------------------------------
// Commands and DRY_RUN.

/** Quotes an argument for a POSIX shell only when it needs it, so plans read like the commands one would type. */
export function quoteArgument(argument: string): string {
  if (/^[\w@%+=:,./-]+$/.test(argument)) return argument
  return `'${argument.replaceAll("'", `'"'"'`)}'`
}

export function formatCommand(argv: readonly string[]): string {
  return argv.map(quoteArgument).join(' ')
}

const installHints: Record<string, string> = {
  kubectl: 'https://kubernetes.io/docs/tasks/tools/ (Debian/Ubuntu: apt-get install kubectl)',
  helm: 'https://helm.sh/docs/intro/install/ (3.8 or later, for OCI charts)',
  docker: 'Docker with the buildx plugin: https://docs.docker.com/build/install-buildx/',
  aws: 'the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html',
  argocd: 'https://argo-cd.readthedocs.io/en/stable/cli_installation/ (optional: kubectl is used without it)',
  git: 'git from your package manager',
}

export type RunOptions = {
  /** Bytes for the command's stdin (secret material goes this way, never into argv). */
  input?: string | Uint8Array
  /** Keep stdout and return it instead of passing it through. */
  capture?: boolean
  /** Return a failing exit code instead of throwing. */
  allowFailure?: boolean
  /** Print neither the command nor its stderr (probes whose failure is an answer, e.g. "not found"). */
  quiet?: boolean
  /** Working directory, when not the repository root. */
  cwd?: string
}

export type RunResult = { code: number; stdout: string; stderr: string }

export type PlanOptions = {
  dryRun: boolean
  cwd?: string
  write?: (line: string) => void
  writeError?: (line: string) => void
}

/**
 * Runs the commands of an ops target in order, printing each as `+ cmd` first (like `set -x`). With DRY_RUN the
 * commands that act on a cluster, a registry or AWS are printed and not run; local read-only checks (`check`,
 * e.g. `kubectl kustomize`, `git status`) still run, so a dry run also reports what would make the real run fail.
 */
export class Plan {
  readonly dryRun: boolean
  readonly cwd: string
  private readonly write: (line: string) => void
  private readonly writeError: (line: string) => void
  private readonly problems: string[] = []

  constructor(options: PlanOptions) {
    this.dryRun = options.dryRun
    this.cwd = options.cwd ?? repoRoot
    this.write = options.write ?? ((line) => console.log(line))
    this.writeError = options.writeError ?? ((line) => console.error(line))
    if (this.dryRun) this.note('DRY_RUN=1: printing the commands, running none that change anything')
  }

  /** A line of the plan that is not a command: `# text`. */
  note(text: string): void {
    this.write(`# ${text}`)
  }

  warn(text: string): void {
    this.writeError(`warning: ${text}`)
  }

  /**
   * Something that stops a real run. In a dry run it is reported and the plan goes on, so one dry run shows every
   * problem at once; `finish()` then fails the dry run too.
   */
  fail(text: string): void {
    if (!this.dryRun) throw new OpsError(text)
    this.problems.push(text)
    this.writeError(`error (a real run stops here): ${text}`)
  }

  /** Ends the plan: a dry run that met problems exits non-zero, like the real run would. */
  finish(): void {
    if (this.problems.length > 0) {
      throw new OpsError(
        `the dry run found ${this.problems.length} problem${this.problems.length === 1 ? '' : 's'} (above)`,
      )
    }
  }

  /** A command that changes something: printed, and run unless DRY_RUN. */
  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    this.write(`+ ${formatCommand(argv)}`)
    if (this.dryRun) return { code: 0, stdout: '', stderr: '' }
    return await this.spawn(argv, options)
  }

  /** A local command that changes nothing (render, git status): runs in dry runs too; printed unless quiet. */
  async check(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    if (!options.quiet) this.write(`+ ${formatCommand(argv)}`)
    return await this.spawn(argv, { capture: true, ...options })
  }

  /**
   * A read from the cluster or a registry whose answer decides what comes next (does the namespace exist?). Not
   * run in a dry run, where it returns undefined and the caller prints the command that would follow.
   */
  async query(argv: readonly string[], options: RunOptions = {}): Promise<RunResult | undefined> {
    if (this.dryRun) return undefined
    if (!options.quiet) this.write(`+ ${formatCommand(argv)}`)
    return await this.spawn(argv, { capture: true, allowFailure: true, ...options })
  }

  /**
   * Asks `argv` every `everySeconds` (printing the command once) until `done` says it has the answer, then returns
   * it; an OpsError with `timeoutHint` after `timeoutSeconds`. In a dry run, prints the command once and returns
   * undefined.
   */
  async poll<T>(
    argv: readonly string[],
    {
      what,
      everySeconds,
      timeoutSeconds,
      done,
      timeoutHint,
    }: {
      what: string
      everySeconds: number
      timeoutSeconds: number
      done: (stdout: string) => T | undefined
      timeoutHint: string
    },
  ): Promise<T | undefined> {
    this.note(`waiting for ${what} (every ${everySeconds} s, at most ${timeoutSeconds} s):`)
    if (this.dryRun) {
      await this.run(argv)
      return undefined
    }
    const deadline = Date.now() + timeoutSeconds * 1000
    let printed = false
    while (Date.now() < deadline) {
      const result = await this.query(argv, { quiet: printed })
      printed = true
      const answer = done(result?.stdout ?? '')
      if (answer !== undefined) return answer
      await Bun.sleep(everySeconds * 1000)
    }
    throw new OpsError(`${what} did not happen within ${timeoutSeconds} s: ${timeoutHint}`)
  }

  /**
   * `first | second`: first's stdout feeds second's stdin in memory (e.g. a rendered Secret), never a file or the
   * terminal. Only the commands are printed.
   */
  async pipe(
    first: readonly string[],
    second: readonly string[],
    options: RunOptions = {},
  ): Promise<RunResult> {
    this.write(`+ ${formatCommand(first)} | ${formatCommand(second)}`)
    if (this.dryRun) return { code: 0, stdout: '', stderr: '' }
    const produced = await this.spawn(first, { ...options, capture: true, allowFailure: false })
    return await this.spawn(second, { ...options, input: produced.stdout })
  }

  /** Fails early, with where to get it, when a real run needs a program that is not installed. */
  requireTool(tool: string): void {
    if (Bun.which(tool)) return
    const hint = installHints[tool] ?? 'it'
    if (this.dryRun) this.warn(`${tool} is not installed (a real run needs it): install ${hint}`)
    else throw new OpsError(`${tool} is not installed: install ${hint}`)
  }

  private async spawn(argv: readonly string[], options: RunOptions): Promise<RunResult> {
    const [program] = argv
    const cwd = options.cwd ?? this.cwd
    if (!program || !Bun.which(program, { PATH: process.env.PATH ?? '', cwd })) {
      throw new OpsError(`${program} is not installed: install ${installHints[program ?? ''] ?? 'it'}`)
    }
    const child = Bun.spawn([...argv], {
      cwd,
      stdin: options.input === undefined ? 'inherit' : new Blob([options.input]),
      stdout: options.capture ? 'pipe' : 'inherit',
      stderr: options.quiet || options.capture ? 'pipe' : 'inherit',
    })
    const [stdout, stderr, code] = await Promise.all([
      options.capture ? new Response(child.stdout as ReadableStream).text() : Promise.resolve(''),
      options.quiet || options.capture
        ? new Response(child.stderr as ReadableStream).text()
        : Promise.resolve(''),
      child.exited,
    ])
    if (code !== 0 && !options.allowFailure) {
      // A captured command's stderr is its explanation; captured stdout is never shown (it may hold secrets).
      const detail = stderr.trim() ? `:\n${stderr.trim()}` : ''
      throw new OpsError(`\`${formatCommand(argv.slice(0, 3))}...\` failed with exit code ${code}${detail}`)
    }
    return { code, stdout, stderr }
  }
}

/** The Plan for a target run from make: DRY_RUN read from the environment. */
export function createPlan(env: Env): Plan {
  return new Plan({ dryRun: readFlag(env, 'DRY_RUN') })
}

/** The entry point of each script: known problems print as `<target>: message` and exit 1, without a stack. */
export async function runMain(target: string, main: (env: Env) => Promise<void>): Promise<void> {
  try {
    await main(process.env)
  } catch (error) {
    if (error instanceof OpsError) {
      console.error(`${target}: ${error.message}`)
      process.exit(1)
    }
    throw error
  }
}
