import type { SignMethod } from '../platform/rules.js'
import type { Artifact } from '../files/artifact.js'
import type { Digests } from '../files/digest.js'

/** Where the firmware ended up, and what is known of it, for CreateOTAFirmware. */
export interface UploadedFirmware {
  /** FirmwareUrl to register. */
  readonly firmwareUrl: string
  /** Bytes; undefined means unknown, and FirmwareSize is left to the platform. */
  readonly size?: number
  /** Lower-case hex by method; a missing method means FirmwareSign is left to the platform. */
  readonly digests: Digests
  /**
   * Removes what this run uploaded, once registration has failed for good (no package can refer
   * to it). Absent when the run wrote nothing (the object was there already, or nothing uploads).
   */
  readonly discard?: () => Promise<void>
  /** What stays behind, said aloud, when registration fails and nothing can be discarded. */
  readonly leftBehind?: string
}

/**
 * Puts the firmware where the platform will fetch it: the platform's own bucket, the user's bucket
 * or nowhere (`upload-mode` platform, oss, url). `publishFirmware` retries `upload` on transient
 * failures, so one call is one attempt.
 */
export interface FirmwareUploader {
  /** The log group and retry messages name the step after this, e.g. `Upload to oss://bucket/key`. */
  readonly label: string
  /** The FirmwareUrl the upload will produce, when known beforehand (shown by dry runs). */
  readonly firmwareUrl?: string
  /** What the inputs declare about a file that is not at hand (`url` mode without `files`). */
  readonly declared?: { readonly size?: number; readonly digests: Digests }
  upload(artifact: Artifact | undefined, signMethods: readonly SignMethod[]): Promise<UploadedFirmware>
  /** What `upload` would do, found out without writing anything (dry runs): one or two sentences. */
  describe(artifact: Artifact | undefined): Promise<string>
}
