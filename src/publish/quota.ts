/**
 * The account's package quota, read before anything is uploaded: an account holds at most 500 OTA
 * packages (input `package-quota`), and once it is full every publish fails after its upload.
 */
import { ActionError } from '../contract/action-error.js'
import { INPUT } from '../contract/names.js'
import type { Logger } from '../contract/logger.js'
import type { IotApi } from '../platform/client.js'
import { QUOTA_HINT } from '../platform/remediations.js'

/** From this share of the quota (in tenths) a publish warns: time to prune before releases fail. */
const WARN_TENTHS = 9

/**
 * A refusal of CreateOTAFirmware that reads as the quota although its code is not the one known
 * (no source documents the code): the reference's advice is to classify by the words.
 */
const QUOTA_WORDS = /quota|(count|number)\b.{0,40}\b(exceed|limit|maximum)|上限/i

/**
 * ListOTAFirmware without ProductKey, one page: its Total is the account's count. At the quota a
 * new package would be refused after its upload: fail first (a dry run only warns). From 90 % on,
 * warn with the way out. A count the answer does not give is a warning, never a failed release.
 */
export async function checkQuota(iot: IotApi, quota: number, log: Logger, dryRun: boolean): Promise<void> {
  const count = await iot.countFirmware()
  if (count === undefined) {
    log.warning(`Could not read how many OTA packages the account holds (ListOTAFirmware answered no Total): '${INPUT.packageQuota}' was not checked.`)
    return
  }
  log.info(`The account holds ${count} OTA package(s); '${INPUT.packageQuota}' is ${quota}.`)
  if (count >= quota) {
    const message = `The account holds ${count} OTA packages, and '${INPUT.packageQuota}' is ${quota}: the platform would refuse a new package`
    if (!dryRun) throw new ActionError(`${message}, so nothing was uploaded.`, { hint: QUOTA_HINT })
    log.warning(`${message}: a real run would fail before uploading. ${QUOTA_HINT}`)
    return
  }
  if (count * 10 >= quota * WARN_TENTHS) {
    log.warning(
      `The account holds ${count} of its ${quota} OTA packages (${Math.floor((count * 100) / quota)} %): at ${quota} every publish fails. ${QUOTA_HINT}`
    )
  }
}

/** The platform's own quota refusal, whatever its code, explained as the check above explains it. */
export function explainQuotaRefusal(error: unknown): unknown {
  if (!(error instanceof ActionError) || error.code === undefined || error.hint === QUOTA_HINT) return error
  if (!QUOTA_WORDS.test(`${error.code} ${error.message}`)) return error
  return new ActionError(error.message, { code: error.code, hint: QUOTA_HINT, cause: error })
}
