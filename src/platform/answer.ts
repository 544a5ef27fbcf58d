/**
 * Reading IoT API answers whatever their casing: Alibaba answers PascalCase (`Data.JobId`), the
 * marketplace variant lower camel (`data.jobId`), with ids as strings or numbers, and lists either
 * bare or wrapped (`{SimpleOTATaskInfo: [...]}`). Every lookup here ignores case at every level.
 */

export type AnswerObject = Readonly<Record<string, unknown>>

function isObject(value: unknown): value is AnswerObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The value of `name` in `obj`, matching the key in any casing; undefined when absent. */
export function field(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined
  if (name in obj) return obj[name]
  const lower = name.toLowerCase()
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : obj[key]
}

/** An object member (`Data`, `FirmwareInfo`), or undefined when absent or not an object. */
export function objectOf(obj: unknown, name: string): AnswerObject | undefined {
  const value = field(obj, name)
  return isObject(value) ? value : undefined
}

/** A string, or a number written as one (ids come as either); undefined when absent or empty. */
export function textOf(obj: unknown, name: string): string | undefined {
  const value = field(obj, name)
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A number, or a string holding one (`"40.00"`); undefined when absent or not numeric. */
export function numberOf(obj: unknown, name: string): number | undefined {
  const value = field(obj, name)
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : undefined
}

/** An id member: required, string or number. Throws `missing(name)` when absent. */
export function idOf(obj: unknown, name: string, missing: (what: string) => Error): string {
  const value = textOf(obj, name)
  if (value === undefined) throw missing(name)
  return value
}

function rowsIn(value: unknown, item: string): AnswerObject[] {
  if (Array.isArray(value)) return value.filter(isObject)
  if (!isObject(value)) return []
  const inner = field(value, item)
  if (Array.isArray(inner)) return inner.filter(isObject)
  return isObject(inner) ? [inner] : []
}

/**
 * The rows of a list answer: `container` holding an array, or an object wrapping `item` (an array,
 * or one object where an XML-born answer dropped the array), at the top level or under `Data`.
 */
export function listOf(answer: unknown, container: string, item: string): AnswerObject[] {
  for (const where of [answer, objectOf(answer, 'Data')]) {
    const value = field(where, container)
    if (value !== undefined) return rowsIn(value, item)
    const direct = field(where, item)
    if (direct !== undefined) return rowsIn({ [item]: direct }, item)
  }
  return []
}

/** A list of strings, bare or wrapped (`SrcVersions: {SrcVersion: [...]}`). */
export function stringsOf(obj: unknown, container: string, item: string): string[] {
  const value = field(obj, container)
  const inner = Array.isArray(value) ? value : field(value, item)
  const list = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner]
  return list.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String)
}
