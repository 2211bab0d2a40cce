import { afterAll, describe, expect, it } from 'bun:test'
import { AppError } from '@percolate/domain/errors'
import { encodeCursor } from '../src/cursor.ts'
import {
  createMember,
  deleteMember,
  findMemberByEmail,
  findMemberByIdentity,
  getMember,
  listMembers,
  updateMember,
} from '../src/members.ts'
import { deploymentPartition } from '../src/table.ts'
import { createTestDatabase } from '../src/testing.ts'
import { newMember } from './fixtures.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

describe('members', () => {
  it('creates a member and finds them by id, by email and by (issuer, subject)', async () => {
    const member = await createMember(db, newMember('find', { email: 'Ada@Acme.test' }))
    expect(member.email).toBe('ada@acme.test')
    expect(await getMember(db, 'find', member.id)).toEqual(member)
    expect((await findMemberByEmail(db, 'find', 'ADA@acme.test'))?.id).toBe(member.id)
    expect((await findMemberByIdentity(db, 'find', member.identities[0]!))?.id).toBe(member.id)
    expect(
      await findMemberByIdentity(db, 'find', { issuer: member.identities[0]!.issuer, subject: 'other' }),
    ).toBeNull()
  })

  it('never finds a member through another deployment', async () => {
    const member = await createMember(db, newMember('tenant-a'))
    expect(await getMember(db, 'tenant-b', member.id)).toBeNull()
    expect(await findMemberByEmail(db, 'tenant-b', member.email)).toBeNull()
    expect(await findMemberByIdentity(db, 'tenant-b', member.identities[0]!)).toBeNull()
  })

  it('refuses a second member with the same email, naming the field, and writes nothing of it', async () => {
    await createMember(db, newMember('unique', { email: 'sam@acme.test' }))
    const duplicate = newMember('unique', { email: 'sam@acme.test' })
    const error = await createMember(db, duplicate).catch((e) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toStartWith('email: sam@acme.test')
    expect(await getMember(db, 'unique', duplicate.id)).toBeNull()
    expect(await findMemberByIdentity(db, 'unique', duplicate.identities[0]!)).toBeNull()
  })

  it('refuses a second member with the same sign-in identity', async () => {
    const identity = { issuer: 'https://accounts.google.com', subject: '1234567890' }
    await createMember(db, newMember('identity', { identities: [identity] }))
    const error = await createMember(db, newMember('identity', { identities: [identity] })).catch((e) => e)
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toStartWith('identities:')
  })

  it('gives a concurrent update a conflict instead of losing either change', async () => {
    const member = await createMember(db, newMember('occ'))
    const updated = await updateMember(db, member, { bio: 'first' })
    const error = await updateMember(db, member, { bio: 'second' }).catch((e) => e)
    expect(updated.version).toBe(2)
    expect(error.code).toBe('CONFLICT')
    expect((await getMember(db, 'occ', member.id))?.bio).toBe('first')
  })

  it('moves the email claim when the email changes', async () => {
    const member = await createMember(db, newMember('move', { email: 'old@acme.test' }))
    await updateMember(db, member, { email: 'new@acme.test' })
    expect(await findMemberByEmail(db, 'move', 'old@acme.test')).toBeNull()
    expect((await findMemberByEmail(db, 'move', 'new@acme.test'))?.id).toBe(member.id)
    const other = await createMember(db, newMember('move', { email: 'old@acme.test' }))
    expect(other.email).toBe('old@acme.test')
  })

  it('pages through all members exactly once', async () => {
    const created = []
    for (let i = 0; i < 7; i++) created.push(await createMember(db, newMember('paged')))
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await listMembers(db, 'paged', { limit: 3, cursor })
      seen.push(...page.members.map((m) => m.id))
      cursor = page.nextCursor
      pages += 1
    } while (cursor)
    expect(seen.sort()).toEqual(created.map((m) => m.id).sort())
    expect(pages).toBeGreaterThanOrEqual(3)
  })

  it('lists members by participation, ordered by name', async () => {
    await createMember(db, newMember('status', { name: 'Zoe' }))
    await createMember(db, newMember('status', { name: 'amir' }))
    await createMember(db, newMember('status', { name: 'Paula', participation: { status: 'paused' } }))
    const active = await listMembers(db, 'status', { status: 'active' })
    expect(active.members.map((m) => m.name)).toEqual(['amir', 'Zoe'])
    const paused = await listMembers(db, 'status', { status: 'paused' })
    expect(paused.members.map((m) => m.name)).toEqual(['Paula'])
  })

  it("refuses a cursor that points into another deployment's partition", async () => {
    const forged = encodeCursor({ pk: deploymentPartition('someone-else'), sk: 'MEMBER#x' })
    const error = await listMembers(db, 'paged', { cursor: forged }).catch((e) => e)
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toStartWith('cursor:')
    const garbage = await listMembers(db, 'paged', { cursor: '%%%not-base64' }).catch((e) => e)
    expect(garbage.code).toBe('INVALID_INPUT')
  })
})

describe('deleting a member', () => {
  it('removes the member and frees their email and identity, all at once', async () => {
    const member = await createMember(db, newMember('delete', { email: 'gone@acme.test' }))
    await deleteMember(db, member)
    expect(await getMember(db, 'delete', member.id)).toBeNull()
    expect(await findMemberByEmail(db, 'delete', 'gone@acme.test')).toBeNull()
    expect(await findMemberByIdentity(db, 'delete', member.identities[0]!)).toBeNull()
    // The email can be used again.
    await createMember(db, newMember('delete', { email: 'gone@acme.test' }))
  })

  it('refuses to delete a member changed since it was read, and deletes nothing', async () => {
    const member = await createMember(db, newMember('delete2'))
    await updateMember(db, member, { bio: 'changed' })
    await expect(deleteMember(db, member)).rejects.toThrow('was changed since it was loaded')
    expect(await getMember(db, 'delete2', member.id)).not.toBeNull()
    expect(await findMemberByEmail(db, 'delete2', member.email)).not.toBeNull()
  })
})
