import type { SignMethod } from '../../platform/rules.js'
import type { Artifact } from '../../files/artifact.js'
import { INPUT } from '../../contract/names.js'
import type { Digests } from '../../files/digest.js'
import { ActionError } from '../../contract/action-error.js'
import type { FirmwareUploader } from '../uploader.js'
import type { RegisteredUrl } from '../../config/upload-settings.js'

interface UrlRegistrationDeps {
  signMethod: SignMethod
  digestFile: (path: string, methods: readonly SignMethod[]) => Promise<{ size: number; digests: Digests }>
}

/**
 * `upload-mode: url`: nothing is uploaded, `firmware-url` is registered as given. With a local file
 * its size and digest are computed (and must agree with `firmware-size`/`firmware-sign` when those
 * are set too); without one, the declared values are sent, or left to the platform.
 */
export function createUrlRegistration(source: RegisteredUrl, deps: UrlRegistrationDeps): FirmwareUploader {
  const declaredDigests: Digests = source.sign === undefined ? {} : { [deps.signMethod]: source.sign }
  return {
    label: `Register ${source.firmwareUrl} (nothing to upload)`,
    firmwareUrl: source.firmwareUrl,
    declared: { size: source.size, digests: declaredDigests },
    describe: async () => `Would register ${source.firmwareUrl} as given: nothing is uploaded.`,
    async upload(artifact: Artifact | undefined, signMethods: readonly SignMethod[]) {
      if (artifact === undefined) return { firmwareUrl: source.firmwareUrl, size: source.size, digests: declaredDigests }
      const local = await deps.digestFile(artifact.path, signMethods)
      if (source.size !== undefined && source.size !== local.size) {
        throw new ActionError(`Input '${INPUT.firmwareSize}' is ${source.size}, but ${artifact.displayPath} has ${local.size} bytes.`, {
          input: INPUT.firmwareSize,
          hint: `Point '${INPUT.files}' at the file behind '${INPUT.firmwareUrl}', or drop '${INPUT.firmwareSize}' (the file's size is used).`
        })
      }
      const sign = local.digests[deps.signMethod]
      if (source.sign !== undefined && source.sign !== sign) {
        throw new ActionError(`Input '${INPUT.firmwareSign}' is ${source.sign}, but ${artifact.displayPath} has ${deps.signMethod} ${sign ?? '?'}.`, {
          input: INPUT.firmwareSign,
          hint: `Point '${INPUT.files}' at the file behind '${INPUT.firmwareUrl}', or drop '${INPUT.firmwareSign}' (the file's digest is used).`
        })
      }
      return { firmwareUrl: source.firmwareUrl, size: local.size, digests: local.digests }
    }
  }
}
