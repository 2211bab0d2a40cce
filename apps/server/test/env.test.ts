import { describe, expect, it } from 'bun:test'
import { ConfigError, readEnv } from '../src/env.ts'

describe('readEnv', () => {
  it('fills every default from an empty environment', () => {
    expect(readEnv({})).toEqual({
      PERCOLATE_MODE: 'production',
      HOST: '0.0.0.0',
      PORT: 3000,
      PUBLIC_URL: 'http://localhost:5173',
      AWS_REGION: 'eu-central-1',
      DYNAMODB_TABLE: 'percolate',
      LOG_LEVEL: 'info',
      SESSION_SIGNING_KEY: '',
      OIDC_CLIENT_SECRETS: '{}',
      LOCAL_OIDC_PORT: 3001,
      METRICS_PORT: 9464,
      TRUST_PROXY: false,
    })
  })

  it('never repeats a secret it refuses', () => {
    const error = (() => {
      try {
        readEnv({
          SESSION_SIGNING_KEY: 'hunter2-not-a-key',
          OIDC_CLIENT_SECRETS: '{"acme/google": 42, "x": "s3cr3t"',
        })
      } catch (caught) {
        return caught as Error
      }
      throw new Error('expected a ConfigError')
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('SESSION_SIGNING_KEY: must be a PKCS#8 PEM private key')
    expect(error.message).toContain('OIDC_CLIENT_SECRETS: must be a JSON object')
    expect(error.message).not.toContain('hunter2')
    expect(error.message).not.toContain('s3cr3t')
  })

  it('names each wrong variable, what is allowed and what was given', () => {
    const error = (() => {
      try {
        readEnv({ PORT: 'eighty', PERCOLATE_MODE: 'dev', DYNAMODB_ENDPOINT: 'localhost:8000' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toContain('PERCOLATE_MODE: must be "local" or "production" (got "dev")')
    expect(message).toContain('PORT: must be a port number from 1 to 65535 (got "eighty")')
    expect(message).toContain(
      'DYNAMODB_ENDPOINT: must be a URL such as http://127.0.0.1:8000 (got "localhost:8000")',
    )
    expect(message).not.toContain('\n')
  })

  it('treats an empty endpoint as unset', () => {
    expect(readEnv({ DYNAMODB_ENDPOINT: '' }).DYNAMODB_ENDPOINT).toBeUndefined()
  })
})
