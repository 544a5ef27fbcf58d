/**
 * The inputs that say where the firmware file goes before CreateOTAFirmware: `upload-mode` and the
 * inputs of the `oss` and `url` modes. Read and validated once, from `parseInputs`.
 */
import { isIP } from 'node:net'
import { MAX_FIRMWARE_BYTES, type SignMethod, isValidRegionId } from '../platform/rules.js'
import { DEFAULTS, INPUT } from '../contract/names.js'
import { ActionError, invalidInput } from '../contract/action-error.js'
import { checkOssKeyTemplate, DEFAULT_OSS_KEY_TEMPLATE } from '../upload/oss/key.js'
import { readBaseUrl, readHttpUrl } from './readers.js'

/**
 * `platform`: GenerateOTAUploadURL and PostObject into the platform's bucket. `oss`: the user's own
 * bucket, through ali-oss. `url`: nothing is uploaded; `firmware-url` is registered as given.
 */
const UPLOAD_MODES = ['platform', 'oss', 'url'] as const
type UploadMode = (typeof UPLOAD_MODES)[number]

/** The user's bucket and where its objects go (`upload-mode: oss`). */
export interface OssTarget {
  readonly bucket: string
  /** Standard region id (`cn-shanghai`), as V4 signatures name it. */
  readonly region: string
  /** Origin of the OSS endpoint, e.g. `https://oss-cn-shanghai.aliyuncs.com` or `http://127.0.0.1:8787`. */
  readonly endpoint: string
  /**
   * FirmwareUrl with the bucket in the path (`/bucket/key`) instead of the host name: for IP
   * endpoints, whose URLs cannot take a bucket sub-domain (a plain GET names no bucket in its Host, so
   * OSS reads the path). Requests through ali-oss are virtual-hosted whatever the endpoint.
   */
  readonly pathStyle: boolean
  /** `oss-key` template. */
  readonly keyTemplate: string
}

/** A file someone else uploaded (`upload-mode: url`); size and digest as declared, if they were. */
export interface RegisteredUrl {
  readonly firmwareUrl: string
  readonly size?: number
  /** Lower-case hex, by `sign-method`. */
  readonly sign?: string
}

export type UploadSettings =
  { readonly mode: 'platform' } | { readonly mode: 'oss'; readonly oss: OssTarget } | { readonly mode: 'url'; readonly url: RegisteredUrl }

// OSS bucket names: 3 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit.
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/
const SIGN_HEX_LENGTH: Record<SignMethod, number> = { MD5: 32, SHA256: 64 }

const OSS_INPUTS = [INPUT.ossBucket, INPUT.ossRegion, INPUT.ossEndpoint, INPUT.ossKey] as const
const URL_INPUTS = [INPUT.firmwareUrl, INPUT.firmwareSize, INPUT.firmwareSign] as const

function readMode(raw: string): UploadMode {
  if (raw === '') return DEFAULTS.uploadMode
  const found = UPLOAD_MODES.find((mode) => mode === raw.toLowerCase())
  if (found === undefined) throw invalidInput(INPUT.uploadMode, raw, `allowed values are ${UPLOAD_MODES.join(', ')}`)
  return found
}

/** Inputs of another mode are a mistake worth stopping for: the file would go somewhere unintended. */
function refuseOthers(read: (name: string) => string, mode: UploadMode, names: readonly string[], owner: UploadMode): void {
  for (const name of names) {
    if (read(name).trim() !== '') {
      throw new ActionError(`Input '${name}' is only used with '${INPUT.uploadMode}: ${owner}', and '${INPUT.uploadMode}' is ${mode}.`, {
        input: name,
        hint: `Set '${INPUT.uploadMode}: ${owner}', or remove '${name}'.`
      })
    }
  }
}

