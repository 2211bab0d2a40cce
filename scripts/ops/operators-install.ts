// `make operators-install AWS_REGION=<region> (ACK_ROLE_ARN=<arn> | AWS_ACCOUNT_ID=<id>)`: the AWS Controllers
// for Kubernetes that turn the overlays' Table, Role, Policy, Function, EventSourceMapping and ConfigurationSet
// objects into AWS resources: one Helm release per service in namespace ack-system, at the chart versions pinned in
// the Makefile (ACK_<SVC>_CHART_VERSION), each controller's service account annotated with its IAM role (IRSA).
import { createPlan, type Env, OpsError, type Plan, readValue, runMain } from './plan.ts'

export const ackNamespace = 'ack-system'
export const ackServices = ['dynamodb', 'iam', 'lambda', 'ses'] as const
export type AckService = (typeof ackServices)[number]

const rolePattern = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/
const regionPattern = /^[a-z]{2}(?:-[a-z]+)+-[0-9]$/
const chartVersionPattern = /^v?[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?$/

export type Controller = {
  service: AckService
  chart: string
  version: string
  release: string
  roleArn: string
}

/**
 * One controller per service: chart version from ACK_<SVC>_CHART_VERSION; role from ACK_ROLE_ARN_<SVC>, else
 * ACK_ROLE_ARN (one role for all four), else arn:aws:iam::<AWS_ACCOUNT_ID>:role/ack-<svc>-controller.
 */
export function readControllers(env: Env): { region: string; controllers: Controller[] } {
  const region = readValue(env, 'AWS_REGION') ?? 'eu-central-1'
  const errors: string[] = []
  if (!regionPattern.test(region))
    errors.push(`AWS_REGION "${region}" is not an AWS region code (e.g. eu-central-1)`)
  const accountId = readValue(env, 'AWS_ACCOUNT_ID')
  if (accountId && !/^[0-9]{12}$/.test(accountId))
    errors.push(`AWS_ACCOUNT_ID "${accountId}" is not 12 digits`)
  const controllers: Controller[] = []
  for (const service of ackServices) {
    const upper = service.toUpperCase()
    const versionVariable = `ACK_${upper}_CHART_VERSION`
    const version = readValue(env, versionVariable)
    if (!version) errors.push(`${versionVariable} is not set: run this through make, which pins it`)
    else if (!chartVersionPattern.test(version))
      errors.push(`${versionVariable} "${version}" is not a version`)
    const roleVariable = readValue(env, `ACK_ROLE_ARN_${upper}`) ? `ACK_ROLE_ARN_${upper}` : 'ACK_ROLE_ARN'
    const roleArn =
      readValue(env, roleVariable) ??
      (accountId ? `arn:aws:iam::${accountId}:role/ack-${service}-controller` : '')
    if (!roleArn) {
      errors.push(
        `no IAM role for the ${service} controller: set ACK_ROLE_ARN_${upper}, or ACK_ROLE_ARN for all, or ` +
          `AWS_ACCOUNT_ID to use arn:aws:iam::<id>:role/ack-${service}-controller`,
      )
    } else if (!rolePattern.test(roleArn)) {
      errors.push(
        `${roleVariable} "${roleArn}" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)`,
      )
    }
    controllers.push({
      service,
      chart: `oci://public.ecr.aws/aws-controllers-k8s/${service}-chart`,
      version: version ?? '',
      release: `ack-${service}-controller`,
      roleArn,
    })
  }
  if (errors.length > 0) throw new OpsError(`cannot install the ACK controllers:\n  ${errors.join('\n  ')}`)
  return { region, controllers }
}

export async function installControllers(
  plan: Plan,
  region: string,
  controllers: Controller[],
): Promise<void> {
  plan.requireTool('helm')
  plan.requireTool('kubectl')
  for (const controller of controllers) {
    plan.note(
      `ACK ${controller.service} controller ${controller.version} (service account ${controller.release})`,
    )
    // Helm installs a chart's CRDs only the first time; applying them first upgrades them with the controller.
    await plan.pipe(
      ['helm', 'show', 'crds', controller.chart, '--version', controller.version],
      ['kubectl', 'apply', '--server-side', '--force-conflicts', '-f', '-'],
    )
    await plan.run([
      'helm',
      'upgrade',
      '--install',
      controller.release,
      controller.chart,
      '--version',
      controller.version,
      '--namespace',
      ackNamespace,
      '--create-namespace',
      '--set',
      `aws.region=${region}`,
      '--set',
      `serviceAccount.name=${controller.release}`,
      '--set-string',
      `serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=${controller.roleArn}`,
      '--wait',
      '--timeout',
      '5m',
    ])
  }
  plan.note(
    `each role must trust the cluster's OIDC provider for system:serviceaccount:${ackNamespace}:ack-<service>-controller`,
  )
}

export async function operatorsInstall(env: Env): Promise<void> {
  const { region, controllers } = readControllers(env)
  const plan = createPlan(env)
  await installControllers(plan, region, controllers)
  plan.finish()
}

if (import.meta.main) await runMain('operators-install', operatorsInstall)
