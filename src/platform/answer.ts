/**
 * Reading IoT API answers whatever their casing: Alibaba answers PascalCase (`Data.JobId`), the
 * marketplace variant lower camel (`data.jobId`), translated pages show `FirmwareID`; ids come as
 * strings or numbers, and lists either bare or wrapped (`{SimpleOTATaskInfo: [...]}`). Every lookup
 * here ignores case at every level, one level at a time:
 *
 *   parseAnswer(body)                      the answer's JSON object, or undefined (not JSON, not an object)
 *   failureOf(status, answer)              { code, message } when the answer reports a failure, else undefined
 *   field(obj, 'FirmwareId')               the value under that name in any case, or undefined
 *   textOf(obj, 'FirmwareId')              a string (numbers become decimal text); '' counts as absent
 *   numberOf(obj, 'FirmwareSize')          a finite number (numeric strings too), or undefined
 *   idOf(obj, 'JobId', missing)            a required id as text; throws missing('JobId') without one
 *   objectOf(obj, 'Data')                  a nested object, or undefined
 *   dataOf(answer)                         the `Data` object, or undefined
 *   objectIn(answer, 'FirmwareInfo')       that object at the top level or under `Data`
 *   listOf(answer, 'FirmwareInfo', 'SimpleFirmwareInfo')
 *                                          the rows of a list at the top level or under `Data`, bare or
 *                                          wrapped under the item name; [] when there are none
 *   stringsOf(obj, 'SrcVersions', 'SrcVersion')  a list of strings, bare or wrapped
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

/** The `Data` member of an answer. */
export function dataOf(answer: unknown): AnswerObject | undefined {
  return objectOf(answer, 'Data')
}

/** An object member at the top level or under `Data` (QueryOTAFirmware's `FirmwareInfo`). */
export function objectIn(answer: unknown, name: string): AnswerObject | undefined {
  return objectOf(answer, name) ?? objectOf(dataOf(answer), name)
}

/**
 * Integers past 2^53 (job ids are 19 digits) keep their digits as text where Node hands the reviver
 * the source (Node 21 and later); elsewhere they parse as numbers, as JSON.parse always did.
 */
function keepLongIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)) {
    return context.source
  }
  return value
}

export function parseAnswer(body: Buffer | string): AnswerObject | undefined {
  try {
    const value: unknown = JSON.parse(body.toString(), keepLongIntegers as (key: string, value: unknown) => unknown)
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

function flagOf(obj: unknown, name: string): boolean | undefined {
  const value = field(obj, name)
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  return undefined
}

/**
 * A failure is any 4xx/5xx, `Success: false`, or an error code without `Success: true` (the
 * marketplace sends `code: ""` on success, which is no code at all).
 */
export function failureOf(status: number, answer: AnswerObject): { code: string; message: string } | undefined {
  const success = flagOf(answer, 'Success')
  const code = textOf(answer, 'Code')
  if (status < 400 && success !== false && (success === true || code === undefined)) return undefined
  return {
    code: code ?? (status >= 400 ? `HTTP${status}` : 'UnknownError'),
    message: textOf(answer, 'ErrorMessage') ?? textOf(answer, 'Message') ?? ''
  }
}
