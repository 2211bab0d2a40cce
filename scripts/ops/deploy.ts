// `make deploy INSTANCE=<name>`: GitOps, so deploying is asking Argo CD to sync what is pushed. Checks first that
// the overlay renders and that what it would deploy is committed (and pushed), then syncs the instance's
// Application (made by the ApplicationSet in infra/argocd) and waits until its Deployments are rolled out.
import { join, relative } from 'node:path'
import { renderOverlay } from './kustomize.ts'
import {
  argocdNamespace,
  createPlan,
  displayPath,
  type Env,
  findK8sDir,
  type Instance,
  OpsError,
  type Plan,
  requireInstance,
  runMain,
} from './plan.ts'

const syncTimeoutSeconds = 600
const pollSeconds = 3

/**
 * Argo CD deploys the pushed commit, not the working tree: uncommitted changes to what the overlay builds from
 * would silently not be deployed (an error), unpushed commits likewise (a warning: the branch may not be the one
 * Argo CD follows anyway). Without git (a copy of the files), both checks are skipped with a warning.
 */
export async function checkCommittedAndPushed(plan: Plan, paths: string[]): Promise<void> {
  const top = await plan.check(['git', 'rev-parse', '--show-toplevel'], {
    allowFailure: true,
    quiet: true,
    cwd: paths[0],
  })
  if (top.code !== 0) {
    plan.warn('not inside a git work tree: cannot check that the overlay is committed and pushed')
    return
  }
  // Paths relative to the work tree's top, where the git commands run: they read as one would type them.
  const cwd = top.stdout.trim()
  const shown = paths.map((path) => relative(cwd, path) || '.')
  const status = await plan.check(['git', 'status', '--porcelain', '--', ...shown], {
    allowFailure: true,
    cwd,
  })
  const changed = status.stdout.split('\n').filter(Boolean)
  if (status.code !== 0) {
    plan.warn(`git status failed, the overlay's commit state is unknown: ${status.stderr.trim()}`)
  } else if (changed.length > 0) {
    plan.fail(
      `${changed.length} uncommitted change${changed.length === 1 ? '' : 's'} under ${shown.join(' ')} ` +
        `(${changed.map((line) => line.slice(3)).join(', ')}): Argo CD deploys what is pushed, so commit and ` +
        'push them first',
    )
  }
  const upstream = await plan.check(['git', 'rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}'], {
    allowFailure: true,
    quiet: true,
    cwd,
  })
  if (upstream.code !== 0) {
    plan.warn(
      'this branch has no upstream: cannot check that the overlay is pushed (Argo CD only sees pushed commits)',
    )
    return
  }
  const branch = upstream.stdout.trim()
  const unpushed = await plan.check(['git', 'log', '--oneline', `${branch}..HEAD`, '--', ...shown], {
    allowFailure: true,
    cwd,
  })
  const commits = unpushed.stdout.split('\n').filter(Boolean)
  if (commits.length > 0) {
    plan.warn(
      `${commits.length} commit${commits.length === 1 ? '' : 's'} changing ${shown.join(' ')} not pushed to ` +
        `${branch} (as of the last fetch): Argo CD deploys the pushed state`,
    )
  }
}

/** Asks Argo CD to sync now (it would within its polling interval anyway) with its CLI, else through the API. */
export async function syncApplication(plan: Plan, application: string): Promise<void> {
  if (Bun.which('argocd')) {
    await plan.run(['argocd', 'app', 'sync', application, '--timeout', String(syncTimeoutSeconds)])
    await plan.run([
      'argocd',
      'app',
      'wait',
      application,
      '--health',
      '--timeout',
      String(syncTimeoutSeconds),
    ])
    return
  }
  plan.note('argocd CLI not found: starting the sync through the Application object')
  const operation = {
    operation: { initiatedBy: { username: 'make-deploy' }, sync: { syncStrategy: { hook: {} } } },
  }
  await plan.run([
    'kubectl',
    '-n',
    argocdNamespace,
    'patch',
    'application',
    application,
    '--type',
    'merge',
    '-p',
    JSON.stringify(operation),
  ])
  await waitForSync(plan, application)
}

type ApplicationState = {
  operation?: unknown
  status?: { operationState?: { phase?: string; message?: string } }
}

/** The patched operation stays on the Application until Argo CD has run it; its outcome is then in the status. */
async function waitForSync(plan: Plan, application: string): Promise<void> {
  const get = ['kubectl', '-n', argocdNamespace, 'get', 'application', application, '-o', 'json']
  const outcome = await plan.poll(get, {
    what: `the sync of ${application} to finish`,
    everySeconds: pollSeconds,
    timeoutSeconds: syncTimeoutSeconds,
    timeoutHint: 'see make status',
    done: (stdout) => {
      const state = JSON.parse(stdout || '{}') as ApplicationState
      return state.operation === undefined ? (state.status?.operationState ?? {}) : undefined
    },
  })
  if (outcome === undefined || outcome.phase === 'Succeeded') return
  throw new OpsError(
    `the sync of ${application} ended ${outcome.phase ?? 'without a result'}: ${outcome.message ?? ''}`,
  )
}

export async function deployInstance(plan: Plan, instance: Instance, k8sDir: string): Promise<void> {
  plan.requireTool('kubectl')
  plan.note(`1. ${displayPath(instance.overlayDir)} renders`)
  const { objects } = await renderOverlay(plan, instance.overlayDir)
  plan.note(`   ${objects.length} objects`)

  plan.note('2. what it builds from is committed and pushed')
  await checkCommittedAndPushed(plan, [instance.overlayDir, join(k8sDir, 'base')])

  plan.note(`3. the ApplicationSet has made Application ${instance.application}`)
  const found = await plan.query([
    'kubectl',
    '-n',
    argocdNamespace,
    'get',
    'application',
    instance.application,
  ])
  if (found === undefined)
    await plan.run(['kubectl', '-n', argocdNamespace, 'get', 'application', instance.application])
  else if (found.code !== 0) {
    plan.fail(
      `Application ${instance.application} does not exist in namespace ${argocdNamespace}: the ApplicationSet makes ` +
        'one per pushed overlay. Run make argocd-setup once, push the overlay, and wait a minute.',
    )
  }

  plan.note(`4. sync ${instance.application}`)
  await syncApplication(plan, instance.application)

  plan.note(`5. wait for the rollouts in ${instance.namespace}`)
  const deployments = objects
    .filter((object) => object.kind === 'Deployment')
    .map((object) => object.metadata?.name)
  for (const name of deployments) {
    await plan.run([
      'kubectl',
      '-n',
      instance.namespace,
      'rollout',
      'status',
      `deployment/${name}`,
      `--timeout=${syncTimeoutSeconds}s`,
    ])
  }
  if (!plan.dryRun) plan.note(`${instance.name} is deployed: make status INSTANCE=${instance.name}`)
}

export async function deploy(env: Env): Promise<void> {
  const k8sDir = findK8sDir(env)
  const instance = requireInstance(env, k8sDir)
  const plan = createPlan(env)
  await deployInstance(plan, instance, k8sDir)
  plan.finish()
}

if (import.meta.main) await runMain('deploy', deploy)
