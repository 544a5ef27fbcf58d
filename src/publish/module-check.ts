import { ActionError } from '../contract/action-error.js'
import { INPUT } from '../contract/names.js'
import type { IotApi } from '../platform/client.js'
import { isPermissionDenied } from '../platform/remediations.js'
import { DEFAULT_MODULE } from '../platform/rules.js'
import type { Plan } from '../plan/plan.js'
import type { Logger } from '../contract/logger.js'

const createModule = (name: string): string => `create module ${name} for the product (IoT Platform console, or CreateOTAModule)`

/** What to change, by where the module came from: the tag's prefix is a module only by the tag pattern. */
function fixFor(plan: Plan, name: string): { input: string; hint: string } {
  if (plan.moduleSource === 'tag') {
    return {
      input: INPUT.tagPattern,
      hint:
        `The tag's prefix is read as the module. Tag without it (e.g. v${plan.destVersion}), set '${INPUT.moduleName}' to one of the product's modules, ` +
        `give a '${INPUT.tagPattern}' whose module group matches only real modules, or ${createModule(name)}.`
    }
  }
  return {
    input: INPUT.moduleName,
    hint: `Set '${INPUT.moduleName}' to one of the product's modules (empty for the default module), or ${createModule(name)} first.`
  }
}

function unknownModule(plan: Plan, name: string, known: readonly string[]): ActionError {
  const from = plan.moduleSource === 'tag' ? `from the tag ${plan.version.tag ?? ''}` : `input '${INPUT.moduleName}'`
  const has = known.length > 0 ? known.join(', ') : DEFAULT_MODULE
  const { input, hint } = fixFor(plan, name)
  return new ActionError(`OTA module '${name}' (${from}) does not exist in product ${plan.productKey}, which has: ${has}. Nothing was uploaded.`, {
    input,
    hint
  })
}

/**
 * Fails before anything is uploaded when the product lacks the module: CreateOTAFirmware would
 * refuse it only after the upload. The default module always exists. Without the right to list
 * modules the check is skipped with a warning (CreateOTAFirmware still tells). Returns what was
 * found, for the dry-run probe.
 */
export async function checkModule(iot: IotApi, plan: Plan, log: Pick<Logger, 'warning'>): Promise<string> {
  const name = plan.moduleName
  if (name === DEFAULT_MODULE) return `Module ${DEFAULT_MODULE}: every product has it.`
  try {
    const modules = await iot.listModules(plan.productKey)
    const known = modules.map((m) => m.ModuleName)
    if (known.includes(name)) return `ListOTAModuleByProduct: module ${name} exists in product ${plan.productKey}.`
    throw unknownModule(plan, name, known)
  } catch (err) {
    if (!(err instanceof ActionError && err.code !== undefined && isPermissionDenied(err.code))) throw err
    const line =
      `Could not check that module ${name} exists: ListOTAModuleByProduct was refused (${err.code}). Going on; ` +
      'CreateOTAFirmware refuses an unknown module, after the upload. Grant iot:ListOTAModuleByProduct to have it checked first.'
    log.warning(line)
    return line
  }
}
