// Self-fed rounds for the matching benchmark: each round's groups become the next round's history.
import { createGroups } from '@percolate/matching/create-groups'
import { PairHistory } from '@percolate/matching/pair-history'
import type { MatchParticipant } from '@percolate/matching/types'

export interface QualityResult {
  n: number
  k: number
  seed: number
  rounds: number
  bound: number
  firstRepeatRound: number | null
  repeatedPairs: number
  msPerRoundMean: number
  msPerRoundMax: number
  peakRssMB: number
}

/** floor((N−1)/(k−1)), and for uneven groups also floor(C(N,2) / pairs covered per round). */
export function repeatFreeBound(n: number, k: number): number {
  const byDegree = Math.floor((n - 1) / (k - 1))
  if (n % k === 0) return byDegree
  const groups = Math.floor(n / k)
  const larger = n % groups
  const pairsPerRound = (larger * ((k + 1) * k)) / 2 + ((groups - larger) * (k * (k - 1))) / 2
  return Math.min(byDegree, Math.floor((n * (n - 1)) / 2 / pairsPerRound))
}

export function runQuality(n: number, k: number, seed: number, maxRounds: number): QualityResult {
  const participants: MatchParticipant[] = Array.from({ length: n }, (_, i) => ({ id: `p${i}` }))
  const history = new PairHistory()
  let firstRepeatRound: number | null = null
  let repeatedPairs = 0
  const times: number[] = []
  let peakRss = process.memoryUsage().rss
  const bound = repeatFreeBound(n, k)
  let plannedRounds: string[][][] = []
  const rounds = Math.min(bound, maxRounds)
  for (let round = 1; round <= rounds; round++) {
    const start = performance.now()
    const result = createGroups({
      participants,
      history,
      week: round,
      size: k,
      seed: (seed * 7919 + round) >>> 0,
      plannedRounds,
    })
    plannedRounds = result.plannedRounds
    times.push(performance.now() - start)
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    for (const group of result.groups) {
      for (let x = 0; x < group.memberIds.length; x++) {
        for (let y = x + 1; y < group.memberIds.length; y++) {
          const a = group.memberIds[x]!
          const b = group.memberIds[y]!
          if (history.hasMet(a, b)) {
            repeatedPairs++
            firstRepeatRound ??= round
          }
        }
      }
    }
    history.addGroups(
      result.groups.map((group) => group.memberIds),
      round,
    )
  }
  return {
    n,
    k,
    seed,
    rounds,
    bound,
    firstRepeatRound,
    repeatedPairs,
    msPerRoundMean: Number((times.reduce((s, t) => s + t, 0) / times.length).toFixed(2)),
    msPerRoundMax: Number(Math.max(...times).toFixed(2)),
    peakRssMB: Math.round(peakRss / 1024 / 1024),
  }
}
