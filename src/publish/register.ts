import { leftOutcomeUnknown, type IotApi } from '../platform/client.js'
import type { CreateFirmwareParams, CreatedFirmware } from '../platform/models.js'
import { describeError } from '../contract/action-error.js'
import type { Plan } from '../plan/plan.js'
import type { UploadedFirmware } from '../upload/uploader.js'
import { findSamePackages, sameModule } from './existing.js'
import type { Logger } from '../contract/logger.js'
import type { PublishResult } from './publish.js'
import { explainQuotaRefusal } from './quota.js'

interface Registration {
  iot: IotApi
  plan: Plan
  uploaded: UploadedFirmware
  params: Omit<CreateFirmwareParams, 'FirmwareUrl'>
  log: Logger
}

/**
 * CreateOTAFirmware for the uploaded file, retried; after an attempt whose outcome is unknown, the
 * package is looked for before the create is sent again, so one publish never makes two.
 */
export async function register(reg: Registration): Promise<PublishResult> {
  const { plan, uploaded, log } = reg
  // Size and digest unknown (`url` mode without a file) are left out: the platform fills them in.
  const params: CreateFirmwareParams = {
    ...reg.params,
    FirmwareUrl: uploaded.firmwareUrl,
    FirmwareSign: uploaded.digests[plan.signMethod],
    FirmwareSize: uploaded.size
  }
  const created = await log
    .group('Register', () => reg.iot.createFirmware(params, () => findCreated(reg)))
    .catch(async (err: unknown) => {
      await cleanUp(uploaded, leftOutcomeUnknown(err), log)
      throw explainQuotaRefusal(err)
    })
  const { size, sign } = await readBack(reg, created)
  return {
    result: 'created',
    firmwareId: created.FirmwareId,
    utcCreate: created.UtcCreate,
    firmwareUrl: params.FirmwareUrl,
    size: size ?? 0,
    sign: sign ?? '',
    signMethod: plan.signMethod,
    createParams: params
  }
}

/** The package a CreateOTAFirmware whose answer was lost made: FirmwareName is unique per account. */
async function findCreated({ iot, plan }: Registration): Promise<CreatedFirmware | undefined> {
  const mine = (await iot.listFirmware(plan.productKey, plan.destVersion)).find((row) => row.FirmwareName === plan.firmwareName && sameModule(row, plan))
  return mine && { FirmwareId: mine.FirmwareId, UtcCreate: mine.UtcCreate ?? '' }
}

/**
 * Every attempt refused (a 4xx, a business error) means no package refers to the upload: remove it,
 * or say what stays. After an attempt whose outcome is unknown (no answer, or a 5xx: the platform
 * may have acted before it failed) the upload is kept.
 */
async function cleanUp(uploaded: UploadedFirmware, unsure: boolean, log: Logger): Promise<void> {
  if (uploaded.discard && !unsure) {
    await uploaded.discard().then(
      () => log.info(`Removed ${uploaded.firmwareUrl}, which this run uploaded, since registering it failed.`),
      (discardError: unknown) => log.warning(`Could not remove ${uploaded.firmwareUrl} after the failed registration: ${describeError(discardError)}`)
    )
  } else if (uploaded.discard) {
    log.warning(
      `Kept ${uploaded.firmwareUrl}: the outcome of a CreateOTAFirmware attempt is unknown (no answer came back, or the platform failed with a 5xx after it may have acted), so a package may refer to it.`
    )
  } else if (uploaded.leftBehind) {
    log.warning(uploaded.leftBehind)
  }
}

/** Size and digest left to the platform: read back what it registered, for the outputs. */
async function readBack({ iot, plan, uploaded, log }: Registration, created: CreatedFirmware): Promise<{ size?: number; sign?: string }> {
  let size = uploaded.size
  let sign = uploaded.digests[plan.signMethod]
  if (size !== undefined && sign !== undefined) return { size, sign }
  const row = (await findSamePackages(iot, plan).catch(() => [])).find((r) => r.FirmwareId === created.FirmwareId)
  if (row?.FirmwareSize !== undefined) size ??= Number(row.FirmwareSize)
  sign ??= row?.FirmwareSign?.toLowerCase()
  if (size === undefined || sign === undefined) log.warning(`Could not read back the size and digest the platform registered for ${created.FirmwareId}.`)
  return { size, sign }
}
