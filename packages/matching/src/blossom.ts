// Maximum-cardinality matching in a general graph: Edmonds' blossom algorithm (augmenting paths with blossom
// contraction), O(V·E) in practice on the sparse graphs of late rounds. The npm ports we found solve the
// weighted problem in O(V³) and are unmaintained; this one is small and tested against brute force.

/** `adjacency[v]` lists v's neighbours. Returns mate[v] (−1 when unmatched). Deterministic for given lists. */
export function maximumMatching(adjacency: readonly (readonly number[])[]): Int32Array {
  const n = adjacency.length
  const mate = new Int32Array(n).fill(-1)
  // A greedy start leaves few augmentations to find.
  for (let v = 0; v < n; v++) {
    if (mate[v] !== -1) continue
    for (const u of adjacency[v]!) {
      if (mate[u] === -1 && u !== v) {
        mate[v] = u
        mate[u] = v
        break
      }
    }
  }
  const parent = new Int32Array(n)
  const base = new Int32Array(n)
  const used = new Uint8Array(n)
  const inBlossom = new Uint8Array(n)
  const onPath = new Uint8Array(n)
  const queue = new Int32Array(n)

  const lowestCommonAncestor = (a0: number, b0: number): number => {
    onPath.fill(0)
    let a = a0
    for (;;) {
      a = base[a]!
      onPath[a] = 1
      if (mate[a] === -1) break
      a = parent[mate[a]!]!
    }
    let b = b0
    for (;;) {
      b = base[b]!
      if (onPath[b]) return b
      b = parent[mate[b]!]!
    }
  }

  const markPath = (v0: number, b: number, child0: number): void => {
    let v = v0
    let child = child0
    while (base[v] !== b) {
      inBlossom[base[v]!] = 1
      inBlossom[base[mate[v]!]!] = 1
      parent[v] = child
      child = mate[v]!
      v = parent[mate[v]!]!
    }
  }

  const findAugmentingPath = (root: number): number => {
    used.fill(0)
    parent.fill(-1)
    for (let i = 0; i < n; i++) base[i] = i
    used[root] = 1
    let head = 0
    let tail = 0
    queue[tail++] = root
    while (head < tail) {
      const v = queue[head++]!
      for (const to of adjacency[v]!) {
        if (base[v] === base[to] || mate[v] === to) continue
        if (to === root || (mate[to] !== -1 && parent[mate[to]!] !== -1)) {
          const blossomBase = lowestCommonAncestor(v, to)
          inBlossom.fill(0)
          markPath(v, blossomBase, to)
          markPath(to, blossomBase, v)
          for (let i = 0; i < n; i++) {
            if (inBlossom[base[i]!]) {
              base[i] = blossomBase
              if (!used[i]) {
                used[i] = 1
                queue[tail++] = i
              }
            }
          }
        } else if (parent[to] === -1) {
          parent[to] = v
          if (mate[to] === -1) return to
          used[mate[to]!] = 1
          queue[tail++] = mate[to]!
        }
      }
    }
    return -1
  }

  for (let root = 0; root < n; root++) {
    if (mate[root] !== -1 || adjacency[root]!.length === 0) continue
    let v = findAugmentingPath(root)
    while (v !== -1) {
      const pv = parent[v]!
      const next = mate[pv]!
      mate[v] = pv
      mate[pv] = v
      v = next
    }
  }
  return mate
}
