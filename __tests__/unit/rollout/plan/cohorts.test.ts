import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { deviceHash, inChunks, inParts, rankFleet, stageCohort } from '../../../../src/rollout/plan/cohorts.js'

/** The cohorts of every stage on a fleet read once: each stage from the edge the previous one recorded. */
function cohortsOf(shares: readonly number[], names: readonly string[]): string[][] {
  const ranked = rankFleet('F1', names)
  let edge: string | undefined
  return shares.map((share) => {
    const cohort = stageCohort(ranked, share, edge)
    edge = cohort.at(-1)?.hash ?? edge
    return cohort.map((d) => d.name)
  })
}

const fleetOf = (n: number, prefix = 'device') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`)

describe('stageCohort', () => {
  it.each([
    // shares, fleet size, devices of each stage
    [[1, 10, 50, 100], 400, [4, 36, 160, 200]],
    [[1, 10, 50, 100], 1000, [10, 90, 400, 500]],
    [[1, 10, 50, 100], 50, [1, 4, 20, 25]],
    // Rounded down, but at least one device a stage while devices remain.
    [[0.5, 1, 100], 10, [1, 1, 8]],
    [[33.333, 66.667, 100], 3, [1, 1, 1]],
    [[10, 20, 30], 2, [1, 1, 0]],
    [[50], 1, [1]]
  ])('%j of %d devices', (shares, size, expected) => {
    expect(cohortsOf(shares, fleetOf(size)).map((c) => c.length)).toEqual(expected)
  })

  it('partitions a fleet read once: disjoint, each stage at its cumulative share, everything by a last stage of 100 % (property)', () => {
    const shares = fc
      .uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 20 })
      .map((xs) => [...xs].sort((a, b) => a - b).map((x) => x / 1000))
    fc.assert(
      fc.property(shares, fc.integer({ min: 0, max: 3000 }), (s, size) => {
        const cohorts = cohortsOf(s, fleetOf(size))
        const all = cohorts.flat()
        expect(new Set(all).size).toBe(all.length)
        let total = 0
        for (const [i, cohort] of cohorts.entries()) {
          if (total < size) expect(cohort.length).toBeGreaterThan(0)
          total += cohort.length
          // Shares have at most 3 decimals: in thousandths the bound is exact.
          expect(total).toBeLessThanOrEqual(Math.max(total - cohort.length + 1, Math.floor((Math.round(s[i]! * 1000) * size) / 100_000)))
        }
        if (s.at(-1) === 100) expect(total).toBe(size)
      })
    )
  })

  it('targets no device twice however the fleet changes between stages, and the last stage of 100 % takes every device above the edges (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 200 }), (size, joined, left) => {
        const first = fleetOf(size)
        const ranked1 = rankFleet('F1', first)
        const stage1 = stageCohort(ranked1, 10, undefined)
        // Before stage 2, devices join and some leave.
        const later = [...first.slice(Math.min(left, size)), ...fleetOf(joined, 'late')]
        const ranked2 = rankFleet('F1', later)
        const edge1 = stage1.at(-1)!.hash
        const stage2 = stageCohort(ranked2, 50, edge1)
        const stage3 = stageCohort(ranked2, 100, stage2.at(-1)?.hash ?? edge1)
        const names = [...stage1, ...stage2, ...stage3].map((d) => d.name)
        expect(new Set(names).size).toBe(names.length)
        // Every device of the fleet now is in a stage, but those that joined ranked below an edge already passed.
        const missed = ranked2.filter((d) => !names.includes(d.name))
        expect(missed.every((d) => d.hash <= (stage2.at(-1)?.hash ?? edge1))).toBe(true)
      })
    )
  })

  it('gives a stage its recorded range again, for a resume or a part still to create', () => {
    const ranked = rankFleet('F1', fleetOf(1000))
    const stage1 = stageCohort(ranked, 10, undefined)
    const stage2 = stageCohort(ranked, 50, stage1.at(-1)!.hash)
    const grown = rankFleet('F1', [...fleetOf(1000), ...fleetOf(500, 'late')])
    const again = stageCohort(grown, 50, stage1.at(-1)!.hash, stage2.at(-1)!.hash)
    // The same devices, and the late ones ranked within the range.
    expect(again.filter((d) => d.name.startsWith('device')).map((d) => d.name)).toEqual(stage2.map((d) => d.name))
    expect(again.every((d) => d.hash > stage1.at(-1)!.hash && d.hash <= stage2.at(-1)!.hash)).toBe(true)
  })
})

describe('inParts', () => {
  it.each([
    [25_000, 3, [8334, 8334, 8332]],
    [10_000, 1, [10_000]],
    [5, 2, [3, 2]],
    [1, 2, [1, 0]]
  ])('%d items in %d parts', (n, parts, lengths) => {
    expect(inParts(fleetOf(n), parts).map((p) => p.length)).toEqual(lengths)
  })
})

describe('rankFleet', () => {
  const fleet = Array.from({ length: 500 }, (_, i) => `device-${String(i).padStart(4, '0')}`)

  it('ranks the same way whatever order the fleet is read in, and differently for another package', () => {
    const ranked = rankFleet('F1', fleet).map((d) => d.name)
    expect(rankFleet('F1', [...fleet].reverse()).map((d) => d.name)).toEqual(ranked)
    expect(rankFleet('F2', fleet).map((d) => d.name)).not.toEqual(ranked)
    expect(new Set(ranked).size).toBe(500)
  })

  it('keeps the cohorts of a stable fleet stable and disjoint across runs', () => {
    const first = cohortsOf([1, 10, 50, 100], fleet)
    expect(
      cohortsOf(
        [1, 10, 50, 100],
        [...fleet].sort(() => 0.5 - Math.random())
      )
    ).toEqual(first)
    expect(first.flat().sort()).toEqual([...fleet].sort())
  })

  it('hashes the package and the name, 16 hex digits', () => {
    expect(deviceHash('F1', 'device-0001')).toMatch(/^[0-9a-f]{16}$/)
    expect(deviceHash('F1', 'device-0001')).not.toBe(deviceHash('F11', 'device-0001'.slice(1)))
  })
})

describe('inChunks', () => {
  it.each([
    [0, 10, []],
    [5, 10, [5]],
    [10, 10, [10]],
    [25_000, 10_000, [10_000, 10_000, 5000]]
  ])('%d items in runs of %d', (n, size, lengths) => {
    expect(
      inChunks(
        Array.from({ length: n }, (_, i) => i),
        size
      ).map((c) => c.length)
    ).toEqual(lengths)
  })
})
