// `make status INSTANCE=<name>`: how an instance is doing. Argo CD's view of it, its workloads, the last jobs and
// pods, then what the deployments' own records say (the last rounds, failed notifications) by running
// `percolate-cron status --all` as a Job made from the suspended CronJob percolate-status, which carries the
// service account, settings and restricted security context of the other jobs.
import {
  argocdNamespace,
  createPlan,
  type Env,
  findK8sDir,
  type Instance,
  type Plan,
  requireInstance,
  runMain,
} from './plan.ts'

const statusCronJob = 'percolate-status'
const jobTimeoutSeconds = 300
const pollSeconds = 2

/** A Job name that sorts by time and fits Kubernetes' 63 characters: percolate-status-20250101-120000. */
export function nameStatusJob(now: Date): string {
  const stamp = now.toISOString().replaceAll(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${statusCronJob}-${stamp}`
}

async function waitForJob(plan: Plan, namespace: string, job: string): Promise<void> {
  const get = [
    'kubectl',
    '-n',
    namespace,
    'get',
    'job',
    job,
    '-o',
    'jsonpath={.status.succeeded}/{.status.failed}',
  ]
  await plan.poll(get, {
    what: `${job} to finish`,
    everySeconds: pollSeconds,
    timeoutSeconds: jobTimeoutSeconds,
    timeoutHint: `kubectl -n ${namespace} describe job ${job}`,
    done: (stdout) => {
      const [succeeded, failed] = stdout.split('/').map((count) => Number(count || 0))
      return (succeeded ?? 0) > 0 || (failed ?? 0) > 0 ? true : undefined
    },
  })
}

export async function showStatus(plan: Plan, instance: Instance, now: Date): Promise<void> {
  const ns = ['kubectl', '-n', instance.namespace]
  // Each view is shown even when an earlier one fails (e.g. Argo CD not installed): status is for diagnosing.
  const show = async (title: string, argv: string[]) => {
    plan.note(title)
    const result = await plan.run(argv, { allowFailure: true })
    if (result.code !== 0) plan.warn(`${argv.slice(0, 5).join(' ')}... failed (exit ${result.code})`)
  }
  await show(`Argo CD Application ${instance.application}`, [
    'kubectl',
    '-n',
    argocdNamespace,
    'get',
    'application',
    instance.application,
    '-o',
    'wide',
  ])
  await show('Deployments and CronJobs', [...ns, 'get', 'deployments,cronjobs', '-o', 'wide'])
  await show('Last jobs (oldest first)', [...ns, 'get', 'jobs', '--sort-by=.metadata.creationTimestamp'])
  await show('Pods', [...ns, 'get', 'pods', '-o', 'wide'])

  plan.note('Last rounds and failed notifications (percolate-cron status --all)')
  const job = nameStatusJob(now)
  const created = await plan.run([...ns, 'create', 'job', job, `--from=cronjob/${statusCronJob}`], {
    allowFailure: true,
  })
  if (created.code !== 0) {
    plan.warn(`could not start ${job} from CronJob ${statusCronJob}: is the instance deployed (make deploy)?`)
    return
  }
  try {
    await waitForJob(plan, instance.namespace, job)
    await plan.run([...ns, 'logs', `job/${job}`, '--all-containers'], { allowFailure: true })
  } finally {
    // The Job's TTL would remove it in a day; removed now, the job list above keeps showing the scheduled work.
    await plan.run([...ns, 'delete', 'job', job, '--wait=false', '--ignore-not-found'], {
      allowFailure: true,
    })
  }
}

export async function status(env: Env): Promise<void> {
  const instance = requireInstance(env, findK8sDir(env))
  const plan = createPlan(env)
  plan.requireTool('kubectl')
  await showStatus(plan, instance, new Date())
  plan.finish()
}

if (import.meta.main) await runMain('status', status)
