// Whole repeat-free schedules from mathematics, for sizes where one reaches the bound ⌊(N−1)/(k−1)⌋ (or comes
// close): the lines of an affine space AG(d, q), resolvable designs with a cyclic symmetry (Kirkman triple
// systems and their kin, found by a small search over difference orbits), and partial spreads of GF(2)^d.
// Relabeling a design keeps it repeat-free, so the seed only picks the labels. Where departments are of equal
// size and the geometry has cosets of that size, each department is laid on one coset: the rounds whose groups
// cut every coset at most once then mix departments completely (in AG(d, q), and for four departments in fours,
// as many rounds as any schedule could).
import type { CostModel } from './cost-model.ts'
import { createRandom, type Random } from './random.ts'

/** Rounds of groups of local indices 0..n−1. */
export type Schedule = number[][][]

/**
 * Up to this many people in groups of 3 and 4, cyclic structures are searched (an affine space needs no search).
 * Beyond it, and for larger groups, the searches measured failed or took seconds.
 */
const CYCLIC_LIMIT: Readonly<Record<number, number>> = { 3: 60, 4: 30 }
/** Search steps one structure may take, and all structures of one (n, k) together. */
const SEARCH_BUDGET = 4_000
const TOTAL_BUDGET = 24_000
/** Clashing people whose moves one search step weighs. */
const SAMPLED_POSITIONS = 6
/** Label swaps tried to move preferences and blocked pairs to the cheapest order of rounds. */
const ARRANGE_STEPS = 4_000

interface Field {
  readonly q: number
  readonly add: (x: number, y: number) => number
  readonly mul: (x: number, y: number) => number
}

/** GF(q) for a prime power q, elements 0..q−1 as base-p digit vectors of polynomials; null if q is none. */
export function createField(q: number): Field | null {
  if (!Number.isInteger(q) || q < 2) return null
  let p = 2
  while (q % p !== 0) p++
  let e = 0
  for (let rest = q; rest > 1; rest /= p) {
    if (rest % p !== 0) return null
    e++
  }
  const digits = (x: number) => Array.from({ length: e }, (_, i) => Math.floor(x / p ** i) % p)
  const value = (coefficients: readonly number[]) => coefficients.reduce((sum, c, i) => sum + c * p ** i, 0)
  const add = new Uint16Array(q * q)
  for (let x = 0; x < q; x++) {
    const dx = digits(x)
    for (let y = 0; y < q; y++) add[x * q + y] = value(digits(y).map((c, i) => (c + dx[i]!) % p))
  }
  // Multiplication modulo x^e + low(x): the first low for which no two nonzero elements multiply to zero.
  for (let low = 0; low < q; low++) {
    const reduce = digits(low).map((c) => (p - c) % p) // x^e ≡ −low(x)
    const mul = new Uint16Array(q * q)
    let field = true
    for (let x = 1; x < q && field; x++) {
      const dx = digits(x)
      for (let y = 1; y < q; y++) {
        const dy = digits(y)
        const product = new Array<number>(2 * e - 1).fill(0)
        for (let i = 0; i < e; i++)
          for (let j = 0; j < e; j++) product[i + j] = (product[i + j]! + dx[i]! * dy[j]!) % p
        for (let d = 2 * e - 2; d >= e; d--) {
          const c = product[d]!
          product[d] = 0
          for (let i = 0; i < e; i++) product[d - e + i] = (product[d - e + i]! + c * reduce[i]!) % p
        }
        const v = value(product.slice(0, e))
        if (v === 0) {
          field = false
          break
        }
        mul[x * q + y] = v
      }
    }
    if (field) return { q, add: (x, y) => add[x * q + y]!, mul: (x, y) => mul[x * q + y]! }
  }
  return null
}

/** e with base^e = x, or −1. */
function exponentOf(x: number, base: number): number {
  let e = 0
  for (let rest = x; rest > 1; rest /= base) {
    if (rest % base !== 0) return -1
    e++
  }
  return x >= 1 ? e : -1
}

