// `make bench-matching`: quality, scale, randomness and preference figures of the matching engine, one JSON
// line per instance and seed. Each job runs in its own process so peak RSS is its own.
//   bun bench/matching.ts [--only quality|scale|random|preference] [--instances 30,3+32,4] [--seeds N] [--quick]
//     [--rounds N]   (scale: rounds per instance, default 52; --instances 100000,4 picks scale instances too,
//                    when it names any)
//     [--repeats N]  (scale: then the same rounds N more times on a fresh history each, for `bestOfRepeats`)
import { createGroups } from '@percolate/matching/create-groups'
import { PairHistory } from '@percolate/matching/pair-history'
import type { MatchParticipant, PastMeeting } from '@percolate/matching/types'
import { repeatFreeBound, runQuality } from './matching-sim.ts'

type Job =
  | { kind: 'quality'; n: number; k: number; seed: number; maxRounds: number }
  | { kind: 'scale'; n: number; k: number; rounds: number; repeats: number }
  | { kind: 'random' }
  | { kind: 'preference'; seed: number }

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)

function groupPairs(groups: { memberIds: string[] }[]): [string, string][] {
  const pairs: [string, string][] = []
  for (const { memberIds } of groups) {
    for (let x = 0; x < memberIds.length; x++) {
      for (let y = x + 1; y < memberIds.length; y++) pairs.push([memberIds[x]!, memberIds[y]!])
    }
  }
  return pairs
}

/** Warm-up rounds run on at most this many of the participants: the same code paths as any larger roster. */
const WARMUP_PEOPLE = 10_000

/**
 * Before the measured rounds: one cold round at full size, reported as `coldFirstRoundMs` (what a cron run, one
 * round per process, pays), then as many rounds as will be measured (other seeds, a history of their own) on at
 * most WARMUP_PEOPLE of the participants. A fresh process runs its first rounds while JavaScriptCore is still
 * compiling the engine (at 1,000 people the first round takes tens of ms, the tenth about 2, the sixtieth about
 * 1): that is not the per-round cost of a deployment's history. The smaller roster keeps the warm-up's own
 * history (10% of it at 100,000 people) out of the peak RSS.
 */
function warmUp(participants: MatchParticipant[], k: number, rounds: number): number {
  const start = performance.now()
  createGroups({ participants, history: new PairHistory(), week: 0, size: k, seed: 1_000_000 })
  const cold = performance.now() - start
  const roster = participants.slice(0, WARMUP_PEOPLE)
  const history = new PairHistory()
  for (let round = 1; round <= rounds; round++) {
    const result = createGroups({
      participants: roster,
      history,
      week: round,
      size: k,
      seed: 1_000_000 + round,
    })
    history.addGroups(
      result.groups.map((group) => group.memberIds),
      round,
    )
  }
  return cold
}

function runScale(n: number, k: number, rounds: number, repeats: number) {
  const zones = [480, 660, 840] // three time zones' 09:00 in UTC minutes
  const blockedOf = (i: number) => (i * 7919 + 13) % n
  const participants: MatchParticipant[] = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    department: `d${i % 10}`,
    preferOtherDepartments: true,
    workingWindowUtc: { start: zones[i % 3]!, end: zones[i % 3]! + 480 },
    minOverlapHours: 1,
    // About one blocked pair per person.
    blockedIds: [`p${blockedOf(i)}`],
  }))
  // The bench's own checks read indices from the ids (no lookup table of its own in the peak).
  const indexOf = (id: string) => Number(id.slice(1))
  const coldFirstRoundMs = warmUp(participants, k, rounds)
  // The caller's compact history, kept across rounds (as apps/cron keeps it per run): weeks are round numbers.
  const history = new PairHistory()
  const times: number[] = []
  const cpuTimes: number[] = []
  let repeatedPairs = 0
  let blockedViolations = 0
  Bun.gc(true)
  const setupMB = Math.round(process.memoryUsage().rss / 1024 / 1024)
  for (let round = 1; round <= rounds; round++) {
    const cpu = process.cpuUsage()
    const start = performance.now()
    const result = createGroups({ participants, history, week: round, size: k, seed: round })
    times.push(performance.now() - start)
    const used = process.cpuUsage(cpu)
    cpuTimes.push((used.user + used.system) / 1000)
    for (const { memberIds } of result.groups) {
      for (let x = 0; x < memberIds.length; x++) {
        for (let y = x + 1; y < memberIds.length; y++) {
          if (history.hasMet(memberIds[x]!, memberIds[y]!)) repeatedPairs++
          const a = indexOf(memberIds[x]!)
          const b = indexOf(memberIds[y]!)
          if (blockedOf(a) === b || blockedOf(b) === a) blockedViolations++
        }
      }
    }
    history.addGroups(
      result.groups.map((group) => group.memberIds),
      round,
    )
  }
  // What stays after a full collection: the participants and the caller's history, without round garbage.
  Bun.gc(true)
  const retainedMB = Math.round(process.memoryUsage().rss / 1024 / 1024)
  const sorted = [...times].sort((a, b) => a - b)
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024)
  return {
    kind: 'scale',
    n,
    k,
    rounds,
    msPerRoundMean: Number((times.reduce((s, t) => s + t, 0) / times.length).toFixed(1)),
    msPerRoundP95: Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!.toFixed(1)),
    coldFirstRoundMs: Number(coldFirstRoundMs.toFixed(1)),
    // CPU time of the process per round (all its threads, the collector's included): what the round costs
    // when other work shares the machine's cores.
    cpuMsPerRoundMean: Number((cpuTimes.reduce((s, t) => s + t, 0) / cpuTimes.length).toFixed(1)),
    // The process's high-water mark (getrusage), setup included: nothing between two samples is missed.
    peakRssMB,
    setupRssMB: setupMB,
    rssAfterGcMB: retainedMB,
    historyMeetings: history.meetings,
    repeatedPairs,
    blockedViolations,
    ...(repeats > 0 ? { bestOfRepeats: bestOfRepeats(participants, k, rounds, repeats) } : {}),
  }
}

