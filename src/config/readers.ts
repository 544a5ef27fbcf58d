import { ActionError, invalidInput } from '../contract/action-error.js'
import { charCount } from '../platform/rules.js'

/** Typed readers of single inputs, shared by every action's input parser. */

/** Reads one input by its action.yml name; returns '' when it is not set. */
export type InputReader = (name: string) => string
export type Environment = Readonly<Record<string, string | undefined>>

// Not documented as such; product keys and ids of both API variants seen in the wild fit well inside this.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

export function readBoolean(read: InputReader, name: string, fallback: boolean): boolean {
  const raw = read(name).trim()
  if (raw === '') return fallback
  if (TRUE_VALUES.includes(raw)) return true
  if (FALSE_VALUES.includes(raw)) return false
  throw invalidInput(name, raw, 'allowed values are true and false')
}

export function readEnum<T extends string>(read: InputReader, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(name).trim()
  if (raw === '') return fallback
  const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase())
  if (found === undefined) throw invalidInput(name, raw, `allowed values are ${allowed.join(', ')}`)
  return found
}

/** A number in [min, max], or `fallback` when the input is empty. */
export function readNumber(read: InputReader, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  return readOptionalNumber(read, name, min, max, integer) ?? fallback
}

export function optional(read: InputReader, name: string): string | undefined {
  const value = read(name).trim()
  return value === '' ? undefined : value
}

export function checkMaxLength(name: string, value: string | undefined, max: number): void {
  if (value !== undefined && charCount(value) > max) {
    throw invalidInput(name, value.length > 120 ? `${value.slice(0, 117)}...` : value, `must be at most ${max} characters, got ${charCount(value)}`)
  }
}

/** A number in [min, max], or undefined when the input is empty. */
export function readOptionalNumber(read: InputReader, name: string, min: number, max: number, integer: boolean): number | undefined {
  const raw = read(name).trim()
  if (raw === '') return undefined
  const value = Number(raw)
  const kind = integer ? 'a whole number' : 'a number'
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw invalidInput(name, raw, `must be ${kind} from ${min} to ${max}`)
  }
  return value
}

/** One of a documented set of whole numbers, or undefined when the input is empty. */
export function readChoice(read: InputReader, name: string, allowed: readonly number[]): number | undefined {
  const raw = read(name).trim()
  if (raw === '') return undefined
  const value = Number(raw)
  if (!allowed.includes(value) || !/^\d+$/.test(raw)) throw invalidInput(name, raw, `allowed values are ${allowed.join(', ')}`)
  return value
}

/** An absolute http:// or https:// URL, without credentials or a #fragment. */
export function readHttpUrl(name: string, raw: string): URL {
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw invalidInput(name, raw, 'must be an absolute http:// or https:// URL')
  if (url.username || url.password || url.hash) throw invalidInput(name, raw, 'must not hold credentials or a #fragment')
  return url
}

/** The same, as a base URL: no path or query either (`example` shows one). */
export function readBaseUrl(name: string, raw: string, example: string): URL {
  const url = readHttpUrl(name, raw)
  if ((url.pathname !== '/' && url.pathname !== '') || url.search) throw invalidInput(name, raw, `must be a base URL without path or query, e.g. ${example}`)
  return url
}

/** A required platform id (ProductKey, FirmwareId): what it is, where to find it. */
export function readId(read: InputReader, name: string, what: string, hint?: string): string {
  const value = read(name).trim()
  if (value === '') throw new ActionError(`Input '${name}' is required: ${what}.`, { input: name, hint })
  if (!ID_PATTERN.test(value)) throw invalidInput(name, value, 'must be 1 to 64 letters, digits, "_" or "-"')
  return value
}

/**
 * A list given one entry per line or separated by commas: entries trimmed, none empty, none twice,
 * each matching `pattern`, from 1 to `max` of them (or none when not `required`).
 */
interface ListRule {
  readonly max: number
  readonly pattern: RegExp
  /** What the entries are, plural ("DeviceNames"). */
  readonly what: string
  /** What one entry may look like, for the error message. */
  readonly allowed: string
  readonly required: boolean
}

export function readList(read: InputReader, name: string, rule: ListRule): string[] {
  const raw = read(name)
  if (raw.trim() === '') {
    if (rule.required) throw new ActionError(`Input '${name}' is required: ${rule.what}, one per line or separated by commas.`, { input: name })
    return []
  }
  // A comma at the end of a line and the line break are one separator.
  const entries = raw
    .trim()
    .split(/,[ \t]*\r?\n|\r?\n|,/)
    .map((entry) => entry.trim())
  const empty = entries.indexOf('')
  if (empty >= 0) throw invalidInput(name, raw, `entry ${empty + 1} is empty: give ${rule.what} separated by newlines or single commas`)
  const bad = entries.find((entry) => !rule.pattern.test(entry))
  if (bad !== undefined) throw invalidInput(name, bad, `each entry ${rule.allowed}`)
  const twice = entries.find((entry, i) => entries.indexOf(entry) !== i)
  if (twice !== undefined) throw invalidInput(name, twice, 'is listed twice: each entry may appear once')
  if (entries.length > rule.max) {
    throw invalidInput(name, `${entries.length} entries`, `at most ${rule.max} ${rule.what} are allowed`)
  }
  return entries
}
