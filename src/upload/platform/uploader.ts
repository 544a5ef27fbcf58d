import type { SignMethod } from '../../platform/rules.js'
import type { Artifact } from '../../files/artifact.js'
import type { IotApi } from '../../platform/client.js'
import type { UploadTicket } from '../../platform/models.js'
import type { PostObjectResult } from './post-object.js'
import type { FirmwareUploader } from '../uploader.js'

export interface PlatformUploadDeps {
  iot: IotApi
  /** Sends the file with OSS PostObject using the ticket's form fields. */
  post: (ticket: UploadTicket, artifact: Artifact, signMethods: readonly SignMethod[]) => Promise<PostObjectResult>
  debug: (message: string) => void
}

/** What the platform upload does; also said by dry runs without credentials, which have no uploader. */
export function describePlatformUpload(artifact: Artifact | undefined): string {
  return `Would call GenerateOTAUploadURL with \`FileSuffix=${artifact?.suffix ?? 'bin'}\` and upload ${artifact?.displayPath ?? 'the file'} to the platform's bucket with PostObject.`
}

/**
 * `upload-mode: platform`: GenerateOTAUploadURL, then PostObject to the platform's bucket. Each
 * attempt asks for a fresh form, since its policy is valid for one minute only.
 */
export function createPlatformUploader(deps: PlatformUploadDeps): FirmwareUploader {
  return {
    label: 'Upload',
    describe: async (artifact) => describePlatformUpload(artifact),
    async upload(artifact, signMethods) {
      if (artifact === undefined) throw new Error('the platform upload needs the firmware file')
      const ticket = await deps.iot.generateUploadUrl(artifact.suffix)
      deps.debug(`GenerateOTAUploadURL: key ${ticket.Key}, host ${ticket.Host}`)
      const result = await deps.post(ticket, artifact, signMethods)
      return {
        firmwareUrl: ticket.FirmwareUrl,
        size: result.size,
        digests: result.digests,
        // The platform offers no call to delete an upload; it removes unregistered ones itself.
        leftBehind: `${ticket.FirmwareUrl} was uploaded but not registered; the platform deletes uploads not registered within 60 minutes.`
      }
    }
  }
}
