// `make images REGISTRY=<registry> [TAG=<tag>] [PUSH=1] [LAMBDA_BUCKET=<bucket>]`: the three container images
// (server, web, cron) built with docker buildx from the repository root, and the notification dispatcher's Lambda
// bundle zipped. PUSH=1 pushes the images and uploads the zip to
// s3://<LAMBDA_BUCKET>/percolate-dispatcher/<TAG>.zip, where the instances' Lambda Function resources read it.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  createPlan,
  displayPath,
  type Env,
  OpsError,
  type Plan,
  readFlag,
  readValue,
  repoRoot,
  runMain,
} from './plan.ts'
import { zipFiles } from './zip-files.ts'

export const images = [
  { name: 'percolate-server', dockerfile: 'apps/server/Dockerfile' },
  { name: 'percolate-web', dockerfile: 'apps/web/Dockerfile' },
  { name: 'percolate-cron', dockerfile: 'apps/cron/Dockerfile' },
] as const

export const lambdaBundleDir = 'apps/cron/dist/lambda'
export const lambdaKeyPrefix = 'percolate-dispatcher'

const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const registryPattern =
  /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

export type ImageOptions = {
  registry: string
  tag: string
  push: boolean
  platform: string
  lambdaBucket: string | undefined
}

/** The tag when none is given: the commit, as `git describe --tags --always --dirty` names it. */
export function describeCommit(): string {
  const result = Bun.spawnSync(['git', 'describe', '--tags', '--always', '--dirty'], { cwd: repoRoot })
  const tag = result.stdout.toString().trim()
  if (result.exitCode !== 0 || !tag) {
    throw new OpsError(
      'TAG is not set and `git describe --tags --always --dirty` gave none: pass TAG=<version>',
    )
  }
  return tag
}

export function readImageOptions(env: Env, defaultTag: () => string = describeCommit): ImageOptions {
  const registry = readValue(env, 'REGISTRY')
  if (!registry) {
    throw new OpsError('REGISTRY is required, e.g. REGISTRY=123456789012.dkr.ecr.eu-central-1.amazonaws.com')
  }
  if (!registryPattern.test(registry)) {
    throw new OpsError(
      `REGISTRY "${registry}" is not a registry host with an optional path (no scheme, no tag)`,
    )
  }
  const tag = readValue(env, 'TAG') ?? defaultTag()
  if (tag === 'latest') {
    throw new OpsError(
      'TAG=latest is refused: every instance names an exact image tag, and `latest` would change what runs ' +
        'without a commit saying so. Pass a version (TAG=v1.2.0) or leave TAG out for git describe.',
    )
  }
  if (!tagPattern.test(tag)) {
    throw new OpsError(
      `TAG "${tag}" is not an image tag: letters, digits, _ . - (at most 128, not starting with . or -)`,
    )
  }
  const push = readFlag(env, 'PUSH')
  const lambdaBucket = readValue(env, 'LAMBDA_BUCKET')
  if (push && !lambdaBucket) {
    throw new OpsError(
      'LAMBDA_BUCKET is required with PUSH=1: the S3 bucket the dispatcher zip is uploaded to',
    )
  }
  if (lambdaBucket && !bucketPattern.test(lambdaBucket)) {
    throw new OpsError(
      `LAMBDA_BUCKET "${lambdaBucket}" is not an S3 bucket name (3-63 lowercase letters, digits, . -)`,
    )
  }
  return { registry, tag, push, platform: readValue(env, 'PLATFORM') ?? 'linux/amd64', lambdaBucket }
}

function readRevision(): string {
  const result = Bun.spawnSync(['git', 'rev-parse', 'HEAD'], { cwd: repoRoot })
  return result.exitCode === 0 ? result.stdout.toString().trim() : 'unknown'
}

export async function buildImages(plan: Plan, options: ImageOptions): Promise<void> {
  plan.requireTool('docker')
  if (options.tag.endsWith('-dirty')) {
    plan.warn(`TAG ${options.tag}: the working tree has uncommitted changes, and the images will hold them`)
  }
  const revision = readRevision()
  for (const image of images) {
    if (!existsSync(join(repoRoot, image.dockerfile))) plan.fail(`${image.dockerfile} does not exist`)
    await plan.run([
      'docker',
      'buildx',
      'build',
      '--file',
      image.dockerfile,
      '--tag',
      `${options.registry}/${image.name}:${options.tag}`,
      '--build-arg',
      `VERSION=${options.tag}`,
      '--platform',
      options.platform,
      '--label',
      `org.opencontainers.image.version=${options.tag}`,
      '--label',
      `org.opencontainers.image.revision=${revision}`,
      options.push ? '--push' : '--load',
      '.',
    ])
  }
}

/** The dispatcher bundle (apps/cron `bun run build` makes dist/lambda/index.mjs) as one zip per tag. */
export async function packageLambda(plan: Plan, options: ImageOptions): Promise<void> {
  const zipPath = join(repoRoot, 'apps/cron/dist', `${lambdaKeyPrefix}-${options.tag}.zip`)
  await plan.run(['bunx', 'turbo', 'run', 'build', '--filter=@percolate/cron', '--output-logs=errors-only'])
  plan.note(`zip ${lambdaBundleDir}/* -> ${displayPath(zipPath)}`)
  if (!plan.dryRun) {
    const bundleDir = join(repoRoot, lambdaBundleDir)
    if (!existsSync(join(bundleDir, 'index.mjs'))) {
      throw new OpsError(
        `${lambdaBundleDir}/index.mjs is missing after the build: see apps/cron's build script`,
      )
    }
    const files = readdirSync(bundleDir)
      .filter((name) => statSync(join(bundleDir, name)).isFile())
      .sort()
      .map((name) => ({ name, data: readFileSync(join(bundleDir, name)) }))
    const zip = zipFiles(files)
    writeFileSync(zipPath, zip)
    // The ACK Lambda controller updates a zip function's code only when code.sha256 changes (a new s3Key alone is
    // not enough): this is the value for each overlay's Function.
    plan.note(`code.sha256 for the Function resources: ${createHash('sha256').update(zip).digest('base64')}`)
  }
  const destination = `s3://${options.lambdaBucket ?? '<LAMBDA_BUCKET>'}/${lambdaKeyPrefix}/${options.tag}.zip`
  if (options.push) {
    plan.requireTool('aws')
    await plan.run(['aws', 's3', 'cp', displayPath(zipPath), destination, '--only-show-errors'])
  } else {
    plan.note(`PUSH=1 would push the images and upload the zip to ${destination}`)
  }
}

export async function buildArtifacts(env: Env): Promise<void> {
  const options = readImageOptions(env)
  const plan = createPlan(env)
  plan.note(`images ${options.registry}/{${images.map((image) => image.name).join(',')}}:${options.tag}`)
  if (options.push) {
    plan.note(
      `docker must be logged in to ${options.registry} (ECR: aws ecr get-login-password | docker login ...)`,
    )
  }
  await buildImages(plan, options)
  await packageLambda(plan, options)
  plan.finish()
}

if (import.meta.main) await runMain('images', buildArtifacts)
