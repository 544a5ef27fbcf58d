import type { InputReader } from '../config/readers.js'
import type { Connection } from '../config/connection.js'
import { readDevices, readJobBasics, readWaitMinutes, type JobBasics } from '../jobs/job-inputs.js'
import { JOB_DEFAULTS, VERIFY_INPUT } from '../contract/names.js'
import { readBoolean } from '../config/readers.js'
import { VERIFY_DEVICES_MAX } from '../platform/job-rules.js'

/** Everything the verify action was asked to do, read once and validated. */
export interface VerifyInputs extends JobBasics {
  readonly connection: Connection
  /** 1 to 10 distinct DeviceNames of the product. */
  readonly devices: readonly string[]
  readonly timeoutInMinutes: number
  /** Follow the job until every device has finished; false: start it and report its id. */
  readonly wait: boolean
  /** How long to follow, in minutes. */
  readonly waitMinutes: number
}

/**
 * Reads and validates the verify inputs (the connection comes parsed). Throws an ActionError
 * naming the input, the value and what is allowed, before any request.
 */
export function parseVerifyInputs(read: InputReader, connection: Connection): VerifyInputs {
  const basics = readJobBasics(read)
  const timeoutInMinutes = basics.timeoutInMinutes ?? JOB_DEFAULTS.verifyTimeoutMinutes
  return {
    ...basics,
    connection,
    devices: readDevices(read, VERIFY_DEVICES_MAX, true),
    timeoutInMinutes,
    wait: readBoolean(read, VERIFY_INPUT.wait, JOB_DEFAULTS.wait),
    waitMinutes: readWaitMinutes(read, 1, timeoutInMinutes + JOB_DEFAULTS.verifyWaitMarginMinutes)
  }
}