/**
 * The lines of AG(d, q) for n = q^d, grouped by direction: each direction's lines split the points into groups
 * of q, and two points share exactly one line, so the (q^d − 1)/(q − 1) directions are repeat-free rounds.
 */
export function affineSchedule(n: number, k: number): Schedule | null {
  const field = createField(k)
  const d = exponentOf(n, k)
  if (!field || d < 1) return null
  const coordinates = (x: number) => Array.from({ length: d }, (_, i) => Math.floor(x / k ** i) % k)
  const pointOf = (v: readonly number[]) => v.reduce((sum, c, i) => sum + c * k ** i, 0)
  const rounds: Schedule = []
  for (let direction = 1; direction < n; direction++) {
    const v = coordinates(direction)
    // One direction per line through the origin: its first nonzero coordinate is 1.
    if (v.find((c) => c !== 0) !== 1) continue
    const seen = new Uint8Array(n)
    const round: number[][] = []
    for (let point = 0; point < n; point++) {
      if (seen[point]) continue
      const base = coordinates(point)
      const line: number[] = []
      for (let t = 0; t < k; t++) {
        const member = pointOf(base.map((c, i) => field.add(c, field.mul(t, v[i]!))))
        seen[member] = 1
        line.push(member)
      }
      round.push(line)
    }
    rounds.push(round)
  }
  return rounds
}

/**
 * A design with an abelian group G of order m as symmetry (Z_m, or Z_p^e where m = p^e): people (x, row) for x
 * in G plus `infinities` fixed points. Each base round, shifted by every x in G, gives m rounds; each of
 * `fixedRounds` more is the orbit of one block with a person in every row (then rows = k). Where everyone
 * leaves one person unmet (a packing), those pairs form a matching G keeps: pairs whose difference is G's one
 * involution, or, for G of odd order, the pairs (x, 2t) (x, 2t + 1); and the two fixed points.
 */
export interface CyclicStructure {
  /** Orders of the cyclic factors of G. */
  orders: number[]
  rows: number
  infinities: number
  baseRounds: number
  fixedRounds: number
}

/** Z_m, and Z_p^e when m = p^e with e ≥ 2: the groups a structure of order m is tried with. */
function groupsOfOrder(m: number): number[][] {
  let p = 2
  while (m % p !== 0) p++
  let e = 0
  for (let rest = m; rest % p === 0; rest /= p) e++
  return p ** e === m && e >= 2 ? [[m], Array.from({ length: e }, () => p)] : [[m]]
}

/** Involutions (x = −x, x ≠ 0) of the group with these cyclic factors. */
function involutions(orders: readonly number[]): number {
  return 2 ** orders.filter((order) => order % 2 === 0).length - 1
}

/** The pair orbits of a structure: how many, and whether row pairs (2t, 2t + 1) at difference 0 stay unmet. */
function orbitCounts({ orders, rows, infinities }: CyclicStructure, unmet: number) {
  const m = orders.reduce((product, order) => product * order, 1)
  const involution = involutions(orders)
  const pairedRows = unmet === 1 && involution === 0
  const valid =
    (unmet === 0 ? involution === 0 && infinities <= 1 : involution <= 1 && infinities !== 1) &&
    (!pairedRows || rows % 2 === 0)
  const pure = rows * ((m - 1 - involution) / 2)
  const mixed = ((rows * (rows - 1)) / 2) * m - (pairedRows ? rows / 2 : 0)
  return { valid, pairedRows, total: pure + mixed + infinities * rows }
}

