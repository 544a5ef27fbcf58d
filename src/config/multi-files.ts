/**
 * `multi-files`: one package of every file `files` matches (CreateOTAFirmware's MultiFiles). What it
 * cannot go with is refused here, before any request.
 */
import { DEFAULTS, INPUT } from '../contract/names.js'
import { invalidInput } from '../contract/action-error.js'
import { usesPlaceholder } from '../upload/oss/key.js'
import type { ApiVariant } from './connection.js'
import { type InputReader, readBoolean } from './readers.js'
import type { UploadSettings } from './upload-settings.js'

/**
 * `url` mode registers one URL, uploaded elsewhere, where a package of several files needs one per
 * file; the marketplace's CreateOTAFirmware has no MultiFiles; an `oss-key` without `{file}` would
 * put every file at the same key.
 */
export function readMultiFiles(read: InputReader, apiVariant: ApiVariant, upload: UploadSettings): boolean {
  if (!readBoolean(read, INPUT.multiFiles, DEFAULTS.multiFiles)) return false
  if (upload.mode === 'url') {
    throw invalidInput(
      INPUT.multiFiles,
      'true',
      `cannot go with '${INPUT.uploadMode}: url', which registers the one file '${INPUT.firmwareUrl}' names; each file of the package needs its own upload`,
      `Use '${INPUT.uploadMode}: platform' or '${INPUT.uploadMode}: oss' to upload the files, or publish a single file with '${INPUT.uploadMode}: url'.`
    )
  }
  if (apiVariant === 'marketplace') {
    throw invalidInput(
      INPUT.multiFiles,
      'true',
      `marketplace instances ('${INPUT.apiVariant}: marketplace') take packages of one file only: their CreateOTAFirmware has no MultiFiles`,
      `Publish each file as a package of its own (a module each, '${INPUT.moduleName}'), or pack the files into one archive.`
    )
  }
  if (upload.mode === 'oss' && !usesPlaceholder(upload.oss.keyTemplate, 'file')) {
    throw invalidInput(
      INPUT.ossKey,
      upload.oss.keyTemplate,
      `must use {file} with '${INPUT.multiFiles}: true': each file of the package goes to its own object key`,
      `Add {file}, e.g. ota/{module}/{version}/{file} (the default).`
    )
  }
  return true
}
