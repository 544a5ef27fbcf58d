import type { Credentials } from '../inputs.js'

/** Which gateway answers: Alibaba's IoT Platform, or the marketplace (Tuya-hosted) variant. */
export type ApiVariant = 'alibaba' | 'marketplace'

/**
 * The connection inputs every action shares (`access-key-id` … `request-timeout-seconds`), read
 * and validated by the same parser as the publish action's, so verify and rollout take it ready-made.
 */
export interface Connection {
  readonly credentials: Credentials
  readonly regionId: string
  /** Base URL of the IoT API. */
  readonly endpoint: string
  readonly iotInstanceId?: string
  readonly apiVariant: ApiVariant
  readonly maxAttempts: number
  readonly requestTimeoutMs: number
}
