import { FIRMWARE_DESC_MAX, SIGN_METHODS, SignMethod, UDI_MAX, isValidVersion, isValidModuleName } from '../platform/rules.js'
import { DEFAULTS, INPUT } from '../contract/names.js'
import { type ApiVariant, type Connection, parseConnection } from './connection.js'
import { readProductKey } from './product-key.js'
import { checkMaxLength, type Environment, type InputReader, optional, readBoolean, readEnum, readNumber } from './readers.js'
import { ActionError, invalidInput } from '../contract/action-error.js'
import { readUploadSettings, type UploadSettings } from './upload-settings.js'
import { readMultiFiles } from './multi-files.js'
import { BUILD_METADATA_POLICIES, type BuildMetadataPolicy, VERSION_FORMATS, type VersionFormat } from '../plan/version-grammar.js'

type ModuleMismatchPolicy = 'fail' | 'skip'
type PrereleasePolicy = 'allow' | 'skip' | 'fail' | 'verify'
type FirmwareType = 'full' | 'diff'
/** What to do when DestVersion already has a package with other content. */
export type VersionConflictPolicy = 'fail' | 'skip'

/** Everything the action was asked to do, read once and validated. */
export interface Inputs extends Connection {
  readonly productKey: string
  /** Undefined means "the module named in the tag, else the default module". */
  readonly moduleName?: string
  /** Glob patterns, one per line, relative to the workspace; empty only with `upload-mode: url`. */
  readonly files: readonly string[]
  /** One package of every file `files` matches (1 to 20); false: `files` matches exactly one. */
  readonly multiFiles: boolean
  /** Where the file goes before CreateOTAFirmware (`upload-mode` and the inputs of its mode). */
  readonly upload: UploadSettings
  readonly destVersion?: string
  /** Regular expression source; undefined means the built-in default. */
  readonly tagPattern?: string
  readonly versionFormat: VersionFormat
  readonly buildMetadata: BuildMetadataPolicy
  readonly tagFromSha: boolean
  readonly moduleMismatch: ModuleMismatchPolicy
  readonly prerelease: PrereleasePolicy
  /** Template; undefined means the built-in default. */
  readonly firmwareName?: string
  readonly firmwareDesc?: string
  readonly udi?: string
  readonly needToVerify: boolean
  readonly signMethod: SignMethod
  readonly firmwareType: FirmwareType
  readonly srcVersion?: string
  readonly onVersionConflict: VersionConflictPolicy
  readonly timeoutMs: number
  readonly dryRun: boolean
  /** Where to write the run's manifest; undefined means RUNNER_TEMP/ota-manifest-<module>.json. */
  readonly manifestPath?: string
  /** How many packages the account may hold: a publish warns from 90 % of it, and fails before uploading at it. */
  readonly packageQuota: number
}

/** Far above the documented 500: for an instance whose limit was raised, without letting a typo disable the check. */
const PACKAGE_QUOTA_MAX = 100_000

function readPatterns(read: InputReader, required: boolean): string[] {
  const patterns = read(INPUT.files)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  if (patterns.length === 0 && required) {
    throw new ActionError(`Input '${INPUT.files}' is empty: give the build artifact's path or a glob pattern.`, {
      input: INPUT.files,
      hint: 'For example `files: build/*.bin`.'
    })
  }
  return patterns
}

/** Which package: module, version and how it is derived from the tag. */
function readVersioning(read: InputReader) {
  const moduleName = optional(read, INPUT.moduleName)
  if (moduleName !== undefined && !isValidModuleName(moduleName)) {
    throw invalidInput(INPUT.moduleName, moduleName, 'must be 1 to 64 letters, digits, ".", "-" or "_" (empty for the default module)')
  }
  const destVersion = optional(read, INPUT.destVersion)
  if (destVersion !== undefined && !isValidVersion(destVersion)) {
    throw invalidInput(INPUT.destVersion, destVersion, 'DestVersion must be 1 to 64 letters, digits, ".", "-" or "_"')
  }
  return {
    moduleName,
    destVersion,
    tagPattern: read(INPUT.tagPattern).trim() || undefined,
    versionFormat: readEnum<VersionFormat>(read, INPUT.versionFormat, VERSION_FORMATS, DEFAULTS.versionFormat),
    buildMetadata: readEnum<BuildMetadataPolicy>(read, INPUT.buildMetadata, BUILD_METADATA_POLICIES, DEFAULTS.buildMetadata),
    tagFromSha: readBoolean(read, INPUT.tagFromSha, DEFAULTS.tagFromSha),
    moduleMismatch: readEnum<ModuleMismatchPolicy>(read, INPUT.moduleMismatch, ['fail', 'skip'], DEFAULTS.moduleMismatch),
    prerelease: readEnum<PrereleasePolicy>(read, INPUT.prerelease, ['allow', 'skip', 'fail', 'verify'], DEFAULTS.prerelease)
  }
}