/** The cyclic structures whose counts fit a schedule of ⌊(n−1)/(k−1)⌋ rounds, the likeliest quick first. */
export function cyclicStructures(n: number, k: number): CyclicStructure[] {
  if (n % k !== 0 || k < 2) return []
  const bound = Math.floor((n - 1) / (k - 1))
  const unmet = n - 1 - bound * (k - 1)
  // Packings of groups of 4 or more leaving a matching unmet were not found with these structures (32 in
  // fours tried as Z_10 × 3 + 2, Z_8 × 4 + 2 fixed rounds, Z_5 × 6 + 2): not searched, to save the time.
  if (unmet > 1 || (unmet === 1 && k > 3)) return []
  const structures: CyclicStructure[] = []
  for (let infinities = 0; infinities <= 2; infinities++) {
    for (let rows = 1; rows <= n - infinities; rows++) {
      if ((n - infinities) % rows !== 0) continue
      const m = (n - infinities) / rows
      for (let baseRounds = 1; m >= 2 && baseRounds * m <= bound; baseRounds++) {
        const fixedRounds = bound - baseRounds * m
        if (fixedRounds > 0 && (rows !== k || infinities !== 0)) continue
        for (const orders of groupsOfOrder(m)) {
          const structure = { orders, rows, infinities, baseRounds, fixedRounds }
          const { valid, total } = orbitCounts(structure, unmet)
          if (!valid || total !== ((baseRounds * (n / k) + fixedRounds) * k * (k - 1)) / 2) continue
          structures.push(structure)
        }
      }
    }
  }
  // A larger group leaves a smaller search; an elementary abelian one (a field's additive group) is often easiest.
  return structures.sort(
    (a, b) =>
      a.baseRounds - b.baseRounds || a.fixedRounds - b.fixedRounds || b.orders.length - a.orders.length,
  )
}

/** Searches one cyclic structure for a schedule; null when `budget` search steps did not find one. */
export function cyclicSchedule(
  n: number,
  k: number,
  structure: CyclicStructure,
  budget = SEARCH_BUDGET,
): Schedule | null {
  const { orders, rows, infinities, baseRounds } = structure
  const unmet = n - 1 - Math.floor((n - 1) / (k - 1)) * (k - 1)
  const { pairedRows, total } = orbitCounts(structure, unmet)
  const m = orders.reduce((product, order) => product * order, 1)
  // Group elements 0..m−1 in mixed radix; minus[b * m + a] = b − a.
  const digits = (x: number) =>
    orders.map((order, i) => Math.floor(x / orders.slice(0, i).reduce((p, o) => p * o, 1)) % order)
  const element = (ds: readonly number[]) => ds.reduceRight((value, d, i) => value * orders[i]! + d, 0)
  const minus = new Int32Array(m * m)
  for (let a = 0; a < m; a++) {
    const da = digits(a)
    for (let b = 0; b < m; b++)
      minus[b * m + a] = element(digits(b).map((d, i) => (d - da[i]! + orders[i]!) % orders[i]!))
  }
  const plus = (a: number, b: number) => minus[a * m + minus[b]!]!
  // A difference and its negative share a pair orbit, numbered once per {d, −d}; involutions get −1.
  const pureClass = new Int32Array(m).fill(-1)
  let classes = 0
  for (let d = 1; d < m; d++) {
    const negative = minus[d]!
    if (negative < d) pureClass[d] = pureClass[negative]!
    else if (negative > d) pureClass[d] = classes++
  }
  const pure = rows * classes
  const rowPair = (i: number, j: number) => (i * (2 * rows - i - 1)) / 2 + (j - i - 1)
  const rowOf = (point: number) => Math.floor(point / m)
  // orbit[a * n + b]: the pair orbit under G of {a, b}; −1 where they must never meet.
  const orbit = new Int32Array(n * n).fill(-1)
  const mixedIndex = new Int32Array((rows * (rows - 1) * m) / 2).fill(-1)
  let mixed = 0
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const i = rowOf(a)
      const j = rowOf(b)
      const d = j < rows ? minus[(b % m) * m + (a % m)]! : 0
      let o = -1
      if (j >= rows) o = i >= rows ? -1 : total - infinities * rows + (b - rows * m) * rows + i
      else if (i === j) o = pureClass[d] === -1 ? -1 : i * classes + pureClass[d]!
      else if (!(pairedRows && i % 2 === 0 && j === i + 1 && d === 0)) {
        const key = rowPair(i, j) * m + d
        if (mixedIndex[key] === -1) mixedIndex[key] = pure + mixed++
        o = mixedIndex[key]!
      }
      orbit[a * n + b] = o
      orbit[b * n + a] = o
    }
  }
  const found = searchQuotient(n, k, m, baseRounds, structure.fixedRounds, orbit, total, budget)
  if (!found) return null
  const shift = (point: number, t: number) =>
    point < rows * m ? rowOf(point) * m + plus(point % m, t) : point
  const rounds: Schedule = []
  for (const round of found.base) {
    for (let t = 0; t < m; t++) rounds.push(round.map((block) => block.map((point) => shift(point, t))))
  }
  for (const block of found.fixed)
    rounds.push(Array.from({ length: m }, (_, t) => block.map((p) => shift(p, t))))
  return rounds
}

