import { isWrite, OSS_ACTIONS, POST_OBJECT } from './fault-actions.js'
import { parseRandomFault, RandomFaultSource, type RandomFault } from './random-faults.js'

export { POST_OBJECT } from './fault-actions.js'
export type { RandomFault, RandomOutcome, RandomTarget } from './random-faults.js'

/**
 * Trouble to inject. `action` is an RPC action name or `'*'` (any RPC action); `server-error`, `drop`
 * and `slow` may also name `PostObject` or an OSS REST operation (`PutObject`, `UploadPart`, …),
 * `lost-answer` an OSS operation that writes. Each fault answers the first `count` matching calls,
 * then disappears; a `random` fault stays, and faults a share of every call of its side.
 */
export type Fault =
  | { kind: 'throttle'; action: string; count: number; form?: 'gateway' | 'business' }
  | { kind: 'server-error'; action: string; count: number; status?: 500 | 503 }
  | { kind: 'upload-fail'; count: number; mode: 'status-503' | 'drop' }
  | { kind: 'stall-upload'; count: number }
  | { kind: 'ambiguous-create'; count: number }
  | { kind: 'drop'; action: string; count: number }
  | { kind: 'lost-answer'; action: string; count: number }
  | { kind: 'slow'; action: string; delayMs: number; count?: number }
  | RandomFault

export interface FaultController {
  add(fault: Fault): void
  clear(): void
  /** The pending faults, `count` being the calls each has left. */
  list(): Fault[]
}

/** A fault as a call meets it: a random fault has already decided, so only concrete kinds come out. */
export type TakenFault = Exclude<Fault, RandomFault>

/** A counted fault, or a random one with its generator. */
type Entry = { fault: TakenFault; remaining: number } | { fault: RandomFault; source: RandomFaultSource }

function applies(fault: TakenFault, action: string): boolean {
  switch (fault.kind) {
    case 'upload-fail':
    case 'stall-upload':
      return action === POST_OBJECT
    case 'ambiguous-create':
      return action === 'CreateOTAFirmware'
    default:
      return fault.action === action || (fault.action === '*' && !OSS_ACTIONS.has(action))
  }
}

export class FaultRegistry implements FaultController {
  private entries: Entry[] = []

  add(fault: Fault): void {
    const checked = parseFault(fault)
    this.entries.push(
      checked.kind === 'random' ? { fault: checked, source: new RandomFaultSource(checked) } : { fault: checked, remaining: checked.count ?? Infinity }
    )
  }

  clear(): void {
    this.entries = []
  }

  list(): Fault[] {
    return this.entries.map((e) => ('source' in e || e.remaining === Infinity ? { ...e.fault } : { ...e.fault, count: e.remaining }))
  }

  /**
   * Uses up one call of the first pending counted fault that applies to `action`; failing that, the
   * first random fault of the call's side draws its fate.
   */
  take(action: string): TakenFault | undefined {
    for (const entry of this.entries) {
      if ('source' in entry || !applies(entry.fault, action)) continue
      entry.remaining -= 1
      if (entry.remaining <= 0) this.entries = this.entries.filter((e) => e !== entry)
      return entry.fault
    }
    const random = this.entries.find((e): e is Extract<Entry, { source: RandomFaultSource }> => 'source' in e && e.source.applies(action))
    return random?.source.draw(action)
  }
}

function fail(detail: string, value: unknown): never {
  throw new Error(`Invalid fault ${JSON.stringify(value)}: ${detail}`)
}

function positiveInteger(value: unknown, name: string, fault: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(`${name} must be a positive integer`, fault)
  return value
}

/** `oss`: which OSS operations the kind may name (none, those that write, all). */
function actionName(value: unknown, fault: unknown, oss: 'none' | 'writes' | 'all'): string {
  if (typeof value !== 'string' || value === '') fail('action must be an action name or "*"', fault)
  if (OSS_ACTIONS.has(value) && oss === 'none') fail('this kind applies to RPC actions only', fault)
  if (OSS_ACTIONS.has(value) && oss === 'writes' && !isWrite(value)) fail('a lost answer applies to OSS operations that write', fault)
  return value
}

function oneOf<T>(value: unknown, allowed: readonly T[], name: string, fault: unknown): T | undefined {
  if (value === undefined) return undefined
  if (!allowed.includes(value as T)) fail(`${name} must be one of ${allowed.join(', ')}`, fault)
  return value as T
}

