// What the matching engine takes and gives. Plain data: the caller (a round in apps/cron, a preview in the
// server) loads it from the database and computes ages and working windows for the round's date.

import type { PairHistory } from './pair-history.ts'

export type RemainderPolicy = 'larger-groups' | 'smaller-groups' | 'leave-out'

export interface MatchParticipant {
  id: string
  department?: string
  location?: string
  /**
   * Working hours on the round's day as minutes after 00:00 UTC, [start, end). `end` may exceed 1440 when the
   * window crosses midnight UTC. See `toUtcWorkingWindow`.
   */
  workingWindowUtc?: { start: number; end: number }
  /** Prefers people from other departments (default true). */
  preferOtherDepartments?: boolean
  /** "same": prefers people at the same location; "remote-ok": anywhere (default). */
  locationPreference?: 'same' | 'remote-ok'
  /** Wants at least this many shared working hours with each member of the group (default 0). */
  minOverlapHours?: number
  /** People this participant must never be grouped with. Either side blocking is enough. */
  blockedIds?: readonly string[]
}

export interface PastMeeting {
  a: string
  b: string
  /** Weeks between that round and this one (≥ 0): older meetings weigh less. */
  ageWeeks: number
  /** false: they reported that they did not meet, so the pair counts as not having met. */
  met?: boolean | null
}

export interface MatchInput {
  participants: readonly MatchParticipant[]
  /**
   * Who met whom: a list of past meetings by age, or a `PairHistory` the caller keeps across rounds (then `week`
   * gives this round's time on the history's scale). Large deployments should keep a `PairHistory`: a list is
   * rebuilt into one on every call.
   */
  history: PairHistory | Iterable<PastMeeting>
  /** This round's time on the `PairHistory`'s week scale; required with one, ignored with a list. */
  week?: number
  /** The configured meeting size k, 2–6. */
  size: number
  remainderPolicy?: RemainderPolicy
  /** Half-life, in weeks, of a past meeting's weight (default 26). */
  decayWeeks?: number
  /** 0 … 2^32 − 1: the same input and seed give the same groups. */
  seed: number
  /**
   * The rounds planned after the previous one (its result's `plannedRounds`): the search starts from them, so a
   * stable roster follows its plan to the end of the cycle.
   */
  plannedRounds?: readonly (readonly (readonly string[])[])[]
  /** Search effort multiplier (default 1). Benchmarks and previews may lower or raise it. */
  effort?: number
}

export interface MatchGroup {
  memberIds: string[]
  /** Short human reason: "first meeting; different departments; 3 h of shared working hours". */
  reason: string
  /** Pairs in this group who met before (0 unless no repeat-free round could be found). */
  repeatedPairs: number
}

export interface LeftOut {
  id: string
  reason: string
}

export interface MatchResult {
  groups: MatchGroup[]
  leftOut: LeftOut[]
  /** Pairs grouped again across the whole round. */
  repeatedPairs: number
  /** The later rounds of the plan this round came from: store them and pass them in next time. */
  plannedRounds: string[][][]
}
