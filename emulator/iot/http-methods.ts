import { gatewayErrors } from '../server/responses.js'

/** An HTTP method an RPC operation may be called with. */
export type RpcMethod = 'GET' | 'POST'

const POST_GET: readonly RpcMethod[] = ['POST', 'GET']
const POST_ONLY: readonly RpcMethod[] = ['POST']
const GET_ONLY: readonly RpcMethod[] = ['GET']

/**
 * The methods Alibaba's OpenAPI metadata (`methods` of each operation's API description, the source
 * of its API pages) declares for the IoT operations the project uses, copied as data. An operation
 * that is not listed here is answered on GET and POST alike, as before.
 */
export const DECLARED_METHODS: ReadonlyMap<string, readonly RpcMethod[]> = new Map<string, readonly RpcMethod[]>([
  // Packages
  ['GenerateOTAUploadURL', POST_GET],
  ['CreateOTAFirmware', POST_GET],
  ['ListOTAFirmware', POST_GET],
  ['QueryOTAFirmware', POST_GET],
  ['DeleteOTAFirmware', POST_GET],
  ['ModifyOTAFirmware', POST_GET],
  // Modules
  ['ListOTAModuleByProduct', GET_ONLY],
  ['CreateOTAModule', POST_ONLY],
  ['UpdateOTAModule', POST_ONLY],
  ['DeleteOTAModule', POST_ONLY],
  ['ListOTAModuleVersionsByDevice', POST_GET],
  // Jobs and tasks
  ['CreateOTAVerifyJob', POST_GET],
  ['CreateOTAStaticUpgradeJob', POST_GET],
  ['CreateOTADynamicUpgradeJob', POST_GET],
  ['QueryOTAJob', POST_GET],
  ['ListOTATaskByJob', POST_GET],
  ['ListOTAJobByFirmware', POST_GET],
  ['ListOTAJobByDevice', POST_GET],
  ['ListOTAUnfinishedTaskByDevice', POST_GET],
  ['UpdateOTAJob', POST_GET],
  ['CancelOTATaskByJob', POST_GET],
  ['CancelOTAStrategyByJob', POST_GET],
  ['CancelOTATaskByDevice', POST_GET],
  ['ReupgradeOTATask', POST_ONLY],
  ['ConfirmOTATask', POST_ONLY],
  // Devices and groups
  ['GenerateDeviceNameListURL', POST_GET],
  ['QueryDevice', POST_GET],
  ['QueryDeviceDetail', POST_GET],
  ['BatchQueryDeviceDetail', POST_GET],
  ['BatchGetDeviceState', POST_GET],
  ['QueryDeviceGroupList', POST_GET]
])

/** Whether Alibaba's gateway takes this method for this operation (undeclared operations: GET and POST). */
export function acceptsMethod(action: string, method: string): boolean {
  const declared = DECLARED_METHODS.get(action) ?? POST_GET
  return declared.includes(method as RpcMethod)
}

/** Refuses, as the gateway does, a method the operation's metadata does not declare. */
export function checkDeclaredMethod(action: string, method: string): void {
  if (!acceptsMethod(action, method)) throw gatewayErrors.unsupportedMethod()
}
