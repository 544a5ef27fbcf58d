import type { CreateFirmwareParams } from '../platform/client.js'
import type { Plan } from '../plan/plan.js'

/** CreateOTAFirmware's parameters that come from the plan alone. */
export function baseParams(plan: Plan): Omit<CreateFirmwareParams, 'FirmwareUrl'> {
  return {
    ProductKey: plan.productKey,
    DestVersion: plan.destVersion,
    FirmwareName: plan.firmwareName,
    SignMethod: plan.signMethod,
    ModuleName: plan.moduleName || undefined,
    FirmwareDesc: plan.firmwareDesc,
    Udi: plan.udi,
    NeedToVerify: plan.needToVerify,
    Type: plan.type,
    SrcVersion: plan.srcVersion
  }
}
