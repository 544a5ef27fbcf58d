/** An error answer from the IoT API (gateway or business) or from OSS. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly requestId?: string
  /** The operation that failed, e.g. `CreateOTAFirmware` or `PostObject`. */
  readonly operation: string

  constructor(operation: string, code: string, message: string, status: number, requestId?: string) {
    super(`${operation} failed: ${code}: ${message}${requestId ? ` (RequestId ${requestId})` : ''}`)
    this.name = 'ApiError'
    this.operation = operation
    this.code = code
    this.status = status
    this.requestId = requestId
  }
}

const TRANSIENT_CODES = new Set([
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'Throttling.Tenant',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'iot.common.TooManyRequest',
  'iot.system.SystemException'
])

/**
 * Whether trying again later can succeed: throttling, server-side failures and the business codes
 * that mean the same thing even though they come with HTTP 200.
 */
export function isTransientApiError(err: ApiError): boolean {
  return TRANSIENT_CODES.has(err.code) || err.code.startsWith('Throttling') || err.status >= 500
}

/** Throttling in either of its forms (the live service's choice for 10 QPS is not documented). */
export function isThrottling(err: ApiError): boolean {
  return err.code.startsWith('Throttling') || err.code === 'iot.common.TooManyRequest'
}

const RAM_ACTIONS =
  'iot:GenerateOTAUploadURL, iot:CreateOTAFirmware, iot:ListOTAFirmware and iot:QueryOTAFirmware'

/** What the user can do about a permanent error, by the platform's code. */
export function hintForCode(code: string): string | undefined {
  if (code === 'SignatureDoesNotMatch') {
    return "The request signature did not match: check that 'access-key-secret' belongs to 'access-key-id' and has no stray whitespace, and that the clock of the runner is right."
  }
  if (code.startsWith('InvalidAccessKeyId')) {
    return "The AccessKey is unknown or disabled: check 'access-key-id' (and the secret it comes from) in the RAM console."
  }
  if (code.startsWith('InvalidSecurityToken') || code === 'InvalidSecurityToken.Expired') {
    return "The STS token is wrong or expired: pass the 'security-token' that came with the temporary AccessKey, and get fresh credentials for long jobs."
  }
  if (code === 'Forbidden.RAM' || code.startsWith('Forbidden')) {
    return `The RAM user or role may not call this operation: grant it ${RAM_ACTIONS} (see the README's RAM policy).`
  }
  if (code === 'iot.system.InstanceNotFound' || code === 'iot.Sre.IotInstanceNotFound') {
    return "The IoT instance was not found: set 'iot-instance-id' to the instance id of an Enterprise instance (leave it empty for the public instance) and check 'region-id'."
  }
  if (code === 'iot.firmware.AlreadyExistedFirmwareName') {
    return "FirmwareName must be unique in the whole Alibaba Cloud account: change 'firmware-name' (for example add {product} or {module}) or delete the old package."
  }
  if (code === 'iot.firmware.FirmwareCountExceedLimit' || /quota|ExceedLimit|TooMany(Firmware|Package)/i.test(code)) {
    return 'The account (or instance) has reached its limit of 500 OTA packages: delete packages no longer needed in the IoT Platform console, then re-run.'
  }
  if (code === 'iot.prod.NotExistedProduct' || code === 'iot.ota.FirmwareAndProductKeyMismatch') {
    return "Check 'product-key' (and 'iot-instance-id' and 'region-id': the product must live there)."
  }
  if (code === 'iot.ota.InvalidOtaModuleName' || code === 'iot.ota.NullOtaModuleName') {
    return "Create the OTA module for the product first (console or CreateOTAModule), or fix 'module-name'."
  }
  if (/Suffix/i.test(code)) {
    return 'GenerateOTAUploadURL accepts files ending in .bin, .dav, .apk, .tar, .gz, .tar.gz, .zip or .gzip.'
  }
  return undefined
}
