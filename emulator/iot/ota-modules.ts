import type { EmulatorContext } from '../server/context.js'
import { checkProduct, type OperationCall } from './operation.js'
import { CUSTOM_MODULES_MAX, fitsModuleDesc, isAliasName, isModuleName } from './documented-rules.js'
import { BusinessError } from '../server/responses.js'
import { invalidFormat } from './rpc-params.js'
import type { OtaModuleRecord } from '../state/store.js'

/** Module times read like `2020-10-13T09:46Z`. */
function minuteTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16)}Z`
}

/**
 * A product's modules: `default` (the whole-device firmware) first, then those configured, then
 * those CreateOTAModule added.
 */
function productModules(context: EmulatorContext, productKey: string): OtaModuleRecord[] {
  const started = minuteTime(context.startedAt)
  const configured = (context.settings.modules.get(productKey) ?? []).map((name) => ({
    ModuleName: name,
    ProductKey: productKey,
    GmtCreate: started,
    GmtModified: started
  }))
  return [
    { ModuleName: 'default', ProductKey: productKey, GmtCreate: started, GmtModified: started },
    ...configured,
    ...(context.store.modules.get(productKey) ?? [])
  ]
}

/** The names of a product's modules, `default` first. */
export function moduleNamesOf(context: EmulatorContext, productKey: string): string[] {
  return productModules(context, productKey).map((m) => m.ModuleName)
}

/** Whether the product has this module (names as given; `default` always). */
export function hasModule(context: EmulatorContext, productKey: string | undefined, moduleName: string): boolean {
  if (moduleName === 'default') return true
  return productKey !== undefined && productModules(context, productKey).some((m) => m.ModuleName === moduleName)
}

export function listOtaModuleByProduct({ params, context }: OperationCall): Record<string, unknown> {
  const productKey = params.required('ProductKey')
  checkProduct(context, productKey)
  return { Data: productModules(context, productKey) }
}

export function createOtaModule({ params, now, context }: OperationCall): Record<string, unknown> {
  const moduleName = params.required('ModuleName')
  const productKey = params.required('ProductKey')
  if (!isModuleName(moduleName)) throw new BusinessError('iot.ota.InvalidOtaModuleName', 'The ModuleName is invalid.')
  const aliasName = params.optional('AliasName')
  if (aliasName !== undefined && !isAliasName(aliasName)) throw invalidFormat('AliasName', aliasName)
  const desc = params.optional('Desc')
  if (desc !== undefined && !fitsModuleDesc(desc)) throw invalidFormat('Desc', desc)
  checkProduct(context, productKey)
  const modules = context.store.modules.get(productKey) ?? []
  const lower = moduleName.toLowerCase()
  const existing = productModules(context, productKey)
  if (existing.some((m) => m.ModuleName.toLowerCase() === lower)) {
    throw new BusinessError('iot.ota.AlreadyExistedOtaModuleName', `The OTA module ${moduleName} already exists in the product.`)
  }
  if (existing.length - 1 >= CUSTOM_MODULES_MAX) {
    throw new BusinessError('iot.ota.OtaModuleExceedLimit', `A product has at most ${CUSTOM_MODULES_MAX} custom OTA modules.`)
  }
  const time = minuteTime(now)
  modules.push({ ModuleName: moduleName, ProductKey: productKey, AliasName: aliasName, Desc: desc, GmtCreate: time, GmtModified: time })
  context.store.modules.set(productKey, modules)
  return {}
}
