// The Lambda reads the link-signing key from Secrets Manager. Secrets Manager cannot run here, so a local server
// answers GetSecretValue as the service does (AWS JSON 1.1: X-Amz-Target, 400 with __type on errors), and the
// real SDK client talks to it.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { readSigningKey, resolveLambdaEnv } from '../src/lambda.ts'

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()
const secrets: Record<string, string> = {
  'percolate/acme/session-signing-key': pem,
  'percolate/acme/wrong': 'not a key',
}
const requests: { target: string | null; secretId: string }[] = []
let server: ReturnType<typeof Bun.serve>

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const body = (await request.json()) as { SecretId: string }
      requests.push({ target: request.headers.get('x-amz-target'), secretId: body.SecretId })
      const value = secrets[body.SecretId]
      if (value === undefined)
        return Response.json(
          {
            __type: 'ResourceNotFoundException',
            Message: "Secrets Manager can't find the specified secret.",
          },
          { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' } },
        )
      return Response.json(
        {
          ARN: `arn:aws:secretsmanager:eu-central-1:111111111111:secret:${body.SecretId}-AbCdEf`,
          Name: body.SecretId,
          SecretString: value,
          VersionId: 'v1',
        },
        { headers: { 'content-type': 'application/x-amz-json-1.1' } },
      )
    },
  })
})
afterAll(() => server.stop(true))

const client = () =>
  new SecretsManagerClient({
    endpoint: `http://127.0.0.1:${server.port}`,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  })

describe('the Lambda signing key', () => {
  it('reads the PEM from the named secret with GetSecretValue', async () => {
    expect(await readSigningKey(client(), 'percolate/acme/session-signing-key')).toBe(pem)
    expect(requests.at(-1)).toEqual({
      target: 'secretsmanager.GetSecretValue',
      secretId: 'percolate/acme/session-signing-key',
    })
  })

  it('fills SESSION_SIGNING_KEY in from the secret when only the secret is named', async () => {
    const env = await resolveLambdaEnv(
      {
        DYNAMODB_TABLE: 'percolate-acme',
        SESSION_SIGNING_KEY_SECRET_ID: 'percolate/acme/session-signing-key',
      },
      client,
    )
    expect(env.SESSION_SIGNING_KEY).toBe(pem)
    expect(env.DYNAMODB_TABLE).toBe('percolate-acme')
  })

  it('leaves a key given in the environment alone and asks nothing', async () => {
    const before = requests.length
    const env = await resolveLambdaEnv(
      { SESSION_SIGNING_KEY: pem, SESSION_SIGNING_KEY_SECRET_ID: 'x' },
      client,
    )
    expect(env.SESSION_SIGNING_KEY).toBe(pem)
    expect(requests.length).toBe(before)
  })

  it('names the secret, never its value, when it holds no private key', async () => {
    const error = await readSigningKey(client(), 'percolate/acme/wrong').catch((caught: Error) => caught)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain('percolate/acme/wrong')
    expect((error as Error).message).not.toContain('not a key')
  })

  it('fails with the service error when the secret does not exist', async () => {
    const error = await readSigningKey(client(), 'percolate/acme/missing').catch((caught: Error) => caught)
    expect((error as Error).name).toBe('ResourceNotFoundException')
  })
})
