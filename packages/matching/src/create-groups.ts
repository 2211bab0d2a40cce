// Forms one round's groups. Pure: no I/O, no clock, no Math.random; the same input and seed give the same groups.
import { BLOCKED, buildCostModel, type CostModel, REPEAT } from './cost-model.ts'
import { designPlan } from './designs.ts'
import { planGroupSizes } from './group-sizes.ts'
import { Grouping } from './grouping.ts'
import { improvePreferences, repairConflicts } from './local-search.ts'
import { PairHistory } from './pair-history.ts'
import { LOOKAHEAD_DEGREE, planPairRound } from './pair-rounds.ts'
import { createRandom, type Random } from './random.ts'
import { describeGroup, type ReasonCache } from './reasons.ts'
import {
  MAX_HORIZON,
  type PlanBudget,
  type PlannedRound,
  planRounds,
  ROUND_EVALUATIONS,
  roundsLeft,
  SCHEDULE_LIMIT,
} from './schedule-search.ts'
import { roundScratch, temporary } from './scratch.ts'
import type { LeftOut, MatchGroup, MatchInput, MatchResult } from './types.ts'

/** Up to this many people, pairs may be planned as a matching of the "not met yet" graph (O(N²) to build). */
const PAIR_PLAN_LIMIT = 3_000
/** Up to this many people, a round that still holds a repeat is searched again from fresh starts. */
const RESTART_LIMIT = 400

function validate(input: MatchInput): void {
  const { size, seed, decayWeeks } = input
  if (!Number.isInteger(size) || size < 2 || size > 6) {
    throw new RangeError(`size: must be a whole number from 2 to 6, got ${size}`)
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError(`seed: must be a whole number from 0 to 4294967295, got ${seed}`)
  }
  if (decayWeeks !== undefined && !(decayWeeks > 0)) {
    throw new RangeError(`decayWeeks: must be a positive number of weeks, got ${decayWeeks}`)
  }
  if (input.history instanceof PairHistory && !Number.isFinite(input.week)) {
    throw new RangeError(`week: the round's week is required with a PairHistory, got ${input.week}`)
  }
}

/**
 * Whether everyone in `people` surely has more than `threshold` new partners left: a bound from the length of
 * each one's history alone, so early in a cycle nobody's partners are counted one by one.
 */
function surelyMoreNewPartners(model: CostModel, people: readonly number[], threshold: number): boolean {
  for (const p of people) {
    if (people.length - 1 - model.meetingCount(p) - model.blockedOf(p).length <= threshold) return false
  }
  return true
}

/** Fewest new partners anyone in `people` has left (people they neither met nor blocked). */
function fewestNewPartners(model: CostModel, people: readonly number[], present: Uint8Array): number {
  let fewest = Number.POSITIVE_INFINITY
  for (const p of people) {
    let taken = 0
    model.forEachPartner(p, (q) => {
      if (present[q]) taken++
    })
    const blocked = model.blockedOf(p)
    // (A pair who blocked each other appears twice in the list.)
    blocked.forEach((q, at) => {
      if (present[q] && blocked.indexOf(q) === at && !model.hasMet(p, q)) taken++
    })
    fewest = Math.min(fewest, people.length - 1 - taken)
  }
  return fewest
}

function chunk(people: readonly number[], sizes: readonly number[]): number[][] {
  const groups: number[][] = []
  let at = 0
  for (const size of sizes) {
    groups.push(people.slice(at, at + size))
    at += size
  }
  return groups
}

/**
 * Groups `people` (already shuffled) so that departments spread out: sorted by department (in the order they
 * first appear, which the shuffle made random) and dealt round the groups like cards, so a group's members are
 * a whole round of the deck apart and, wherever no department is larger than the number of groups, all differ.
 */
