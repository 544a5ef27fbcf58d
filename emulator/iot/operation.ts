import type { EmulatorContext } from '../server/context.js'
import type { EmulatorAccount } from '../server/options.js'
import { BusinessError } from '../server/responses.js'
import type { RpcParams } from './rpc-params.js'
import type { FirmwareRecord } from '../state/store.js'

/** One authenticated IoT API call, as an operation sees it. */
export interface OperationCall {
  /** The RPC action called. */
  action: string
  params: RpcParams
  account: EmulatorAccount
  now: number
  context: EmulatorContext
}

/** Returns the answer's fields besides RequestId and Success; throws BusinessError or GatewayError. */
export type Operation = (call: OperationCall) => Record<string, unknown>

/** With a product list configured, other ProductKeys do not exist. */
export function checkProduct(context: EmulatorContext, productKey: string): void {
  const { products } = context.settings
  if (products && !products.has(productKey)) {
    throw new BusinessError('iot.prod.NotExistedProduct', `The product ${productKey} does not exist.`)
  }
}

/** The package a call's FirmwareId names; iot.ota.FirmwareNotFound when the account has none by that id. */
export function findFirmware(params: RpcParams, context: EmulatorContext): FirmwareRecord {
  const firmware = context.store.firmwares.get(params.required('FirmwareId'))
  if (!firmware) throw new BusinessError('iot.ota.FirmwareNotFound', 'The specified firmware does not exist.')
  return firmware
}
