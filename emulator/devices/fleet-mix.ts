import { BEHAVIOURS, checkSpec, fleetName, type Behaviour, type DeviceSpec } from './fleet.js'

/** Shares of a fleet by behaviour, in percent (up to three decimals); the rest succeed. */
export type FleetShares = Partial<Record<Behaviour, number>>

/**
 * `count` devices `fleet-0001`… whose behaviours follow `shares`, interleaved evenly by a smooth
 * weighted round robin: every behaviour is spread over the whole fleet, any prefix holds about its
 * share (within one device per behaviour), and the same arguments give the same fleet.
 * `afterUpgradeMinutes` applies to the `offline-after-upgrade` and `rollback` devices.
 */
export function fleetMix(count: number, shares: FleetShares, afterUpgradeMinutes?: number): DeviceSpec[] {
  const weights = weightsOf(shares)
  const total = 100_000
  const current = weights.map(() => 0)
  return Array.from({ length: count }, (_, i) => {
    let pick = 0
    weights.forEach(([, weight], k) => {
      current[k] = (current[k] ?? 0) + weight
      if ((current[k] ?? 0) > (current[pick] ?? 0)) pick = k
    })
    current[pick] = (current[pick] ?? 0) - total
    const behaviour = weights[pick]?.[0] ?? 'succeed'
    const after = afterUpgradeMinutes !== undefined && (behaviour === 'offline-after-upgrade' || behaviour === 'rollback')
    return checkSpec({ name: fleetName(i, count), behaviour, ...(after && { afterUpgradeMinutes }) })
  })
}

/** Each behaviour's weight in thousandths of a percent, `succeed` taking what is left. */
function weightsOf(shares: FleetShares): [Behaviour, number][] {
  const weights: [Behaviour, number][] = []
  for (const [behaviour, percent] of Object.entries(shares) as [Behaviour, number][]) {
    if (!BEHAVIOURS.includes(behaviour)) throw new Error(`Emulator fleet share ${JSON.stringify(behaviour)} is not one of ${BEHAVIOURS.join(', ')}.`)
    const thousandths = Math.round(percent * 1000)
    if (!(thousandths >= 0 && Math.abs(thousandths - percent * 1000) < 1e-6)) {
      throw new Error(`Emulator fleet share of ${behaviour} must be a percentage ≥ 0 with at most three decimals, got ${String(percent)}.`)
    }
    if (behaviour !== 'succeed') weights.push([behaviour, thousandths])
  }
  const rest = 100_000 - weights.reduce((sum, [, w]) => sum + w, 0)
  if (rest < 0) throw new Error('Emulator fleet shares add up to more than 100 %.')
  return [['succeed', rest], ...weights]
}
