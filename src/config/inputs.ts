import {
  FIRMWARE_DESC_MAX,
  SIGN_METHODS,
  SignMethod,
  UDI_MAX,
  charCount,
  isValidVersion
} from '../platform/rules.js'
import { CREDENTIAL_ENV, DEFAULTS, INPUT } from '../contract/names.js'
import { ActionError, invalidInput } from '../contract/action-error.js'
import { readUploadSettings, type UploadSettings } from './upload-settings.js'
import { BUILD_METADATA_POLICIES, BuildMetadataPolicy, VERSION_FORMATS, VersionFormat } from '../plan/version.js'

/** Reads one input by its action.yml name; returns '' when it is not set. */
export type InputReader = (name: string) => string
export type Environment = Readonly<Record<string, string | undefined>>

export interface Credentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** STS token (after OIDC role assumption); sent with every request. */
  readonly securityToken?: string
}

export type ModuleMismatchPolicy = 'fail' | 'skip'
export type PrereleasePolicy = 'allow' | 'skip' | 'fail' | 'verify'
export type FirmwareType = 'full' | 'diff'
/** What to do when DestVersion already has a package with other content. */
export type VersionConflictPolicy = 'fail' | 'skip'

/** Everything the action was asked to do, read once and validated. */
export interface Inputs {
  /** Absent only in a dry run without credentials. */
  readonly credentials?: Credentials
  readonly regionId: string
  /** Base URL of the IoT API, `https://iot.<region-id>.aliyuncs.com` unless `endpoint` is set. */
  readonly endpoint: string
  readonly iotInstanceId?: string
  readonly productKey: string
  /** '' means "the module named in the tag, else the default module". */
  readonly moduleName: string
  /** Glob patterns, one per line, relative to the workspace; empty only with `upload-mode: url`. */
  readonly files: readonly string[]
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
  readonly maxAttempts: number
  readonly timeoutMs: number
  readonly requestTimeoutMs: number
  readonly dryRun: boolean
  /** Where to write the run's manifest; undefined means RUNNER_TEMP/ota-manifest-<module>.json. */
  readonly manifestPath?: string
}

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']
const REGION_PATTERN = /^[a-z]{2}(-[a-z0-9]+)+$/
// Not documented as such; product keys and instance ids seen in the wild fit well inside this.
const PRODUCT_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
const INSTANCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
// CreateOTAModule's rule for module names.
const MODULE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/

function readBoolean(read: InputReader, name: string, fallback: boolean): boolean {
  const raw = read(name).trim()
  if (raw === '') return fallback
  if (TRUE_VALUES.includes(raw)) return true
  if (FALSE_VALUES.includes(raw)) return false
  throw invalidInput(name, raw, 'allowed values are true and false')
}

function readEnum<T extends string>(read: InputReader, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(name).trim()
  if (raw === '') return fallback
  const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase())
  if (found === undefined) throw invalidInput(name, raw, `allowed values are ${allowed.join(', ')}`)
  return found
}

function readNumber(read: InputReader, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  const raw = read(name).trim()
  if (raw === '') return fallback
  const value = Number(raw)
  const kind = integer ? 'a whole number' : 'a number'
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw invalidInput(name, raw, `must be ${kind} from ${min} to ${max}`)
  }
  return value
}

function optional(read: InputReader, name: string): string | undefined {
  const value = read(name).trim()
  return value === '' ? undefined : value
}

function readCredential(read: InputReader, env: Environment, name: string, envNames: readonly string[]): string | undefined {
  const fromInput = read(name).trim()
  if (fromInput !== '') return fromInput
  for (const envName of envNames) {
    const value = env[envName]?.trim()
    if (value) return value
  }
  return undefined
}

function readCredentials(read: InputReader, env: Environment, dryRun: boolean): Credentials | undefined {
  const accessKeyId = readCredential(read, env, INPUT.accessKeyId, CREDENTIAL_ENV.accessKeyId)
  const accessKeySecret = readCredential(read, env, INPUT.accessKeySecret, CREDENTIAL_ENV.accessKeySecret)
  const securityToken = readCredential(read, env, INPUT.securityToken, CREDENTIAL_ENV.securityToken)
  if (accessKeyId && accessKeySecret) return { accessKeyId, accessKeySecret, securityToken }
  if (dryRun && !accessKeyId && !accessKeySecret) return undefined
  const missing = accessKeyId ? INPUT.accessKeySecret : INPUT.accessKeyId
  const envNames = accessKeyId ? CREDENTIAL_ENV.accessKeySecret : CREDENTIAL_ENV.accessKeyId
  throw new ActionError(`Input '${missing}' is not set and neither is ${envNames.join(' nor ')}.`, {
    input: missing,
    hint:
      'Pass it from a secret (`' + missing + ': ${{ secrets.ALIYUN_... }}`) or run ' +
      'aliyun/configure-aliyun-credentials-action before this step.'
  })
}

function readEndpoint(read: InputReader, regionId: string): string {
  const raw = optional(read, INPUT.endpoint)
  if (raw === undefined) return `https://iot.${regionId}.aliyuncs.com`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw invalidInput(INPUT.endpoint, raw, 'must be an absolute http:// or https:// URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidInput(INPUT.endpoint, raw, 'must be an absolute http:// or https:// URL')
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw invalidInput(INPUT.endpoint, raw, 'must be a base URL without path, query or credentials (RPC calls go to "/")')
  }
  return url.origin
}

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

