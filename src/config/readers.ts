import { invalidInput } from '../contract/action-error.js'
import { charCount } from '../platform/rules.js'

/** Typed readers of single inputs, shared by every action's input parser. */

/** Reads one input by its action.yml name; returns '' when it is not set. */
export type InputReader = (name: string) => string
export type Environment = Readonly<Record<string, string | undefined>>

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

export function readNumber(read: InputReader, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  const raw = read(name).trim()
  if (raw === '') return fallback
  const value = Number(raw)
  const kind = integer ? 'a whole number' : 'a number'
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw invalidInput(name, raw, `must be ${kind} from ${min} to ${max}`)
  }
  return value
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