function deal(model: CostModel, people: readonly number[], sizes: readonly number[]): number[][] {
  // Each person's department rank (by first appearance; −1, none, ranks like one), then a stable counting sort.
  const rankOf = temporary.int32('deal.rank', people.length)
  let most = -1
  for (let at = 0; at < people.length; at++) {
    rankOf[at] = model.department[people[at]!]!
    most = Math.max(most, rankOf[at]!)
  }
  const rank = new Int32Array(most + 2).fill(-1)
  let departments = 0
  for (let at = 0; at < people.length; at++) {
    const d = rankOf[at]! + 1
    if (rank[d] === -1) rank[d] = departments++
    rankOf[at] = rank[d]!
  }
  if (departments <= 1) return chunk(people, sizes)
  const next = new Int32Array(departments + 1)
  for (let at = 0; at < people.length; at++) next[rankOf[at]! + 1]!++
  for (let r = 1; r <= departments; r++) next[r]! += next[r - 1]!
  const deck = temporary.int32('deal.deck', people.length)
  for (let at = 0; at < people.length; at++) deck[next[rankOf[at]!]!++] = people[at]!
  const groups: number[][] = sizes.map(() => [])
  let at = 0
  for (let slot = 0; at < deck.length; slot++) {
    for (let g = 0; g < sizes.length; g++) if (sizes[g]! > slot) groups[g]!.push(deck[at++]!)
  }
  return groups
}

function search(
  model: CostModel,
  people: number[],
  sizes: number[],
  random: Random,
  effort: number,
): Grouping {
  const maxSteps = Math.ceil(effort * Math.max(5_000, 20 * people.length))
  const dealt = deal(model, people, sizes)
  const initial = new Grouping(model, dealt, true)
  let best = repairConflicts(initial, random, maxSteps)
  const restarts = people.length <= RESTART_LIMIT ? Math.ceil(8 * effort) : 0
  for (let restart = 0; restart < restarts && best.conflicted.length > 0; restart++) {
    const next = repairConflicts(
      new Grouping(model, deal(model, random.shuffle(people), sizes), true),
      random,
      maxSteps,
    )
    if (next.total < best.total) best = next
  }
  return best
}

const PLAN_ATTEMPTS = 6

/**
 * Plans the rest of the cycle and commits its first round. A plan with repeats is shortened by its worst
 * round and searched again from what is left, so the committed round stays compatible with as many later
 * rounds as the search can find.
 */
function planAhead(
  model: CostModel,
  people: number[],
  sizes: number[],
  horizon: number,
  random: Random,
  effort: number,
  previous: number[][][],
  budget: PlanBudget,
): { state: Grouping; future: number[][][] } {
  const steps = Math.ceil(effort * 30_000)
  let start = previous
  let rounds: PlannedRound[] = []
  let h = horizon
  for (let attempt = 0; attempt < PLAN_ATTEMPTS && h >= 1 && (attempt === 0 || budget.left > 0); attempt++) {
    const plan = planRounds(model, people, sizes, h, random, steps, start, false, budget)
    rounds = plan.rounds
    if (plan.conflicts === 0) break
    start = [...rounds]
      .sort((a, b) => a.clashes - b.clashes)
      .map((round) => round.groups)
      .slice(0, h - 1)
    h = attempt === PLAN_ATTEMPTS - 2 ? 1 : h - 1
  }
  rounds.sort((a, b) => a.conflicts - b.conflicts || a.clashes - b.clashes)
  const [first, ...later] = rounds
  const state = new Grouping(model, first!.groups)
  if (first!.conflicts === 0) return { state, future: later.map((round) => round.groups) }
  // A plan whose every round holds a repeat is no better than a round formed on its own.
  return { state: repairConflicts(state, random, Math.ceil(effort * 5_000)), future: [] }
}

/**
 * Last resort when re-forming the round did not help: takes the people `blockedOut` names out of their groups;
 * whoever is left alone joins a group with room and no one they blocked, or sits out too.
 */
function separateBlocked(model: CostModel, groups: number[][], maxSize: number): number[] {
  const sittingOut = blockedOut(model, groups)
  const out = new Set(sittingOut)
  for (const group of groups)
    for (let i = group.length - 1; i >= 0; i--) if (out.has(group[i]!)) group.splice(i, 1)
  const blocksAnyone = (person: number, group: readonly number[]) =>
    group.some((x) => model.isBlocked(person, x))
  for (const group of groups) {
    if (group.length !== 1) continue
    const person = group.pop()!
    const home = groups.find((g) => g.length >= 2 && g.length < maxSize && !blocksAnyone(person, g))
    if (home) home.push(person)
    else sittingOut.push(person)
  }
  return sittingOut
}