/**
 * Tabu search for `baseRounds` base rounds (partitions of the n points into groups of k) and `fixedRounds`
 * transversal blocks (person 0 of row 0 and one person of each other row) that together hold every pair orbit
 * exactly once. Moves swap two people within a base round or move one person of a transversal within its row;
 * what a move touched stays put for a while after (the tabu), unless the move beats the best state so far.
 */
function searchQuotient(
  n: number,
  k: number,
  m: number,
  baseRounds: number,
  fixedRounds: number,
  orbit: Int32Array,
  orbitCount: number,
  budget: number,
): { base: number[][][]; fixed: number[][] } | null {
  const random = createRandom(n * 7 + k)
  const count = new Int32Array(orbitCount)
  const perRound = n / k
  const baseBlocks = baseRounds * perRound
  let cost = 0
  // A pair that must never meet costs 1; an orbit held c > 1 times costs c − 1. Each returns its cost change.
  const add = (a: number, b: number) => {
    const o = orbit[a * n + b]!
    if (o === -1) return 1
    return count[o]!++ > 0 ? 1 : 0
  }
  const remove = (a: number, b: number) => {
    const o = orbit[a * n + b]!
    if (o === -1) return 1
    return count[o]!-- > 1 ? 1 : 0
  }
  const clash = (a: number, b: number) => {
    const o = orbit[a * n + b]!
    return o === -1 || count[o]! > 1
  }
  // Blocks 0..baseBlocks−1 form the base rounds; the rest are transversals, member i in row i.
  const blocks: number[][] = []
  const blockOf = new Int32Array(baseRounds * n)
  for (let r = 0; r < baseRounds; r++) {
    const points = random.shuffle(Array.from({ length: n }, (_, x) => x))
    for (let b = 0; b < perRound; b++) {
      const block = points.slice(b * k, (b + 1) * k)
      for (const x of block) blockOf[r * n + x] = blocks.length
      blocks.push(block)
    }
  }
  for (let f = 0; f < fixedRounds; f++)
    blocks.push(Array.from({ length: k }, (_, i) => (i === 0 ? 0 : i * m + random.int(m))))
  for (const block of blocks)
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) cost += add(block[i]!, block[j]!)

  /** Replaces member `at` of block b by x and returns the cost change. */
  const replace = (b: number, at: number, x: number) => {
    const block = blocks[b]!
    let delta = 0
    for (let i = 0; i < k; i++) if (i !== at) delta -= remove(block[at]!, block[i]!)
    block[at] = x
    for (let i = 0; i < k; i++) if (i !== at) delta += add(x, block[i]!)
    return delta
  }
  /** Swaps x and y within base round r and returns the cost change. */
  const swap = (r: number, x: number, y: number) => {
    const bx = blockOf[r * n + x]!
    const by = blockOf[r * n + y]!
    const delta = replace(bx, blocks[bx]!.indexOf(x), y) + replace(by, blocks[by]!.indexOf(y), x)
    blockOf[r * n + x] = by
    blockOf[r * n + y] = bx
    return delta
  }

  // tabuUntil: per (base round, person), then per transversal position.
  const tabuUntil = new Int32Array(baseRounds * n + fixedRounds * k)
  let best = cost
  let sinceBest = 0
  const positions: number[] = []
  for (let step = 1; step <= budget && cost > 0; step++) {
    // Positions (block * k + member) of people in a clashing pair.
    positions.length = 0
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b]!
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          if (i !== j && clash(block[i]!, block[j]!)) {
            positions.push(b * k + i)
            break
          }
        }
      }
    }
    let bestDelta = Number.POSITIVE_INFINITY
    let ties = 0
    let move = -1
    let moveTo = -1
    const consider = (delta: number, tabu: boolean, position: number, to: number) => {
      if (tabu && cost + delta >= best) return
      if (delta < bestDelta) {
        bestDelta = delta
        ties = 1
        move = position
        moveTo = to
      } else if (delta === bestDelta && random.int(++ties) === 0) {
        move = position
        moveTo = to
      }
    }
    // A few of them: cheaper steps find the same designs in about as many steps.
    while (positions.length > SAMPLED_POSITIONS) {
      const at = random.int(positions.length)
      positions[at] = positions[positions.length - 1]!
      positions.pop()
    }
    for (const position of positions) {
      const b = Math.floor(position / k)
      const at = position % k
      const x = blocks[b]![at]!
      if (b < baseBlocks) {
        const r = Math.floor(b / perRound)
        for (let y = 0; y < n; y++) {
          if (blockOf[r * n + y] === b) continue
          const delta = swap(r, x, y)
          swap(r, x, y)
          consider(delta, tabuUntil[r * n + x]! > step || tabuUntil[r * n + y]! > step, position, y)
        }
      } else if (at > 0) {
        for (let v = 0; v < m; v++) {
          const y = at * m + v
          if (y === x) continue
          const delta = replace(b, at, y)
          replace(b, at, x)
          consider(delta, tabuUntil[baseRounds * n + position - baseBlocks * k]! > step, position, y)
        }
      }
    }
    if (move === -1) continue
    const b = Math.floor(move / k)
    const x = blocks[b]![move % k]!
    const until = step + 1 + random.int(3)
    if (b < baseBlocks) {
      const r = Math.floor(b / perRound)
      cost += swap(r, x, moveTo)
      tabuUntil[r * n + x] = until
      tabuUntil[r * n + moveTo] = until
    } else {
      cost += replace(b, move % k, moveTo)
      tabuUntil[baseRounds * n + move - baseBlocks * k] = until
    }
    if (cost < best) {
      best = cost
      sinceBest = 0
    } else if (++sinceBest > 2_000) {
      // Stuck: a few random swaps, and the best so far is forgotten.
      for (let kick = 0; kick < 3; kick++) {
        const r = random.int(baseRounds)
        const y = random.int(n)
        const z = random.int(n)
        if (blockOf[r * n + y] !== blockOf[r * n + z]) cost += swap(r, y, z)
      }
      best = cost
      sinceBest = 0
    }
  }
  if (cost > 0) return null
  const base = Array.from({ length: baseRounds }, (_, r) => blocks.slice(r * perRound, (r + 1) * perRound))
  return { base, fixed: blocks.slice(baseBlocks) }
}

