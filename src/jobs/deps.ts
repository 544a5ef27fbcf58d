import type { IotApi } from '../platform/client.js'
import type { DeviceListTicket } from '../platform/models.js'
import type { Logger } from '../contract/logger.js'
import type { Clock, PollPacing } from './poll.js'

/** What the verify and rollout steps need from the outside, injected so tests fake it. */
export interface JobDeps {
  /** The IoT client: every call paced and retried by its kind; creates sent once. */
  readonly api: IotApi
  readonly clock: Clock
  /** How long one of the platform's minutes lasts: 60,000 ms, or the emulator's scaled minute. */
  readonly minuteMs: number
  readonly pacing: PollPacing
  readonly log: Logger
  /** Told the job's id as soon as it is known (created or found), so a failure later can still name it. */
  readonly onJob?: (jobId: string) => void
  /** Uploads a device-list file with the one-minute form of GenerateDeviceNameListURL (PostObject). */
  readonly postDeviceList: (ticket: DeviceListTicket, csv: Buffer) => Promise<void>
  /** The text of a file of the workspace (`fleet-file`), by its path relative to the workspace. */
  readonly readWorkspaceFile: (path: string) => Promise<string>
}
