import type { CreateFirmwareParams } from '../platform/models.js'
import type { Plan } from '../plan/plan.js'
import { moduleParam } from '../platform/rules.js'

/** CreateOTAFirmware's parameters that come from the plan alone (the files' come from the upload). */
export function baseParams(plan: Plan): CreateFirmwareParams {
  return {
    ProductKey: plan.productKey,
    DestVersion: plan.destVersion,
    FirmwareName: plan.firmwareName,
    SignMethod: plan.signMethod,
    ModuleName: moduleParam(plan.moduleName),
    FirmwareDesc: plan.firmwareDesc,
    Udi: plan.udi,
    NeedToVerify: plan.needToVerify,
    Type: plan.type,
    SrcVersion: plan.srcVersion
  }
}