/**
 * For n = 2^d with d odd and k = 4: the cosets of 2-dim subspaces of GF(2)^d that pairwise share only 0 (a
 * partial spread of lines of PG(d − 1, 2)), one round each. For odd d no spread covers all n − 1 directions;
 * the largest partial ones leave 4 out and give (n − 5)/3 rounds, one short of the bound. Null when n is not
 * such a power or `budget` search nodes did not find the spread.
 */
export function spreadSchedule(n: number, budget = SEARCH_BUDGET): Schedule | null {
  const lines = spreadLines(n, budget)
  return lines && cosetRounds(n, lines)
}

/** The lines of `spreadSchedule`, each as two of its three nonzero points (the third is their sum). */
function spreadLines(n: number, budget = SEARCH_BUDGET): number[][] | null {
  const d = Math.log2(n)
  if (!Number.isInteger(d) || d < 3 || d % 2 === 0) return null
  const target = (n - 5) / 3
  const covered = new Uint8Array(n)
  const lines: number[][] = []
  let holes = 4
  let nodes = 0
  // Each direction from 1 up is covered by a line through it, or left out as one of the 4 holes.
  const extend = (from: number): boolean => {
    if (lines.length === target) return true
    if (++nodes > budget) return false
    let p = from
    while (p < n && covered[p]) p++
    if (p === n) return false
    covered[p] = 1
    for (let b = p + 1; b < n; b++) {
      const c = p ^ b
      if (covered[b] || covered[c] || c < b) continue
      covered[b] = covered[c] = 1
      lines.push([p, b])
      if (extend(p + 1)) return true
      lines.pop()
      covered[b] = covered[c] = 0
    }
    if (holes > 0) {
      holes--
      if (extend(p + 1)) return true
      holes++
    }
    covered[p] = 0
    return false
  }
  return extend(1) ? lines : null
}

