/**
 * Which devices each stage of a rollout plan targets: the fleet ranked by a stable hash of the
 * package and the DeviceName, each stage taking the devices ranked above the previous stage's
 * edge up to its cumulative share (rounded down, at least one device a stage). The same fleet
 * always gives the same cohorts, on any run; no device is in two stages, whatever the fleet does.
 */
import { createHash } from 'node:crypto'

/** A stage share in thousandths of a percent: `stages` takes at most 3 decimals, so integer math is exact. */
const SHARE_SCALE = 1000

/** The rank key of a device in a plan: 16 hex digits of SHA-256 over the package and the name. */
export function deviceHash(firmwareId: string, deviceName: string): string {
  return createHash('sha256').update(`${firmwareId}\0${deviceName}`).digest('hex').slice(0, 16)
}

/** The fleet in rank order (by hash, then by name for the astronomically rare tie). */
export function rankFleet(firmwareId: string, names: readonly string[]): Ranked[] {
  return names
    .map((name) => ({ name, hash: deviceHash(firmwareId, name) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export interface Ranked {
  readonly name: string
  readonly hash: string
}

/**
 * A stage's cohort in the fleet ranked now. Each stage records the rank hash of its last device
 * (its edge); a stage takes devices ranked above the previous stage's edge, so no device is
 * targeted by two stages however the fleet changes between them. `own` (a resume, or a part still
 * to create): the stage's recorded range again. Otherwise as many as make the stage's cumulative
 * share of the fleet now (⌊share × size⌋, at least one device), and at 100 % all that remain.
 * Devices that join the fleet below an edge already passed are in no stage.
 */
export function stageCohort(ranked: readonly Ranked[], share: number, previous: string | undefined, own?: string): Ranked[] {
  const above = previous === undefined ? ranked : ranked.filter((d) => d.hash > previous)
  if (own !== undefined) return above.filter((d) => d.hash <= own)
  if (share >= 100) return [...above]
  const below = ranked.length - above.length
  const target = Math.floor((Math.round(share * SHARE_SCALE) * ranked.length) / (100 * SHARE_SCALE))
  return above.slice(0, Math.min(above.length, Math.max(1, target - below)))
}

/** `items` in `parts` runs of nearly equal length (the same cut on every run for the same items). */
export function inParts<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / Math.max(1, parts)))
  return Array.from({ length: Math.max(1, parts) }, (_, i) => items.slice(i * size, (i + 1) * size))
}

/** `items` in runs of at most `size`. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
