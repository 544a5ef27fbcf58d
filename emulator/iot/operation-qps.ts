import type { ExtraLimit } from '../server/rate-limit.js'
import { QUERY_DEVICE_LIMITS } from './query-device.js'
import type { RpcParams } from './rpc-params.js'

/**
 * Operations whose documented QPS is below the emulator's account-wide limit (10 by default): they
 * are held to theirs too. Limits above it are not modelled; the account-wide one binds first.
 */
const LOWER_QPS: Readonly<Record<string, number>> = { CancelOTATaskByJob: 5 }

/** QueryDevice past row 100,000 (CurrentPage × PageSize): 2 per second. */
const DEEP_QUERY_DEVICE_QPS = 2

function isDeepQueryDevice(params: RpcParams): boolean {
  const page = Number(params.optional('CurrentPage') ?? QUERY_DEVICE_LIMITS.defaults.page)
  const size = Number(params.optional('PageSize') ?? QUERY_DEVICE_LIMITS.defaults.size)
  return page * size >= QUERY_DEVICE_LIMITS.deepRows
}

/** The call's own limit, keyed per AccessKeyId as the account-wide one is; undefined for most calls. */
export function operationLimit(accessKeyId: string, action: string, params: RpcParams): ExtraLimit | undefined {
  const limit = LOWER_QPS[action]
  if (limit !== undefined) return { key: `${accessKeyId}\n${action}`, limit }
  if (action === 'QueryDevice' && isDeepQueryDevice(params)) return { key: `${accessKeyId}\nQueryDevice deep`, limit: DEEP_QUERY_DEVICE_QPS }
  return undefined
}