/** One round per line {0, a, b, a ⊕ b} of GF(2)^d: its cosets x ⊕ line, which split the n points into fours. */
function cosetRounds(n: number, lines: readonly number[][]): Schedule {
  return lines.map(([a, b]) => {
    const round: number[][] = []
    const seen = new Uint8Array(n)
    for (let x = 0; x < n; x++) {
      if (seen[x]) continue
      const group = [x, x ^ a!, x ^ b!, x ^ a! ^ b!]
      for (const y of group) seen[y] = 1
      round.push(group)
    }
    return round
  })
}

/**
 * A partial spread of GF(2)^d, d odd, of the largest size (n − 5)/3, built without search from a chain of
 * subspaces W_d ⊃ W_{d−2} ⊃ … ⊃ W_3, W_j = the points below 2^j (the low j coordinates). Write a point of W_j as
 * (x, y), x in GF(2)^2 (its top two bits) and y in GF(2^(j−2)) = W_{j−2}. For each a in GF(2^(j−2)),
 * U_a = {(x, a·x)} (x read as a field element) is a line meeting W_{j−2} only in 0, and U_a, U_b share a nonzero
 * point only if (a − b)·x = 0 for some x ≠ 0, which never happens: these 2^(j−2) lines cover W_j outside
 * W_{j−2} exactly once, and the lines of W_{j−2} follow, down to W_3, which has room for one: {2, 4, 6}. A subspace W of the
 * low s coordinates is avoided by every line of the levels j ≥ s + 2 (and by {2, 4, 6} when s ≤ 1): for
 * s = d − 2 (four departments of n/4) those are all 2^(d−2) = (n − 2^s)/3 rounds that can avoid it.
 */
function nestedSpreadLines(d: number): number[][] {
  if (d <= 3) return d === 3 ? [[2, 4]] : []
  const t = d - 2
  const field = createField(2 ** t)!
  const lines: number[][] = []
  // U_a is spanned by (1, a·1) and (2, a·2): 1 and 2 are the field elements 1 and X.
  for (let a = 0; a < 2 ** t; a++) lines.push([(1 << t) | field.mul(a, 1), (2 << t) | field.mul(a, 2)])
  return [...lines, ...nestedSpreadLines(t)]
}

const constructed = new Map<string, Schedule | null>()

/**
 * The longest repeat-free schedule constructed for n people in groups of k, in a fixed labeling: ⌊(n−1)/(k−1)⌋
 * rounds from an affine space or a cyclic structure, else a partial spread's rounds; null where k does not
 * divide n or nothing fits. Deterministic, so it is computed once per (n, k).
 */
export function constructSchedule(n: number, k: number): Schedule | null {
  const key = `${n},${k}`
  const known = constructed.get(key)
  if (known !== undefined) return known
  let schedule: Schedule | null = null
  if (n >= 2 * k && n % k === 0) {
    schedule = affineSchedule(n, k)
    const structures = schedule || n > (CYCLIC_LIMIT[k] ?? 0) ? [] : cyclicStructures(n, k)
    for (let left = TOTAL_BUDGET, at = 0; !schedule && left > 0 && at < structures.length; at++) {
      schedule = cyclicSchedule(n, k, structures[at]!, Math.min(SEARCH_BUDGET, left))
      left -= SEARCH_BUDGET
    }
    if (!schedule && k === 4) schedule = spreadSchedule(n)
  }
  constructed.set(key, schedule)
  return schedule
}

