import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { deviceHash, inChunks, rankFleet, stageCuts } from '../../../../src/rollout/plan/cohorts.js'

describe('stageCuts', () => {
  it.each([
    // shares, fleet size, [from, to] of each stage
    [
      [1, 10, 50, 100],
      400,
      [
        [0, 4],
        [4, 40],
        [40, 200],
        [200, 400]
      ]
    ],
    [
      [1, 10, 50, 100],
      1000,
      [
        [0, 10],
        [10, 100],
        [100, 500],
        [500, 1000]
      ]
    ],
    [
      [1, 10, 50, 100],
      50,
      [
        [0, 1],
        [1, 5],
        [5, 25],
        [25, 50]
      ]
    ],
    // Rounded down, but at least one device a stage while devices remain.
    [
      [0.5, 1, 100],
      10,
      [
        [0, 1],
        [1, 2],
        [2, 10]
      ]
    ],
    [
      [33.333, 66.667, 100],
      3,
      [
        [0, 1],
        [1, 2],
        [2, 3]
      ]
    ],
    [
      [10, 20, 30],
      2,
      [
        [0, 1],
        [1, 2],
        [2, 2]
      ]
    ],
    [[50], 1, [[0, 1]]]
  ])('%j of %d devices', (shares, size, expected) => {
    expect(stageCuts(shares, size).map((c) => [c.from, c.to])).toEqual(expected)
  })

  it('partitions the fleet: disjoint, in order, never past it, the last stage of 100 % reaching its end (property)', () => {
    const shares = fc
      .uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 20 })
      .map((xs) => [...xs].sort((a, b) => a - b).map((x) => x / 1000))
    fc.assert(
      fc.property(shares, fc.integer({ min: 0, max: 100_000 }), (s, size) => {
        const cuts = stageCuts(s, size)
        let end = 0
        for (const [i, cut] of cuts.entries()) {
          expect(cut.from).toBe(end)
          expect(cut.to).toBeGreaterThanOrEqual(cut.from)
          expect(cut.to).toBeLessThanOrEqual(size)
          // At least one device a stage while devices remain; never more than the share allows beyond that.
          if (end < size) expect(cut.to).toBeGreaterThan(cut.from)
          // Shares have at most 3 decimals: in thousandths the bound is exact, as 68.219 % of 100,000 is 68,219.
          expect(cut.to).toBeLessThanOrEqual(Math.max(end + 1, Math.floor((Math.round(s[i]! * 1000) * size) / 100_000)))
          end = cut.to
        }
        if (s.at(-1) === 100) expect(end).toBe(size)
      })
    )
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
    const cuts = stageCuts([1, 10, 50, 100], fleet.length)
    const cohorts = (names: readonly string[]) =>
      cuts.map((c) =>
        rankFleet('F1', names)
          .slice(c.from, c.to)
          .map((d) => d.name)
      )
    const first = cohorts(fleet)
    expect(cohorts([...fleet].sort(() => 0.5 - Math.random()))).toEqual(first)
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
