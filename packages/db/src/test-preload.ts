// bunfig.toml `preload`: one DynamoDB Local for this package's whole test run.
import { afterAll } from 'bun:test'
import { provideTestDynamo } from './testing.ts'

const dynamo = await provideTestDynamo()
afterAll(async () => {
  await dynamo.stop()
})