const aligned = new Map<string, Schedule | null>()

/**
 * A repeat-free schedule for n people in groups of k whose points j·m … (j + 1)·m − 1 are the j-th of n/m
 * departments, with as many rounds that mix departments completely as its geometry allows; null where no
 * construction fits m. The points are a vector space, the departments the cosets of the subspace W of its low
 * coordinates (|W| = m), and a round of cosets of a subspace U puts no two colleagues together exactly when
 * U ∩ W = {0}:
 * - AG(d, q) with k = q and m = q^s (`constructSchedule` tries it first, so it is the schedule held there): the
 *   lines in a direction outside W, (n − m)/(k − 1) rounds: everyone meets everyone from the other departments.
 * - fours for n = 2^d, d odd, m = 2^s: the same number of rounds as the searched spread, (n − 5)/3, from
 *   `nestedSpreadLines`; all (n − m)/3 possible mixing rounds for four departments.
 */
export function alignedSchedule(n: number, k: number, m: number): Schedule | null {
  if (m < 2 || n % m !== 0 || n / m < k) return null
  const key = `${n},${k},${m}`
  const known = aligned.get(key)
  if (known !== undefined) return known
  let schedule: Schedule | null = null
  const binary = exponentOf(n, 2)
  if (createField(k) && exponentOf(n, k) >= 2 && exponentOf(m, k) >= 1) schedule = constructSchedule(n, k)
  else if (k === 4 && binary >= 5 && binary % 2 === 1 && exponentOf(m, 2) >= 1)
    schedule = cosetRounds(n, nestedSpreadLines(binary))
  aligned.set(key, schedule)
  return schedule
}

/** A constructed schedule for n people in groups of k, people and rounds in an order drawn from `random`. */
export function designSchedule(n: number, k: number, random: Random): Schedule | null {
  const schedule = constructSchedule(n, k)
  if (!schedule) return null
  return relabel(schedule, random.shuffle(Array.from({ length: n }, (_, x) => x)), random)
}

/** Point x of `schedule` becomes person label[x]; the rounds come in an order drawn from `random`. */
function relabel(schedule: Schedule, label: readonly number[], random: Random): Schedule {
  return random.shuffle(schedule).map((round) => round.map((group) => group.map((x) => label[x]!)))
}

/**
 * `alignedSchedule` for people 0..n−1 whose departments (`departmentOf`, −1 for none) are all of one size:
 * departments onto the cosets in random order, each one's members onto its coset in random order, rounds in
 * random order; null (drawing nothing from `random`) where someone has no department or the sizes do not fit.
 */
export function departmentSchedule(
  n: number,
  k: number,
  departmentOf: (x: number) => number,
  random: Random,
): Schedule | null {
  const members = new Map<number, number[]>()
  for (let x = 0; x < n; x++) {
    const department = departmentOf(x)
    if (department < 0) return null
    const list = members.get(department)
    if (list) list.push(x)
    else members.set(department, [x])
  }
  const m = n / members.size
  if (![...members.values()].every((list) => list.length === m)) return null
  const schedule = alignedSchedule(n, k, m)
  if (!schedule) return null
  const label = random.shuffle([...members.values()]).flatMap((list) => random.shuffle(list))
  return relabel(schedule, label, random)
}

/**
 * Swaps labels so that the rounds, cheapest first, cost as little as possible, earlier rounds weighing more:
 * preferences land in the rounds that come soonest and blocked pairs in the last ones (or among the pairs that
 * never meet). Returns the rounds cheapest first with their costs.
 */