/** Checks a fault that came from outside (HTTP, command line) and drops unknown properties. */
export function parseFault(value: unknown): Fault {
  if (typeof value !== 'object' || value === null) fail('expected an object', value)
  const f = value as Record<string, unknown>
  switch (f.kind) {
    case 'throttle': {
      const form = oneOf(f.form, ['gateway', 'business'] as const, 'form', value)
      return { kind: 'throttle', action: actionName(f.action, value, 'none'), count: positiveInteger(f.count, 'count', value), ...(form && { form }) }
    }
    case 'server-error': {
      const status = oneOf(f.status, [500, 503] as const, 'status', value)
      return { kind: 'server-error', action: actionName(f.action, value, 'all'), count: positiveInteger(f.count, 'count', value), ...(status && { status }) }
    }
    case 'upload-fail': {
      const mode = oneOf(f.mode, ['status-503', 'drop'] as const, 'mode', value) ?? fail('mode is required', value)
      return { kind: 'upload-fail', count: positiveInteger(f.count, 'count', value), mode }
    }
    case 'stall-upload':
    case 'ambiguous-create':
      return { kind: f.kind, count: positiveInteger(f.count, 'count', value) }
    case 'drop':
      return { kind: 'drop', action: actionName(f.action, value, 'all'), count: positiveInteger(f.count, 'count', value) }
    case 'lost-answer':
      return { kind: 'lost-answer', action: actionName(f.action, value, 'writes'), count: positiveInteger(f.count, 'count', value) }
    case 'random':
      return parseRandomFault(f)
    case 'slow': {
      if (typeof f.delayMs !== 'number' || !Number.isInteger(f.delayMs) || f.delayMs < 0) fail('delayMs must be a non-negative integer', value)
      const count = f.count === undefined ? undefined : positiveInteger(f.count, 'count', value)
      return { kind: 'slow', action: actionName(f.action, value, 'all'), delayMs: f.delayMs, ...(count && { count }) }
    }
    default:
      return fail('kind must be throttle, server-error, upload-fail, stall-upload, ambiguous-create, drop, lost-answer, slow or random', value)
  }
}

/** A whole number from a short-form part, or the part itself so parseFault reports it. */
function numberOrText(part: string | undefined): number | string | undefined {
  return part !== undefined && /^\d+$/.test(part) ? Number(part) : part
}

/** `random:TARGET:SEED:RATE[:OUTCOME,OUTCOME…]`: numbers read as numbers, outcomes as a list. */
function randomSpec(target: string | undefined, seed: string | undefined, rate: string | undefined, outcomes: string | undefined): Fault {
  const number = (part: string | undefined) => (part !== undefined && /^\d+(\.\d+)?$/.test(part) ? Number(part) : part)
  return parseFault({ kind: 'random', target, seed: number(seed), rate: number(rate), outcomes: outcomes?.split(',') })
}

/**
 * Parses a fault given as JSON (one fault or an array) or in the short form:
 *   throttle:ACTION:COUNT[:gateway|business]   server-error:ACTION:COUNT[:500|503]
 *   drop:ACTION:COUNT                          lost-answer:ACTION:COUNT
 *   slow:ACTION:DELAY_MS[:COUNT]               random:iot|oss:SEED:RATE[:OUTCOME,…]
 *   upload-fail:COUNT:status-503|drop          stall-upload:COUNT      ambiguous-create:COUNT
 */
export function parseFaultSpec(spec: string): Fault[] {
  const text = spec.trim()
  if (text.startsWith('{') || text.startsWith('[')) {
    const parsed: unknown = JSON.parse(text)
    return (Array.isArray(parsed) ? parsed : [parsed]).map(parseFault)
  }
  const [kind, a, b, c, d] = text.split(':')
  switch (kind) {
    case 'throttle':
      return [parseFault({ kind, action: a, count: numberOrText(b), form: c })]
    case 'server-error':
      return [parseFault({ kind, action: a, count: numberOrText(b), status: numberOrText(c) })]
    case 'drop':
    case 'lost-answer':
      return [parseFault({ kind, action: a, count: numberOrText(b) })]
    case 'random':
      return [randomSpec(a, b, c, d)]
    case 'slow':
      return [parseFault({ kind, action: a, delayMs: numberOrText(b), count: numberOrText(c) })]
    case 'upload-fail':
      return [parseFault({ kind, count: numberOrText(a), mode: b })]
    default:
      return [parseFault({ kind, count: numberOrText(a) })]
  }
}
