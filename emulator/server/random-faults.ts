/**
 * Seeded random faults: each call of one side (the IoT API, or OSS) fails with a probability, in a
 * way drawn from a seeded generator, so a fault-injection run is reproducible: the n-th call it
 * sees always gets the same fate for the same seed.
 */
import { isWrite, OSS_ACTIONS } from './fault-actions.js'

export type RandomTarget = 'iot' | 'oss'
export type RandomOutcome = 'throttle' | 'server-error' | 'drop' | 'lost-answer'

/** `outcomes` default to all of the target's: IoT throttle, server-error, drop, lost-answer; OSS the last three. */
export interface RandomFault {
  kind: 'random'
  target: RandomTarget
  seed: number
  /** The probability (0 < rate ≤ 1) that a call is faulted. */
  rate: number
  outcomes?: RandomOutcome[]
}

/** What one faulted call gets; the registry answers it as the fault of that kind. */
export type DrawnFault =
  | { kind: 'throttle'; action: string; count: 1; form: 'gateway' | 'business' }
  | { kind: 'server-error'; action: string; count: 1; status: 500 | 503 }
  | { kind: 'drop'; action: string; count: 1 }
  | { kind: 'lost-answer'; action: string; count: 1 }

export const RANDOM_OUTCOMES: Readonly<Record<RandomTarget, readonly RandomOutcome[]>> = {
  iot: ['throttle', 'server-error', 'drop', 'lost-answer'],
  oss: ['server-error', 'drop', 'lost-answer']
}

/** mulberry32: small, fast and good enough to spread faults; the same seed gives the same sequence. */
function generator(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** One random fault's generator and the calls it covers. */
export class RandomFaultSource {
  private readonly next: () => number

  constructor(readonly fault: RandomFault) {
    this.next = generator(fault.seed)
  }

  applies(action: string): boolean {
    return OSS_ACTIONS.has(action) === (this.fault.target === 'oss')
  }

  /**
   * The fate of the next call: three draws every time (faulted?, which outcome, which variant), so
   * the sequence does not depend on which calls are writes. A lost answer is for writes only.
   */
  draw(action: string): DrawnFault | undefined {
    const [hit, pick, variant] = [this.next(), this.next(), this.next()]
    const outcomes = (this.fault.outcomes ?? RANDOM_OUTCOMES[this.fault.target]).filter((o) => o !== 'lost-answer' || isWrite(action))
    if (hit >= this.fault.rate || outcomes.length === 0) return undefined
    const outcome = outcomes[Math.floor(pick * outcomes.length)] as RandomOutcome
    switch (outcome) {
      case 'throttle':
        return { kind: 'throttle', action, count: 1, form: variant < 0.5 ? 'gateway' : 'business' }
      case 'server-error':
        return { kind: 'server-error', action, count: 1, status: variant < 0.5 ? 500 : 503 }
      default:
        return { kind: outcome, action, count: 1 }
    }
  }
}

function fail(detail: string, value: unknown): never {
  throw new Error(`Invalid fault ${JSON.stringify(value)}: ${detail}`)
}

/** Checks a random fault that came from outside (HTTP, command line) and drops unknown properties. */
export function parseRandomFault(f: Record<string, unknown>): RandomFault {
  if (f.target !== 'iot' && f.target !== 'oss') fail('target must be iot or oss', f)
  if (typeof f.seed !== 'number' || !Number.isInteger(f.seed) || f.seed < 0 || f.seed > 0xffffffff) fail('seed must be an integer from 0 to 4294967295', f)
  if (typeof f.rate !== 'number' || !(f.rate > 0 && f.rate <= 1)) fail('rate must be a number above 0, at most 1', f)
  if (f.outcomes === undefined) return { kind: 'random', target: f.target, seed: f.seed, rate: f.rate }
  const allowed = RANDOM_OUTCOMES[f.target]
  const outcomes = f.outcomes
  if (!Array.isArray(outcomes) || outcomes.length === 0 || !outcomes.every((o) => allowed.includes(o as RandomOutcome))) {
    fail(`outcomes must be a non-empty list of ${allowed.join(', ')}`, f)
  }
  return { kind: 'random', target: f.target, seed: f.seed, rate: f.rate, outcomes: [...new Set(outcomes as RandomOutcome[])] }
}
