import { checkChurn, type ChurnOptions } from './churn.js'
import { checkSpec, fleetSpecs, type Behaviour, type DeviceSpec } from './fleet.js'
import { fleetMix, type FleetShares } from './fleet-mix.js'

/**
 * `NAME[:BEHAVIOUR[+N][@MINUTE]]`, e.g. `sensor-1:fail-verify`, `late-1:offline@5` (online at minute
 * 5) or `canary-1:rollback+3` (rolls back 3 minutes after its upgrade).
 */
export function parseDeviceArg(arg: string): DeviceSpec {
  const match = /^([^:]+)(?::([a-z-]+)(?:\+(\d+))?(?:@(\d+))?)?$/.exec(arg)
  if (!match) throw new Error(`--device ${JSON.stringify(arg)}: expected NAME[:BEHAVIOUR[+N][@MINUTE]].`)
  const [, name = '', behaviour, after, minute] = match
  const spec: DeviceSpec = { name, behaviour: behaviour as Behaviour | undefined, onlineAtMinute: minute === undefined ? undefined : Number(minute) }
  if (after !== undefined) spec.afterUpgradeMinutes = Number(after)
  return checkSpec(spec)
}

/** `N:FAIL_PERCENT` (FAIL_PERCENT 0–100), e.g. `200:5`. */
export function parseFleetArg(arg: string): DeviceSpec[] {
  const match = /^(\d{1,6}):(\d{1,3})$/.exec(arg)
  const count = Number(match?.[1])
  const failPercent = Number(match?.[2])
  if (!match || count < 1 || failPercent > 100) throw new Error(`--fleet ${JSON.stringify(arg)}: expected N:FAIL_PERCENT (N ≥ 1, FAIL_PERCENT 0 to 100).`)
  return fleetSpecs(count, failPercent)
}

/** `N:BEHAVIOUR=PERCENT[,BEHAVIOUR=PERCENT…][:AFTER_MINUTES]`, e.g. `100000:fail-download=2,rollback=0.5:3`. */
export function parseFleetMixArg(arg: string): DeviceSpec[] {
  const match = /^(\d{1,6}):([a-z-]+=[\d.]+(?:,[a-z-]+=[\d.]+)*)(?::(\d+))?$/.exec(arg)
  const count = Number(match?.[1])
  if (!match || count < 1) throw new Error(`--fleet-mix ${JSON.stringify(arg)}: expected N:BEHAVIOUR=PERCENT[,BEHAVIOUR=PERCENT…][:AFTER_MINUTES] (N ≥ 1).`)
  const shares: FleetShares = {}
  for (const pair of (match[2] ?? '').split(',')) {
    const [behaviour = '', percent = ''] = pair.split('=')
    if (!/^\d{1,3}(\.\d{1,3})?$/.test(percent)) throw new Error(`--fleet-mix ${JSON.stringify(arg)}: ${JSON.stringify(percent)} is not a percentage.`)
    shares[behaviour as Behaviour] = Number(percent)
  }
  try {
    return fleetMix(count, shares, match[3] === undefined ? undefined : Number(match[3]))
  } catch (error) {
    throw new Error(`--fleet-mix ${JSON.stringify(arg)}: ${(error as Error).message}`)
  }
}

/** `PERCENT[:SPAN_MINUTES]`, e.g. `5` or `5:3`. */
export function parseChurnArg(arg: string): ChurnOptions {
  const match = /^(\d{1,2}(?:\.\d{1,3})?)(?::(\d{1,6}))?$/.exec(arg)
  if (!match) throw new Error(`--churn ${JSON.stringify(arg)}: expected PERCENT[:SPAN_MINUTES].`)
  const options = { percent: Number(match[1]), spanMinutes: match[2] === undefined ? undefined : Number(match[2]) }
  try {
    checkChurn(options)
  } catch (error) {
    throw new Error(`--churn ${JSON.stringify(arg)}: ${(error as Error).message}`)
  }
  return options
}