interface RoundForm {
  state: Grouping
  future: number[][][]
}

function formRound(
  model: CostModel,
  people: number[],
  sizes: number[],
  size: number,
  random: Random,
  effort: number,
  previous: number[][][],
): RoundForm {
  const present = new Uint8Array(model.n)
  for (const p of people) present[p] = 1
  // Uneven pairs (one trio) up to SCHEDULE_LIMIT are planned ahead like groups, so the trio rotates well.
  const pairRound =
    size === 2 &&
    sizes.every((s) => s <= 3) &&
    people.length <= PAIR_PLAN_LIMIT &&
    (people.length % 2 === 0 || people.length > SCHEDULE_LIMIT)
  const fewLeft = Math.max(LOOKAHEAD_DEGREE, people.length / 8)
  if (
    pairRound &&
    !surelyMoreNewPartners(model, people, fewLeft) &&
    fewestNewPartners(model, people, present) <= fewLeft
  ) {
    const pairs = planPairRound(model, people, random)
    // Near the end of a pair cycle the matching keeps later rounds possible: it is not reshuffled for
    // preferences (planPairRound already picked the best of its candidates for them).
    if (pairs) return { state: new Grouping(model, pairs), future: [] }
  }
  const groupRound = !pairRound && people.length <= SCHEDULE_LIMIT && sizes.length > 1
  const left = groupRound ? roundsLeft(model, people, size, present) : 0
  if (groupRound && left > 0) {
    // A roster that has not met yet, of a size mathematics has a whole schedule for (affine planes, resolvable
    // designs): that schedule, relabeled at random, is the plan; later rounds follow it through `previous`.
    if (previous.length === 0) {
      const design = designPlan(model, people, sizes, random)
      if (design) {
        const [first, ...later] = design
        // Planned rounds are stored with the round: at most MAX_HORIZON of them (AG(5,3) alone has 121).
        return { state: new Grouping(model, first!), future: later.slice(0, MAX_HORIZON - 1) }
      }
    }
    // First look for a plan that honors every preference as if it were a rule; only where none is found do
    // preferences become tie-breakers, so they are never bought with a repeat.
    // (Skipped where no preference narrows anyone's choice: the plain plan below is then the same search.)
    // The strict plans may spend a third of the round's planning, the plan below the rest.
    const strictBudget: PlanBudget = { left: (effort * ROUND_EVALUATIONS) / 3 }
    const budget: PlanBudget = { left: (2 * effort * ROUND_EVALUATIONS) / 3 }
    const strictLeft = roundsLeft(model, people, size, present, true)
    if (strictLeft > 0 && strictLeft < left) {
      const longest = Math.min(strictLeft, previous.length > 0 ? previous.length : MAX_HORIZON)
      for (const horizon of new Set([longest, Math.ceil(longest / 2), 1])) {
        const strict = planRounds(
          model,
          people,
          sizes,
          horizon,
          random,
          Math.ceil(effort * 20_000),
          previous,
          true,
          strictBudget,
        )
        if (strict.conflicts === 0) {
          const [first, ...later] = strict.rounds
          return { state: new Grouping(model, first!.groups), future: later.map((round) => round.groups) }
        }
      }
    }
    // With a previous plan, follow it (re-searched only where it no longer fits); else plan the cycle. The plan
    // weighed preferences already.
    const horizon = Math.min(left, previous.length > 0 ? previous.length : MAX_HORIZON)
    return planAhead(model, people, sizes, horizon, random, effort, previous, budget)
  }
  let state = search(model, people, sizes, random, effort)
  if (pairRound && state.conflicted.length > 0) {
    const pairs = planPairRound(model, people, random)
    if (pairs) state = new Grouping(model, pairs)
  }
  improvePreferences(state, random, Math.ceil(effort * Math.min(5 * people.length, 1_500_000)))
  return { state, future: [] }
}

