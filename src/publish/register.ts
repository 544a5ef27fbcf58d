import { leftOutcomeUnknown, type IotApi } from '../platform/client.js'
import type { CreateFirmwareParams, CreatedFirmware } from '../platform/models.js'
import type { Plan } from '../plan/plan.js'
import type { UploadedFirmware } from '../upload/uploader.js'
import { releaseUpload } from '../upload/release.js'
import { findSamePackages, sameModule } from './existing.js'
import type { Logger } from '../contract/logger.js'
import type { PublishResult } from './publish.js'
import { explainQuotaRefusal } from './quota.js'

interface Creation {
  iot: IotApi
  plan: Plan
  /** CreateOTAFirmware's parameters, the files' included. */
  params: CreateFirmwareParams
  /** What the run put in place for them, released when no package will refer to it. */
  uploads: readonly UploadedFirmware[]
  log: Logger
}

/**
 * CreateOTAFirmware, retried; after an attempt whose outcome is unknown, the package is looked for
 * before the create is sent again, so one publish never makes two. When it fails for good, what was
 * uploaded for it is released (removed, or said to stay).
 */
export async function createPackage(creation: Creation): Promise<CreatedFirmware> {
  const { iot, params, uploads, log } = creation
  return log
    .group('Register', () => iot.createFirmware(params, () => findCreated(creation)))
    .catch(async (err: unknown) => {
      const unsure = leftOutcomeUnknown(err)
      for (const uploaded of uploads) await releaseUpload(uploaded, unsure, log, 'registering it failed')
      throw explainQuotaRefusal(err)
    })
}

/** The package a CreateOTAFirmware whose answer was lost made: FirmwareName is unique per account. */
async function findCreated({ iot, plan }: Pick<Creation, 'iot' | 'plan'>): Promise<CreatedFirmware | undefined> {
  const mine = (await iot.listFirmware(plan.productKey, plan.destVersion)).find((row) => row.FirmwareName === plan.firmwareName && sameModule(row, plan))
  return mine && { FirmwareId: mine.FirmwareId, UtcCreate: mine.UtcCreate ?? '' }
}

interface Registration {
  iot: IotApi
  plan: Plan
  uploaded: UploadedFirmware
  params: CreateFirmwareParams
  log: Logger
}

/** Registers the one file uploaded, as FirmwareUrl with its size and digest. */
export async function register(reg: Registration): Promise<PublishResult> {
  const { plan, uploaded } = reg
  // Size and digest unknown (`url` mode without a file) are left out: the platform fills them in.
  const params: CreateFirmwareParams = {
    ...reg.params,
    FirmwareUrl: uploaded.firmwareUrl,
    FirmwareSign: uploaded.digests[plan.signMethod],
    FirmwareSize: uploaded.size
  }
  const created = await createPackage({ ...reg, params, uploads: [uploaded] })
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