/**
 * The same rounds (same seeds, same self-fed history) `repeats` more times, each on a fresh history, and each
 * round's fastest time: an estimate of the round's own cost without other work on the machine, collections and
 * late JIT tiers, which a single run on a shared machine mixes in. (After the figures above: peak RSS is not
 * affected.)
 */
function bestOfRepeats(participants: MatchParticipant[], k: number, rounds: number, repeats: number) {
  const best = new Array<number>(rounds).fill(Number.POSITIVE_INFINITY)
  for (let run = 0; run < repeats; run++) {
    const history = new PairHistory()
    for (let round = 1; round <= rounds; round++) {
      const start = performance.now()
      const result = createGroups({ participants, history, week: round, size: k, seed: round })
      best[round - 1] = Math.min(best[round - 1]!, performance.now() - start)
      history.addGroups(
        result.groups.map((group) => group.memberIds),
        round,
      )
    }
  }
  const sorted = [...best].sort((a, b) => a - b)
  return {
    runs: repeats,
    msPerRoundMean: Number((best.reduce((s, t) => s + t, 0) / rounds).toFixed(1)),
    msPerRoundP95: Number(sorted[Math.min(rounds - 1, Math.floor(rounds * 0.95))]!.toFixed(1)),
  }
}

function runRandom() {
  // 1. Shared pairs of two seeds from the same history, against the uniform expectation.
  const n = 100
  const participants = Array.from({ length: n }, (_, i) => ({ id: `p${i}` }))
  const history: PastMeeting[] = []
  for (let round = 1; round <= 5; round++) {
    const result = createGroups({ participants, history, size: 2, seed: 900 + round })
    for (const [a, b] of groupPairs(result.groups)) history.push({ a, b, ageWeeks: 6 - round })
  }
  let shared = 0
  const trials = 20
  for (let t = 0; t < trials; t++) {
    const a = new Set(
      groupPairs(createGroups({ participants, history, size: 2, seed: 10_000 + 2 * t }).groups).map(
        ([x, y]) => pairKey(x, y),
      ),
    )
    const b = groupPairs(createGroups({ participants, history, size: 2, seed: 10_001 + 2 * t }).groups)
    shared += b.filter(([x, y]) => a.has(pairKey(x, y))).length / b.length
  }
  // Each person has n − 1 − 5 partners left: a uniform pairing shares a given pair with probability 1/94.
  const uniform = 1 / (n - 1 - 5)
  const sharedPairFraction = shared / trials
  // 2. Round-1 partner of p0 at N = 20 over 1,000 seeds: chi-square against uniform over 19 partners.
  const twenty = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}` }))
  const counts = new Map<string, number>()
  const seeds = 1000
  for (let seed = 0; seed < seeds; seed++) {
    const group = createGroups({ participants: twenty, history: [], size: 2, seed }).groups.find((g) =>
      g.memberIds.includes('p0'),
    )!
    const partner = group.memberIds.find((id) => id !== 'p0')!
    counts.set(partner, (counts.get(partner) ?? 0) + 1)
  }
  const expected = seeds / 19
  let chiSquare = 0
  for (let i = 1; i < 20; i++) chiSquare += ((counts.get(`p${i}`) ?? 0) - expected) ** 2 / expected
  return {
    kind: 'random',
    sharedPairFraction: Number(sharedPairFraction.toFixed(4)),
    uniformExpectation: Number(uniform.toFixed(4)),
    ratio: Number((sharedPairFraction / uniform).toFixed(2)),
    chiSquare: Number(chiSquare.toFixed(2)),
    degreesOfFreedom: 18,
    // Upper-tail p > 0.01 for 18 degrees of freedom means chi-square < 34.81.
    pAbove001: chiSquare < 34.81,
  }
}

function runPreference(seed: number) {
  const participants = Array.from({ length: 32 }, (_, i) => ({
    id: `p${i}`,
    department: `d${Math.floor(i / 8)}`,
  }))
  const history: (PastMeeting & { round: number })[] = []
  const seen = new Set<string>()
  let plannedRounds: string[][][] = []
  let goodRounds = 0
  for (let round = 1; round <= 10; round++) {
    for (const meeting of history) meeting.ageWeeks = round - meeting.round
    const result = createGroups({ participants, history, size: 4, seed: seed * 1000 + round, plannedRounds })
    plannedRounds = result.plannedRounds
    const pairs = groupPairs(result.groups)
    const repeat = pairs.some(([a, b]) => seen.has(pairKey(a, b)))
    const crossDepartment = result.groups.every(
      (g) =>
        new Set(g.memberIds.map((id) => participants[Number(id.slice(1))]!.department)).size ===
        g.memberIds.length,
    )
    if (repeat || !crossDepartment) break
    goodRounds++
    for (const [a, b] of pairs) {
      seen.add(pairKey(a, b))
      history.push({ a, b, ageWeeks: 0, round })
    }
  }
  return {
    kind: 'preference',
    n: 32,
    k: 4,
    departments: 4,
    seed,
    roundsNoRepeatAllCrossDepartment: goodRounds,
  }
}

function runJob(job: Job): unknown {
  switch (job.kind) {
    case 'quality':
      return runQuality(job.n, job.k, job.seed, job.maxRounds)
    case 'scale':
      return runScale(job.n, job.k, job.rounds, job.repeats)
    case 'random':
      return runRandom()
    case 'preference':
      return runPreference(job.seed)
  }
}

function plan(
  only: string | undefined,
  seeds: number,
  quick: boolean,
  instances: string | undefined,
  scaleRounds: number | undefined,
  scaleRepeats = 0,
): Job[] {
  const jobs: Job[] = []
  const allQuality: [number, number][] = [
    [10, 2],
    [20, 2],
    [50, 2],
    [100, 2],
    [200, 2],
    [1000, 2],
    [15, 3],
    [21, 3],
    [30, 3],
    [16, 4],
    [28, 4],
    [32, 4],
    [99, 3],
    [1000, 4],
    [11, 2],
    [37, 2],
    [31, 4],
  ]
  const picked = instances?.split('+')
  const quality = picked ? allQuality.filter(([n, k]) => picked.includes(`${n},${k}`)) : allQuality
  if (!only || only === 'quality') {
    for (const [n, k] of quality) {
      // Cap 200 rounds for N ≥ 1000, except the dense pair case, which runs its full 999.
      const maxRounds = n >= 1000 && !(n === 1000 && k === 2) ? 200 : repeatFreeBound(n, k)
      const instanceSeeds = n >= 1000 && quick ? 1 : seeds
      for (let seed = 1; seed <= instanceSeeds; seed++)
        jobs.push({ kind: 'quality', n, k, seed, maxRounds: quick ? Math.min(maxRounds, 30) : maxRounds })
    }
  }
  if (!only || only === 'scale') {
    const scale = (quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]).flatMap((n) =>
      [2, 3, 4].map((k): [number, number] => [n, k]),
    )
    // --instances picks scale instances too when it names any (else it only picks quality ones).
    const pickedScale = scale.filter(([n, k]) => picked?.includes(`${n},${k}`))
    for (const [n, k] of pickedScale.length > 0 ? pickedScale : scale)
      jobs.push({ kind: 'scale', n, k, rounds: scaleRounds ?? (quick ? 5 : 52), repeats: scaleRepeats })
  }
  if (!only || only === 'random') jobs.push({ kind: 'random' })
  if (!only || only === 'preference')
    for (let seed = 1; seed <= seeds; seed++) jobs.push({ kind: 'preference', seed })
  return jobs
}

async function main() {
  const args = process.argv.slice(2)
  if (args[0] === '--worker') {
    console.log(JSON.stringify(runJob(JSON.parse(args[1]!) as Job)))
    return
  }
  const option = (name: string) => {
    const at = args.indexOf(name)
    return at === -1 ? undefined : args[at + 1]
  }
  const jobs = plan(
    option('--only'),
    Number(option('--seeds') ?? 10),
    args.includes('--quick'),
    option('--instances'),
    option('--rounds') === undefined ? undefined : Number(option('--rounds')),
    Number(option('--repeats') ?? 0),
  )
  for (const job of jobs) {
    const child = Bun.spawn([process.execPath, import.meta.path, '--worker', JSON.stringify(job)], {
      stdout: 'pipe',
      stderr: 'inherit',
    })
    process.stdout.write(await new Response(child.stdout).text())
    if ((await child.exited) !== 0)
      console.log(JSON.stringify({ ...job, error: 'the job failed; see stderr' }))
  }
}

main()
