import { describe, expect, it } from 'bun:test'
import { channelsEnvSchema, createChannels } from '../src/channels-config.ts'

describe('channelsEnvSchema', () => {
  it('takes the SES configuration set a deployment sends with', () => {
    const env = channelsEnvSchema.parse({
      SES_FROM: 'Percolate <p@example.com>',
      SES_CONFIGURATION_SET: 'percolate-acme',
    })
    expect(env.SES_CONFIGURATION_SET).toBe('percolate-acme')
    expect(createChannels(env, 'eu-central-1').email).toBeDefined()
  })

  it('treats an empty configuration set as none', () => {
    expect(channelsEnvSchema.parse({ SES_CONFIGURATION_SET: '' }).SES_CONFIGURATION_SET).toBeUndefined()
  })

  it('names the variable and what is allowed when the configuration set is not a valid name', () => {
    const result = channelsEnvSchema.safeParse({ SES_CONFIGURATION_SET: 'percolate acme!' })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['SES_CONFIGURATION_SET'])
    expect(result.error?.issues.map((issue) => issue.message).join(' ')).toContain('configuration set name')
  })
})