/** What CreateOTAFirmware is told about the package besides its file. */
function readPackage(read: InputReader, apiVariant: ApiVariant) {
  const firmwareDesc = optional(read, INPUT.firmwareDesc)
  checkMaxLength(INPUT.firmwareDesc, firmwareDesc, FIRMWARE_DESC_MAX)
  // Udi is free text pushed to devices: keep its inner whitespace and line breaks as written.
  const udiRaw = read(INPUT.udi)
  const udi = udiRaw.trim() === '' ? undefined : udiRaw
  checkMaxLength(INPUT.udi, udi, UDI_MAX)
  const firmwareType = readEnum<FirmwareType>(read, INPUT.firmwareType, ['full', 'diff'], DEFAULTS.firmwareType)
  refuseOnMarketplace(
    apiVariant,
    firmwareType === 'diff',
    INPUT.firmwareType,
    firmwareType,
    'take full packages only (Type 0)',
    `Remove '${INPUT.firmwareType}' and '${INPUT.srcVersion}', or publish the full image.`
  )
  const srcVersion = optional(read, INPUT.srcVersion)
  if (srcVersion !== undefined && !isValidVersion(srcVersion)) {
    throw invalidInput(INPUT.srcVersion, srcVersion, 'SrcVersion must be 1 to 64 letters, digits, ".", "-" or "_"')
  }
  if (firmwareType === 'diff' && srcVersion === undefined) {
    throw new ActionError(`Input '${INPUT.srcVersion}' is required when '${INPUT.firmwareType}' is diff.`, {
      input: INPUT.srcVersion,
      hint: 'Set it to the version the devices run now, which the differential package applies to.'
    })
  }
  return {
    firmwareName: optional(read, INPUT.firmwareName),
    firmwareDesc,
    udi,
    needToVerify: readBoolean(read, INPUT.needToVerify, DEFAULTS.needToVerify),
    firmwareType,
    srcVersion
  }
}

/**
 * What the marketplace variant does not offer: differential packages ("supported later", its
 * CreateOTAFirmware page says) and the user's own bucket, which its instance keys cannot write.
 */
function refuseOnMarketplace(apiVariant: ApiVariant, refused: boolean, input: string, value: string, why: string, hint: string): void {
  if (apiVariant === 'marketplace' && refused) {
    throw invalidInput(input, value, `marketplace instances ('${INPUT.apiVariant}: marketplace') ${why}`, hint)
  }
}

/**
 * Without FirmwareSign the platform digests the file with MD5 whatever SignMethod says: a `url`
 * package under SHA256 needs its digest given, or the file to compute it from.
 */
function refuseUndigestedSha256(upload: UploadSettings, signMethod: SignMethod, files: readonly string[]): void {
  if (upload.mode !== 'url' || signMethod !== 'SHA256' || upload.url.sign !== undefined || files.length > 0) return
  throw new ActionError(
    `Input '${INPUT.firmwareSign}' is required with '${INPUT.uploadMode}: url' and '${INPUT.signMethod}: SHA256' when '${INPUT.files}' is empty.`,
    {
      input: INPUT.firmwareSign,
      hint: `Without FirmwareSign the platform computes an MD5 of the file, which a SHA256 package must not carry. Give the file's SHA256 in '${INPUT.firmwareSign}', or the file itself in '${INPUT.files}' to have it computed.`
    }
  )
}

/**
 * Reads and validates every input once. Throws an ActionError naming the input, the value seen and
 * what is allowed, before anything touches the network. Secrets are never quoted in messages.
 */
export function parseInputs(read: InputReader, env: Environment): Inputs {
  const dryRun = readBoolean(read, INPUT.dryRun, DEFAULTS.dryRun)
  const connection = parseConnection(read, env, dryRun)
  const productKey = readProductKey(read)
  const versioning = readVersioning(read)
  const pkg = readPackage(read, connection.apiVariant)
  const signMethod = readEnum<SignMethod>(read, INPUT.signMethod, SIGN_METHODS, DEFAULTS.signMethod)
  // With `upload-mode: url` the file is optional: it only supplies the size and digest.
  const upload = readUploadSettings(read, connection.regionId, signMethod)
  refuseOnMarketplace(
    connection.apiVariant,
    upload.mode === 'oss',
    INPUT.uploadMode,
    upload.mode,
    'cannot use your own OSS bucket: their keys are not Alibaba Cloud keys',
    `Use '${INPUT.uploadMode}: platform' (the instance's own bucket), or upload in an earlier step and use '${INPUT.uploadMode}: url'.`
  )
  const multiFiles = readMultiFiles(read, connection.apiVariant, upload)
  const files = readPatterns(read, upload.mode !== 'url')
  refuseUndigestedSha256(upload, signMethod, files)
  return {
    ...connection,
    productKey,
    ...versioning,
    ...pkg,
    files,
    multiFiles,
    upload,
    signMethod,
    onVersionConflict: readEnum<VersionConflictPolicy>(read, INPUT.onVersionConflict, ['fail', 'skip'], DEFAULTS.onVersionConflict),
    timeoutMs: readNumber(read, INPUT.timeoutMinutes, DEFAULTS.timeoutMinutes, 0.05, 360, false) * 60_000,
    dryRun,
    manifestPath: optional(read, INPUT.manifestPath),
    packageQuota: readNumber(read, INPUT.packageQuota, DEFAULTS.packageQuota, 1, PACKAGE_QUOTA_MAX, true)
  }
}