function arrangeRounds(
  schedule: Schedule,
  n: number,
  cost: (x: number, y: number) => number,
  random: Random,
): { rounds: Schedule; costs: number[] } {
  const h = schedule.length
  const label = Array.from({ length: n }, (_, x) => x)
  // groupAt[r * n + x]: the group of design point x in round r.
  const groupAt = new Int32Array(h * n)
  schedule.forEach((round, r) => {
    round.forEach((group, g) => {
      for (const x of group) groupAt[r * n + x] = g
    })
  })
  const groupCost = (group: readonly number[]) => {
    let sum = 0
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) sum += cost(label[group[i]!]!, label[group[j]!]!)
    return sum
  }
  const roundCost = schedule.map((round) => round.reduce((sum, group) => sum + groupCost(group), 0))
  const weigh = (costs: readonly number[]) =>
    [...costs].sort((a, b) => a - b).reduce((sum, c, r) => sum + c * (h - r), 0)
  let current = weigh(roundCost)
  for (let step = 0; step < ARRANGE_STEPS && current > 0; step++) {
    const x = random.int(n)
    const y = random.int(n)
    if (x === y) continue
    const before = schedule.map((round, r) => {
      const gx = groupAt[r * n + x]!
      const gy = groupAt[r * n + y]!
      return gx === gy ? 0 : groupCost(round[gx]!) + groupCost(round[gy]!)
    })
    ;[label[x], label[y]] = [label[y]!, label[x]!]
    const trial = schedule.map((round, r) => {
      const gx = groupAt[r * n + x]!
      const gy = groupAt[r * n + y]!
      return roundCost[r]! - before[r]! + (gx === gy ? 0 : groupCost(round[gx]!) + groupCost(round[gy]!))
    })
    const next = weigh(trial)
    if (next <= current) {
      current = next
      trial.forEach((c, r) => {
        roundCost[r] = c
      })
    } else {
      ;[label[x], label[y]] = [label[y]!, label[x]!]
    }
  }
  const order = Array.from({ length: h }, (_, r) => r).sort((a, b) => roundCost[a]! - roundCost[b]!)
  return {
    rounds: order.map((r) => schedule[r]!.map((group) => group.map((x) => label[x]!))),
    costs: order.map((r) => roundCost[r]!),
  }
}

/**
 * The rest of the cycle from a constructed schedule, for a round whose people have not met one another yet and
 * form groups of one size: rounds of person indices, the first to commit. Blocked pairs sit in the last rounds,
 * which are dropped from the plan. Null where no schedule applies.
 */
export function designPlan(
  model: Pick<CostModel, 'n' | 'forEachPartner' | 'isBlocked' | 'preferenceCost'> &
    Partial<Pick<CostModel, 'department'>>,
  people: readonly number[],
  sizes: readonly number[],
  random: Random,
): number[][][] | null {
  const n = people.length
  const k = sizes[0] ?? 0
  if (sizes.some((size) => size !== k) || n !== k * sizes.length) return null
  const present = new Uint8Array(model.n)
  for (const p of people) present[p] = 1
  let metBefore = false
  for (const p of people)
    model.forEachPartner(p, (q) => {
      if (present[q]) metBefore = true
    })
  if (metBefore) return null
  // Departments laid on cosets where they fit: the search below then starts with every cross-department round
  // free of colleagues, and keeps it so unless other preferences or blocks weigh more.
  const { department } = model
  const schedule =
    (department && departmentSchedule(n, k, (x) => department[people[x]!]!, random)) ??
    designSchedule(n, k, random)
  if (!schedule) return null
  const blockedCost = n * n * 100
  const cost = (x: number, y: number) =>
    model.isBlocked(people[x]!, people[y]!) ? blockedCost : model.preferenceCost(people[x]!, people[y]!)
  let any = false
  for (let x = 0; x < n && !any; x++) for (let y = x + 1; y < n && !any; y++) any = cost(x, y) > 0
  const { rounds, costs } = any
    ? arrangeRounds(schedule, n, cost, random)
    : { rounds: schedule, costs: schedule.map(() => 0) }
  const usable = costs.findIndex((c) => c >= blockedCost)
  const plan = usable === -1 ? rounds : rounds.slice(0, usable)
  if (plan.length === 0) return null
  return plan.map((round) => round.map((group) => group.map((x) => people[x]!)))
}
