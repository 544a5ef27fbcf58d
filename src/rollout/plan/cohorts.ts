/**
 * Which devices each stage of a rollout plan targets: the fleet ranked by a stable hash of the
 * package and the DeviceName, cut at each stage's cumulative share (rounded down, at least one
 * device a stage). The same fleet always gives the same cohorts, on any run; each stage takes
 * devices no earlier stage took.
 */
import { createHash } from 'node:crypto'

/** A stage share in thousandths of a percent: `stages` takes at most 3 decimals, so integer math is exact. */
const SHARE_SCALE = 1000

/** The rank key of a device in a plan: 16 hex digits of SHA-256 over the package and the name. */
export function deviceHash(firmwareId: string, deviceName: string): string {
  return createHash('sha256').update(`${firmwareId}\0${deviceName}`).digest('hex').slice(0, 16)
}

/** The fleet in rank order (by hash, then by name for the astronomically rare tie). */
export function rankFleet(firmwareId: string, names: readonly string[]): { name: string; hash: string }[] {
  return names
    .map((name) => ({ name, hash: deviceHash(firmwareId, name) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** Ranks `[from, to)` of the ranked fleet. */
export interface Cut {
  readonly from: number
  readonly to: number
}

/**
 * Where each stage ends in a fleet of `size`: ⌊share × size⌋, at least one device past the
 * previous stage while devices remain, never past the fleet.
 */
export function stageCuts(shares: readonly number[], size: number): Cut[] {
  const cuts: Cut[] = []
  let from = 0
  for (const share of shares) {
    const scaled = Math.round(share * SHARE_SCALE)
    const to = Math.min(size, Math.max(from + 1, Math.floor((scaled * size) / (100 * SHARE_SCALE))))
    cuts.push({ from, to: Math.max(from, to) })
    from = Math.max(from, to)
  }
  return cuts
}

/** `items` in runs of at most `size`. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
