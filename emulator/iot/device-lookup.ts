import type { Device } from '../devices/fleet.js'
import type { EmulatorContext } from '../server/context.js'
import { BusinessError } from '../server/responses.js'
import { checkProduct } from './operation.js'
import type { RpcParams } from './rpc-params.js'

const deviceErrors = {
  notFound: (which: string) => new BusinessError('iot.device.NotExistedDevice', `The device does not exist: ${which}.`),
  noDevice: () => new BusinessError('iot.check.NullParameter', 'Name the device: ProductKey and DeviceName, or IotId.'),
  illegal: (message: string) => new BusinessError('iot.system.IllegalRequest', message)
}

function byName(context: EmulatorContext, productKey: string, name: string): Device {
  const device = context.jobs.fleet.device(productKey, name)
  if (!device) throw deviceErrors.notFound(`${productKey}/${name}`)
  return device
}

function byIotId(context: EmulatorContext, iotId: string): Device {
  const device = context.jobs.fleet.deviceByIotId(iotId)
  if (!device) throw deviceErrors.notFound(iotId)
  return device
}

/** ProductKey + DeviceName, or IotId (which wins when both are given), as the per-device reads take them. */
export function readOneDevice(params: RpcParams, context: EmulatorContext): Device {
  const iotId = params.optional('IotId')
  if (iotId !== undefined) return byIotId(context, iotId)
  const productKey = params.optional('ProductKey')
  const name = params.optional('DeviceName')
  if (productKey === undefined || name === undefined) throw deviceErrors.noDevice()
  checkProduct(context, productKey)
  return byName(context, productKey, name)
}

/** A list without duplicates, of at most `max` entries. */
function distinct(params: RpcParams, name: string, max: number): string[] {
  const values = params.list(name)
  if (values.length > max) throw deviceErrors.illegal(`At most ${max} ${name}.N are allowed.`)
  if (new Set(values).size !== values.length) throw deviceErrors.illegal(`${name}.N lists a value twice.`)
  return values
}

/**
 * ProductKey + DeviceName.N (one product), or IotId.N (which wins when both are given), at most
 * `max`, in the order given. An unknown device refuses the whole call (strict reading).
 */
export function readDeviceList(params: RpcParams, context: EmulatorContext, max: number): Device[] {
  const iotIds = distinct(params, 'IotId', max)
  if (iotIds.length > 0) return iotIds.map((iotId) => byIotId(context, iotId))
  const names = distinct(params, 'DeviceName', max)
  const productKey = params.optional('ProductKey')
  if (names.length === 0 || productKey === undefined) throw deviceErrors.noDevice()
  checkProduct(context, productKey)
  return names.map((name) => byName(context, productKey, name))
}
