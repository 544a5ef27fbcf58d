import { createHmac } from 'node:crypto'
import type { Device } from '../devices/fleet.js'
import { deviceSecretOf, iotIdOf, registeredAt } from '../devices/identity.js'
import { BusinessError } from '../server/responses.js'
import type { EmulatorContext } from '../server/context.js'
import { gmt, utc } from './device-time.js'
import { checkProduct, type OperationCall } from './operation.js'
import { invalidPage, pageParam } from './paging.js'

/** QueryDevice's documented paging: PageSize ≤ 50 (default 10), CurrentPage from 1. */
export const QUERY_DEVICE_LIMITS = {
  pageSize: 50,
  defaults: { page: 1, size: 10 },
  /** Past PageSize × CurrentPage = 10,000 only a NextToken gets data. */
  withoutToken: 10_000,
  /** With one, PageSize × CurrentPage stays below 1,000,000. */
  withToken: 1_000_000,
  /** From CurrentPage × PageSize = 100,000 on, the call is limited to 2 per second. */
  deepRows: 100_000
} as const

/** A NextToken: the offset of the next row, bound to the product by a MAC, opaque to the caller. */
function tokenFor(context: EmulatorContext, productKey: string, offset: number): string {
  const mac = createHmac('sha256', context.jobs.fleet.salt).update(`${productKey}\n${offset}`).digest('hex').slice(0, 16)
  return Buffer.from(`${offset}.${mac}`).toString('base64url')
}

/** The offset a NextToken carries; refused when it was not issued for this product. */
function offsetOf(context: EmulatorContext, productKey: string, token: string): number {
  const [offset = '', mac] = Buffer.from(token, 'base64url').toString('utf8').split('.')
  const n = /^\d{1,9}$/.test(offset) ? Number(offset) : NaN
  if (Number.isNaN(n) || mac === undefined || tokenFor(context, productKey, n) !== token) {
    throw new BusinessError(
      'iot.check.InvalidFormattedParameter',
      'The NextToken is invalid: pass the one the previous page answered, for the same ProductKey.'
    )
  }
  return n
}

function deviceInfo(context: EmulatorContext, device: Device, count: number, now: number): Record<string, unknown> {
  const created = registeredAt(device, count, context.jobs.clock.origin)
  return {
    DeviceName: device.name,
    IotId: iotIdOf(device),
    ProductKey: device.productKey,
    Nickname: device.nickname,
    DeviceStatus: context.jobs.presenceOf(device, now).status,
    DeviceSecret: deviceSecretOf(device, context.jobs.fleet.salt),
    GmtCreate: gmt(created),
    GmtModified: gmt(created),
    UtcCreate: utc(created),
    UtcModified: utc(created)
  }
}

/**
 * QueryDevice: a product's devices, newest first, a page at a time. Without a NextToken nothing is
 * answered past row 10,000; with one, it must continue from the page before CurrentPage (strict
 * reading: a token from another page or product is refused).
 */
export function queryDevice({ params, now, context }: OperationCall): Record<string, unknown> {
  const productKey = params.required('ProductKey')
  checkProduct(context, productKey)
  const { defaults } = QUERY_DEVICE_LIMITS
  const page = pageParam(params, 'CurrentPage', Number.MAX_SAFE_INTEGER, defaults.page)
  const size = pageParam(params, 'PageSize', QUERY_DEVICE_LIMITS.pageSize, defaults.size)
  const token = params.optional('NextToken')
  const from = (page - 1) * size
  if (token !== undefined) {
    if (page * size >= QUERY_DEVICE_LIMITS.withToken) throw invalidPage('CurrentPage', String(page))
    if (offsetOf(context, productKey, token) !== from) {
      throw new BusinessError('iot.common.InvalidPageParams', 'The NextToken does not continue from the page before CurrentPage with this PageSize.')
    }
  }
  const devices = context.jobs.fleet.devices(productKey)
  const total = devices.length
  const served = token !== undefined || page * size <= QUERY_DEVICE_LIMITS.withoutToken
  const to = served ? Math.min(from + size, total) : from
  const rows: Record<string, unknown>[] = []
  // Newest first: the last registered device is row 0.
  for (let row = from; row < to; row++) rows.push(deviceInfo(context, devices[total - 1 - row] as Device, total, now))
  return {
    Page: page,
    PageSize: size,
    PageCount: Math.ceil(total / size),
    Total: total,
    NextToken: served && to < total ? tokenFor(context, productKey, to) : '',
    Data: { DeviceInfo: rows }
  }
}
