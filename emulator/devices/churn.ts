/** Background churn: a share of the fleet offline at any time, whichever devices a hash picks. */
export interface ChurnOptions {
  /** About this share of the fleet (percent, 0 to 90) is offline in any span. */
  percent: number
  /** How long a device stays offline or online before the hash draws again, in OTA minutes; default 1. */
  spanMinutes?: number
}

const CHURN_MAX_PERCENT = 90

/** Checks the options; throws an Error naming the bad one. */
export function checkChurn(options: ChurnOptions): Required<ChurnOptions> {
  const { percent, spanMinutes = 1 } = options
  if (!(Number.isFinite(percent) && percent >= 0 && percent <= CHURN_MAX_PERCENT)) {
    throw new Error(`Emulator churn percent must be from 0 to ${CHURN_MAX_PERCENT}, got ${String(percent)}.`)
  }
  if (!(Number.isInteger(spanMinutes) && spanMinutes >= 1))
    throw new Error(`Emulator churn spanMinutes must be a whole number ≥ 1, got ${String(spanMinutes)}.`)
  return { percent, spanMinutes }
}

/** A 32-bit mix (murmur3's finalizer) of a device's seed and a span number. */
function mix(seed: number, span: number): number {
  let h = (seed ^ Math.imul(span + 1, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Whether churn has a device offline in a span: deterministic per device seed and span. */
export function churnedOffline(seed: number, span: number, percent: number): boolean {
  return mix(seed, span) < (percent / 100) * 0x1_0000_0000
}