function checkMaxLength(name: string, value: string | undefined, max: number): void {
  if (value !== undefined && charCount(value) > max) {
    throw invalidInput(name, value.length > 120 ? `${value.slice(0, 117)}...` : value, `must be at most ${max} characters, got ${charCount(value)}`)
  }
}

/**
 * Reads and validates every input once. Throws an ActionError naming the input, the value seen and
 * what is allowed, before anything touches the network. Secrets are never quoted in messages.
 */
export function parseInputs(read: InputReader, env: Environment): Inputs {
  const dryRun = readBoolean(read, INPUT.dryRun, DEFAULTS.dryRun)
  const credentials = readCredentials(read, env, dryRun)

  const regionId = optional(read, INPUT.regionId) ?? DEFAULTS.regionId
  if (!REGION_PATTERN.test(regionId)) {
    throw invalidInput(INPUT.regionId, regionId, 'must be an Alibaba Cloud region id such as cn-shanghai')
  }
  const endpoint = readEndpoint(read, regionId)

  const iotInstanceId = optional(read, INPUT.iotInstanceId)
  if (iotInstanceId !== undefined && !INSTANCE_ID_PATTERN.test(iotInstanceId)) {
    throw invalidInput(INPUT.iotInstanceId, iotInstanceId, 'must be an instance id such as iot-cn-0pp1n8t****')
  }

  const productKey = read(INPUT.productKey).trim()
  if (productKey === '') {
    throw new ActionError(`Input '${INPUT.productKey}' is required: the ProductKey the package belongs to.`, {
      input: INPUT.productKey,
      hint: 'Find it in the IoT Platform console under Devices > Products.'
    })
  }
  if (!PRODUCT_KEY_PATTERN.test(productKey)) {
    throw invalidInput(INPUT.productKey, productKey, 'must be 1 to 64 letters, digits, "_" or "-"')
  }

  const moduleName = read(INPUT.moduleName).trim()
  if (moduleName !== '' && !MODULE_NAME_PATTERN.test(moduleName)) {
    throw invalidInput(INPUT.moduleName, moduleName, 'must be 1 to 64 letters, digits, ".", "-" or "_" (empty for the default module)')
  }

  const destVersion = optional(read, INPUT.destVersion)
  if (destVersion !== undefined && !isValidVersion(destVersion)) {
    throw invalidInput(INPUT.destVersion, destVersion, 'DestVersion must be 1 to 64 letters, digits, ".", "-" or "_"')
  }

  const firmwareDesc = optional(read, INPUT.firmwareDesc)
  checkMaxLength(INPUT.firmwareDesc, firmwareDesc, FIRMWARE_DESC_MAX)
  // Udi is free text pushed to devices: keep its inner whitespace and line breaks as written.
  const udiRaw = read(INPUT.udi)
  const udi = udiRaw.trim() === '' ? undefined : udiRaw
  checkMaxLength(INPUT.udi, udi, UDI_MAX)

  const firmwareType = readEnum<FirmwareType>(read, INPUT.firmwareType, ['full', 'diff'], DEFAULTS.firmwareType)
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

  const signMethod = readEnum<SignMethod>(read, INPUT.signMethod, SIGN_METHODS, DEFAULTS.signMethod)
  // With `upload-mode: url` the file is optional: it only supplies the size and digest.
  const upload = readUploadSettings(read, regionId, signMethod)

  return {
    credentials,
    regionId,
    endpoint,
    iotInstanceId,
    productKey,
    moduleName,
    files: readPatterns(read, upload.mode !== 'url'),
    upload,
    destVersion,
    tagPattern: read(INPUT.tagPattern).trim() || undefined,
    versionFormat: readEnum<VersionFormat>(read, INPUT.versionFormat, VERSION_FORMATS, DEFAULTS.versionFormat),
    buildMetadata: readEnum<BuildMetadataPolicy>(read, INPUT.buildMetadata, BUILD_METADATA_POLICIES, DEFAULTS.buildMetadata),
    tagFromSha: readBoolean(read, INPUT.tagFromSha, DEFAULTS.tagFromSha),
    moduleMismatch: readEnum<ModuleMismatchPolicy>(read, INPUT.moduleMismatch, ['fail', 'skip'], DEFAULTS.moduleMismatch),
    prerelease: readEnum<PrereleasePolicy>(read, INPUT.prerelease, ['allow', 'skip', 'fail', 'verify'], DEFAULTS.prerelease),
    firmwareName: optional(read, INPUT.firmwareName),
    firmwareDesc,
    udi,
    needToVerify: readBoolean(read, INPUT.needToVerify, DEFAULTS.needToVerify),
    signMethod,
    firmwareType,
    srcVersion,
    onVersionConflict: readEnum<VersionConflictPolicy>(read, INPUT.onVersionConflict, ['fail', 'skip'], DEFAULTS.onVersionConflict),
    maxAttempts: readNumber(read, INPUT.maxAttempts, DEFAULTS.maxAttempts, 1, 20, true),
    timeoutMs: readNumber(read, INPUT.timeoutMinutes, DEFAULTS.timeoutMinutes, 0.05, 360, false) * 60_000,
    requestTimeoutMs: readNumber(read, INPUT.requestTimeoutSeconds, DEFAULTS.requestTimeoutSeconds, 1, 3600, false) * 1000,
    dryRun,
    manifestPath: optional(read, INPUT.manifestPath)
  }
}
