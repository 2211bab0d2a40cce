import { afterAll, describe, expect, it } from 'bun:test'
import { AppError } from '@percolate/domain/errors'
import {
  createDeployment,
  getDeployment,
  listDeploymentIds,
  updateDeploymentSettings,
} from '../src/deployments.ts'
import { createTestDatabase } from '../src/testing.ts'
import { settings } from './fixtures.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

describe('deployments', () => {
  it('creates a deployment and reads it back as it was written', async () => {
    const created = await createDeployment(db, 'acme', settings, new Date('2026-01-05T08:00:00Z'))
    expect(created.version).toBe(1)
    expect(await getDeployment(db, 'acme')).toEqual(created)
    expect(await getDeployment(db, 'nobody')).toBeNull()
  })

  it('refuses a second deployment with the same id', async () => {
    await createDeployment(db, 'twice', settings)
    const error = await createDeployment(db, 'twice', settings).catch((e) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain("'twice'")
  })

  it('gives the second of two admins saving the same version a conflict and keeps the first save', async () => {
    const created = await createDeployment(db, 'concurrent', settings)
    const first = updateDeploymentSettings(db, 'concurrent', { ...settings, meetingSize: 3 }, created.version)
    const saved = await first
    const second = await updateDeploymentSettings(
      db,
      'concurrent',
      { ...settings, meetingSize: 4 },
      created.version,
    ).catch((e) => e)
    expect(saved.version).toBe(2)
    expect(second).toBeInstanceOf(AppError)
    expect(second.code).toBe('CONFLICT')
    expect((await getDeployment(db, 'concurrent'))?.meetingSize).toBe(3)
  })

  it('lists every deployment id', async () => {
    await createDeployment(db, 'listed-a', settings)
    await createDeployment(db, 'listed-b', settings)
    const ids = await listDeploymentIds(db)
    expect(ids).toContain('listed-a')
    expect(ids).toContain('listed-b')
  })
})
