import { BusinessError } from '../server/responses.js'
import type { RpcParams } from './rpc-params.js'

export const invalidPage = (name: string, value: string) =>
  new BusinessError('iot.common.InvalidPageParams', `The ${name} ${JSON.stringify(value)} is invalid.`)

/** A page number or size: a whole number from 1 to `max`; required (gateway Missing{Name}) unless it has a default. */
export function pageParam(params: RpcParams, name: string, max: number, fallback?: number): number {
  const value = fallback === undefined ? params.required(name) : (params.optional(name) ?? String(fallback))
  const n = /^\d{1,9}$/.test(value) ? Number(value) : 0
  if (n < 1 || n > max) throw invalidPage(name, value)
  return n
}

/** The paging fields most lists answer with, at the top level. */
export function pageFields(page: number, size: number, total: number) {
  return { CurrentPage: page, PageSize: size, PageCount: Math.ceil(total / size), Total: total }
}
