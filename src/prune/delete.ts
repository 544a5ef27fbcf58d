/** One DeleteOTAFirmware, safe to send: looked up after a lost answer, and a package already gone counts as deleted. */
import type { IotApi, Lookup } from '../platform/client.js'
import { DELETED } from '../platform/operations.js'
import { codeOf, FIRMWARE_NOT_FOUND, learnJobs, type Knowledge } from './facts.js'

/** How the platform refuses to delete a package a job still uses (the emulator's reading; the documentation is silent). */
const ILLEGAL_REQUEST = 'iot.system.IllegalRequest'

/** After a delete whose answer was lost: it took effect if QueryOTAFirmware no longer finds the package. */
export function goneLookup(firmwareId: string, api: Pick<IotApi, 'queryFirmware'>): Lookup<typeof DELETED> {
  return async () => {
    try {
      await api.queryFirmware(firmwareId)
      return undefined
    } catch (error) {
      if (codeOf(error) === FIRMWARE_NOT_FOUND) return DELETED
      throw error
    }
  }
}

/**
 * Deletes the package: `deleted`, or `gone` when it was no longer there (another run or a person
 * was first: what the policy wanted is done). A refusal because a job started since its jobs were
 * read leaves it `running`, kept; any other failure is thrown.
 */
export async function deletePackage(
  firmwareId: string,
  known: Knowledge,
  api: Pick<IotApi, 'deleteFirmware' | 'queryFirmware' | 'listJobsByFirmware'>
): Promise<'deleted' | 'gone' | 'running'> {
  try {
    await api.deleteFirmware(firmwareId, goneLookup(firmwareId, api))
    return 'deleted'
  } catch (error) {
    const code = codeOf(error)
    if (code === FIRMWARE_NOT_FOUND) return 'gone'
    if (code !== ILLEGAL_REQUEST) throw error
    const jobs = await learnJobs(firmwareId, known, api)
    if (jobs === 'idle') throw error
    return jobs
  }
}
