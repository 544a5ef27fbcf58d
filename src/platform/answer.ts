/**
 * Reading IoT API answers whatever their spelling. Alibaba answers PascalCase (`Data.FirmwareId`),
 * the marketplace variant lower-camel (`data.firmwareId`), translated pages show `FirmwareID`; ids
 * come as strings or numbers; list rows as an array or as `{SimpleFirmwareInfo: […]}`, at the top
 * level or under `Data`. Every lookup here matches names case-insensitively, one level at a time:
 *
 *   parseAnswer(body)                  the JSON object of an answer, or undefined (not JSON, not an object)
 *   field(obj, 'FirmwareId')           the value under that name in any case, or undefined
 *   text(obj, 'FirmwareId')            a string (numbers become decimal text), or undefined; '' counts as absent
 *   count(obj, 'FirmwareSize')         a finite number (numeric strings too), or undefined
 *   record(obj, 'FirmwareInfo')        a nested object, or undefined
 *   dataOf(answer)                     the `Data` object, or undefined
 *   recordOf(answer, 'FirmwareInfo')   that object at the top level or under `Data`
 *   rowsOf(answer, 'FirmwareInfo', 'SimpleFirmwareInfo')
 *                                      the rows of a list at the top level or under `Data`, whether the
 *                                      list is the array itself or wraps it under the item name; [] if none
 *   failureOf(status, answer)          { code, message } when the answer reports a failure, else undefined
 */

export type Answer = Readonly<Record<string, unknown>>

function isRecord(value: unknown): value is Answer {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
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

export function parseAnswer(body: Buffer | string): Answer | undefined {
  try {
    const value: unknown = JSON.parse(body.toString(), keepLongIntegers as (key: string, value: unknown) => unknown)
    return isRecord(value) ? value : undefined
  } catch {
    return undefined
  }
}

export function field(obj: unknown, name: string): unknown {
  if (!isRecord(obj)) return undefined
  if (name in obj) return obj[name]
  const lower = name.toLowerCase()
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : obj[key]
}

export function text(obj: unknown, name: string): string | undefined {
  const value = field(obj, name)
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function count(obj: unknown, name: string): number | undefined {
  const value = field(obj, name)
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

export function record(obj: unknown, name: string): Answer | undefined {
  const value = field(obj, name)
  return isRecord(value) ? value : undefined
}

export function dataOf(answer: unknown): Answer | undefined {
  return record(answer, 'Data')
}

export function recordOf(answer: unknown, name: string): Answer | undefined {
  return record(answer, name) ?? record(dataOf(answer), name)
}

export function rowsOf(answer: unknown, listName: string, itemName: string): Answer[] {
  for (const holder of [answer, dataOf(answer)]) {
    const list = field(holder, listName)
    const rows = Array.isArray(list) ? list : field(list, itemName)
    if (Array.isArray(rows)) return rows.filter(isRecord)
  }
  return []
}

function flag(obj: unknown, name: string): boolean | undefined {
  const value = field(obj, name)
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  return undefined
}

/**
 * A failure is any 4xx/5xx, `Success: false`, or an error code without `Success: true` (the
 * marketplace sends `code: ""` on success, which is no code at all).
 */
export function failureOf(status: number, answer: Answer): { code: string; message: string } | undefined {
  const success = flag(answer, 'Success')
  const code = text(answer, 'Code')
  if (status < 400 && success !== false && (success === true || code === undefined)) return undefined
  return {
    code: code ?? (status >= 400 ? `HTTP${status}` : 'UnknownError'),
    message: text(answer, 'ErrorMessage') ?? text(answer, 'Message') ?? ''
  }
}