/** Whom to take out so that no group holds a blocked pair: in each such group, the most-blocked first. */
function blockedOut(model: CostModel, groups: readonly number[][]): number[] {
  const out: number[] = []
  for (const source of groups) {
    const group = [...source]
    // Blocked pairs inside the group first, then how many people they blocked or were blocked by overall.
    const blockedIn = (p: number) =>
      group.reduce((c, x) => c + (x !== p && model.isBlocked(p, x) ? 1 : 0), 0) * model.n +
      model.blockedOf(p).length
    for (;;) {
      const worst = group.reduce((a, b) => (blockedIn(b) > blockedIn(a) ? b : a), group[0]!)
      if (group.length === 0 || blockedIn(worst) < model.n) break
      group.splice(group.indexOf(worst), 1)
      out.push(worst)
    }
  }
  return out
}

export function createGroups(input: MatchInput): MatchResult {
  validate(input)
  const { participants, size } = input
  const n = participants.length
  const history =
    input.history instanceof PairHistory ? input.history : PairHistory.fromMeetings(input.history)
  const now = input.history instanceof PairHistory ? input.week! : 0
  const model = buildCostModel(participants, history, now, input.decayWeeks ?? 26, roundScratch)
  const random = createRandom(input.seed)
  const effort = input.effort ?? 1
  const policy = input.remainderPolicy ?? 'larger-groups'
  const previous = (input.plannedRounds ?? []).map((round) =>
    round.map((group) => group.map((id) => model.indexOf(id))),
  )

  const leftOut: LeftOut[] = []
  const everyone: number[] = []
  for (let i = 0; i < n; i++) everyone.push(i)
  let candidates = random.shuffle(everyone)
  let groups: number[][] = []
  // Per group, whether it may hold a repeat (its cost says so): only those are checked pair by pair below.
  let mayRepeat: boolean[] = []
  let future: number[][][] = []
  // Someone who cannot be placed without a blocked pair sits out, and the round is formed again without them.
  for (let pass = 0; ; pass++) {
    const plan = planGroupSizes(candidates.length, size, policy)
    for (const i of candidates.slice(0, plan.leftOut)) {
      leftOut.push({
        id: participants[i]!.id,
        reason:
          candidates.length < 2
            ? 'nobody else is taking part this round'
            : `${candidates.length} people take part and groups have ${size}; who sits out is drawn by lot`,
      })
    }
    const people = candidates.slice(plan.leftOut)
    const round = formRound(model, people, plan.sizes, size, random, effort, previous)
    // The round's state is not used again: its groups are taken as they are.
    groups = round.state.members
    mayRepeat = groups.map((_, g) => round.state.cost[g]! >= REPEAT / 2)
    future = round.future
    if (round.state.total < BLOCKED / 2) break
    if (pass === 2) {
      mayRepeat.fill(true)
      for (const person of separateBlocked(model, groups, size + 1)) {
        leftOut.push({ id: participants[person]!.id, reason: 'no group could be formed for them this round' })
      }
      break
    }
    const out = new Set(blockedOut(model, groups))
    for (const person of out) {
      leftOut.push({ id: participants[person]!.id, reason: 'no group could be formed for them this round' })
    }
    candidates = people.filter((p) => !out.has(p))
    future = []
  }
  const { ids } = model
  const matchGroups: MatchGroup[] = []
  const reasons: ReasonCache = new Map()
  let repeatedPairs = 0
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!
    if (group.length < 2) continue
    const described = describeGroup(model, group, mayRepeat[g]!, reasons)
    const memberIds: string[] = new Array(group.length)
    for (let x = 0; x < group.length; x++) memberIds[x] = ids[group[x]!]!
    matchGroups.push({ memberIds, reason: described.reason, repeatedPairs: described.repeatedPairs })
    repeatedPairs += described.repeatedPairs
  }
  return {
    groups: matchGroups,
    leftOut,
    repeatedPairs,
    plannedRounds: future.map((round) => round.map((group) => group.map((p) => ids[p]!))),
  }
}
