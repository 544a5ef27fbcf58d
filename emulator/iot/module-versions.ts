import { iotIdOf } from '../devices/identity.js'
import { readOneDevice } from './device-lookup.js'
import type { OperationCall } from './operation.js'
import { moduleNamesOf } from './ota-modules.js'
import { pageFields, pageParam } from './paging.js'

/** ListOTAModuleVersionsByDevice's documented largest page. */
const PAGE_SIZE_MAX = 200

/**
 * ListOTAModuleVersionsByDevice: the version the device reports on each module, one row per
 * module: `default`, its product's modules, and any other it has a version or a task on. A `rollback`
 * device shows its old version again once it rolled back.
 */
export function listOtaModuleVersionsByDevice({ params, now, context }: OperationCall): Record<string, unknown> {
  const page = pageParam(params, 'CurrentPage', Number.MAX_SAFE_INTEGER)
  const size = pageParam(params, 'PageSize', PAGE_SIZE_MAX)
  const device = readOneDevice(params, context)
  const { book } = context.jobs
  const modules = new Set([...moduleNamesOf(context, device.productKey), ...Object.keys(device.versions), ...book.tasksOf(device).map((t) => t.moduleName)])
  const rows = [...modules].map((ModuleName) => ({
    ModuleName,
    ModuleVersion: book.versionAt(device, ModuleName, now),
    DeviceName: device.name,
    IotId: iotIdOf(device),
    ProductKey: device.productKey
  }))
  return { ...pageFields(page, size, rows.length), Data: { SimpleOTAModuleInfo: rows.slice((page - 1) * size, page * size) } }
}
