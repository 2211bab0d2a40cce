// The table's settings as environment variables, shared by every process that opens it (server, cron, Lambda).
import { z } from 'zod'

/** An http(s) URL, or empty/absent for "not set". */
export const optionalUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be a URL such as http://127.0.0.1:8000' })
  .optional()
  .or(z.literal('').transform(() => undefined))

export const dynamoEnvSchema = z.object({
  AWS_REGION: z
    .string()
    .min(1, { error: 'must be an AWS region such as eu-central-1' })
    .default('eu-central-1'),
  DYNAMODB_TABLE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, {
      error: 'must be a DynamoDB table name: 3–255 letters, digits, "_", "-" or "."',
    })
    .default('percolate'),
  /** DynamoDB Local or another endpoint; leave empty in AWS. */
  DYNAMODB_ENDPOINT: optionalUrlSchema,
})