function readOss(read: (name: string) => string, regionId: string): OssTarget {
  const bucket = read(INPUT.ossBucket).trim()
  if (bucket === '') {
    throw new ActionError(`Input '${INPUT.ossBucket}' is required with '${INPUT.uploadMode}: oss'.`, {
      input: INPUT.ossBucket,
      hint: 'Name the bucket the firmware goes to, e.g. `oss-bucket: acme-firmware`.'
    })
  }
  if (!BUCKET_PATTERN.test(bucket)) {
    throw invalidInput(
      INPUT.ossBucket,
      bucket,
      'must be an OSS bucket name: 3 to 63 lower-case letters, digits and "-", starting and ending with a letter or digit'
    )
  }

  const rawRegion = read(INPUT.ossRegion).trim()
  // ali-oss and the console write `oss-cn-shanghai`, the API `cn-shanghai`: take either.
  const region = (rawRegion || regionId).replace(/^oss-/, '')
  if (!isValidRegionId(region)) throw invalidInput(INPUT.ossRegion, rawRegion, 'must be a region id such as cn-shanghai (or oss-cn-shanghai)')

  const rawEndpoint = read(INPUT.ossEndpoint).trim()
  let endpoint = `https://oss-${region}.aliyuncs.com`
  let pathStyle = false
  if (rawEndpoint !== '') {
    const url = readBaseUrl(INPUT.ossEndpoint, rawEndpoint, 'https://oss-cn-shanghai.aliyuncs.com')
    if (url.hostname.startsWith(`${bucket}.`)) {
      throw invalidInput(
        INPUT.ossEndpoint,
        rawEndpoint,
        `must be the region's endpoint without the bucket, e.g. ${url.protocol}//${url.host.slice(bucket.length + 1)}`
      )
    }
    endpoint = url.origin
    pathStyle = isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0
  }

  const keyTemplate = read(INPUT.ossKey).trim() || DEFAULT_OSS_KEY_TEMPLATE
  checkOssKeyTemplate(keyTemplate)
  return { bucket, region, endpoint, pathStyle, keyTemplate }
}

function readRegisteredUrl(read: (name: string) => string, signMethod: SignMethod): RegisteredUrl {
  const raw = read(INPUT.firmwareUrl).trim()
  if (raw === '') {
    throw new ActionError(`Input '${INPUT.firmwareUrl}' is required with '${INPUT.uploadMode}: url'.`, {
      input: INPUT.firmwareUrl,
      hint: 'Give the URL of the file uploaded earlier, e.g. the object URL in your OSS bucket.'
    })
  }
  const firmwareUrl = readHttpUrl(INPUT.firmwareUrl, raw).toString()

  const rawSize = read(INPUT.firmwareSize).trim()
  let size: number | undefined
  if (rawSize !== '') {
    size = Number(rawSize)
    if (!/^\d+$/.test(rawSize) || size < 1 || size > MAX_FIRMWARE_BYTES) {
      throw invalidInput(INPUT.firmwareSize, rawSize, `must be the file size in bytes, a whole number from 1 to ${MAX_FIRMWARE_BYTES}`)
    }
  }

  const rawSign = read(INPUT.firmwareSign).trim()
  const length = SIGN_HEX_LENGTH[signMethod]
  if (rawSign !== '' && !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(rawSign)) {
    throw invalidInput(INPUT.firmwareSign, rawSign, `must be the file's ${signMethod} digest ('${INPUT.signMethod}') as ${length} hex characters`)
  }
  return { firmwareUrl, size, sign: rawSign === '' ? undefined : rawSign.toLowerCase() }
}

/**
 * Reads `upload-mode` and the inputs that belong to it; inputs of another mode are refused.
 * `regionId` is the default of `oss-region`; `signMethod` says what `firmware-sign` must look like.
 */
export function readUploadSettings(read: (name: string) => string, regionId: string, signMethod: SignMethod): UploadSettings {
  const mode = readMode(read(INPUT.uploadMode).trim())
  if (mode !== 'oss') refuseOthers(read, mode, OSS_INPUTS, 'oss')
  if (mode !== 'url') refuseOthers(read, mode, URL_INPUTS, 'url')
  if (mode === 'oss') return { mode, oss: readOss(read, regionId) }
  if (mode === 'url') return { mode, url: readRegisteredUrl(read, signMethod) }
  return { mode }
}
