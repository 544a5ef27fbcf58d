/** A platform error code (or family of codes) and what the user can do about it. */
export interface Remediation {
  /** Codes as the platform sends them; a trailing `*` matches a prefix. */
  codes: readonly string[]
  /** What it means, in a few words (for the README's troubleshooting table). */
  meaning: string
  hint: string
}

/** The gateway's denial and the IoT API's own (`iot.common.RamActionPermissionDeny`); the hint names the refused operation and the action's list. */
const PERMISSION_DENIED: Remediation = {
  codes: ['Forbidden.RAM', 'Forbidden*', 'iot.common.RamActionPermissionDeny'],
  meaning: 'the RAM user or role lacks a permission',
  hint: "The RAM user or role may not call the operation: grant it the RAM action named after it (iot:CreateOTAFirmware for CreateOTAFirmware) and the other RAM actions of this action (the README's RAM policy lists them per action)."
}

/** What to do once the account holds as many packages as it may: the publish action's quota check says it too. */
export const QUOTA_HINT =
  'The account (or instance) holds as many OTA packages as it may (500 by the documentation): delete the packages no longer needed with the prune action (`uses: <owner>/<repo>/prune@v1`, e.g. weekly on a schedule, see the README) or in the IoT Platform console, then re-run.'

/**
 * What to do about the platform's common permanent errors. The messages the action prints and the
 * README's troubleshooting table both come from here.
 */
export const REMEDIATIONS: readonly Remediation[] = [
  {
    codes: ['SignatureDoesNotMatch', 'IncompleteSignature'],
    meaning: 'the request signature is wrong',
    hint: "The request signature did not match: check that 'access-key-secret' belongs to 'access-key-id' and has no stray whitespace, and that the clock of the runner is right."
  },
  {
    codes: ['InvalidAccessKeyId*'],
    meaning: 'the AccessKey ID is unknown or disabled',
    hint: "The AccessKey is unknown or disabled: check 'access-key-id' (and the secret it comes from) in the RAM console."
  },
  {
    codes: ['InvalidSecurityToken*', 'MissingSecurityToken'],
    meaning: 'the STS token is missing, wrong or expired',
    hint: "The STS token is missing, wrong or expired: pass the 'security-token' that came with the temporary AccessKey, and get fresh credentials for long jobs."
  },
  PERMISSION_DENIED,
  {
    codes: ['iot.system.InstanceNotFound', 'iot.Sre.IotInstanceNotFound'],
    meaning: 'the instance id is missing or wrong',
    hint: "The IoT instance was not found: set 'iot-instance-id' to the ID on the instance's Overview page in the IoT Platform console (Enterprise instances and new public instances, the default in cn-shanghai, have one and need it sent; older public instances show none) and check 'region-id'."
  },
  {
    codes: ['iot.firmware.FirmwareCountExceedLimit'],
    meaning: 'the limit of 500 OTA packages is reached',
    hint: QUOTA_HINT
  },
  {
    codes: ['iot.firmware.AlreadyExistedFirmwareName'],
    meaning: 'the FirmwareName is taken in the account',
    hint: "FirmwareName must be unique in the whole Alibaba Cloud account: change 'firmware-name' (for example add {product} or {module}) or delete the old package."
  },
  {
    codes: ['iot.prod.NotExistedProduct', 'iot.ota.FirmwareAndProductKeyMismatch'],
    meaning: 'the product is not in this instance or region',
    hint: "Check 'product-key' (and 'iot-instance-id' and 'region-id': the product must live there)."
  },
  {
    codes: ['iot.ota.FirmwareNotFound', 'iot.ota.InvalidFirmwareUid'],
    meaning: 'the package does not exist',
    hint: "No such package in this instance: check 'firmware-id' (the publish step's firmware-id output), 'iot-instance-id' and 'region-id', and that nobody deleted the package."
  },
  {
    codes: ['iot.ota.DeviceNotExist', 'iot.device.NotExistedDevice'],
    meaning: 'a device is not in the product',
    hint: "Every DeviceName in 'devices' must be a device of the product 'product-key' in this instance: check the names (they are case-sensitive)."
  },
  {
    codes: ['iot.ota.InvalidOtaModuleName', 'iot.ota.NullOtaModuleName'],
    meaning: 'the OTA module does not exist',
    hint: "Create the OTA module for the product first (console or CreateOTAModule), or fix 'module-name'."
  },
  {
    codes: ['InvalidFileSuffix', 'iot.ota.InvalidFileSuffix'],
    meaning: 'the file suffix is not accepted for upload',
    hint: 'GenerateOTAUploadURL accepts files ending in .bin, .dav, .apk, .tar, .gz, .tar.gz, .zip or .gzip.'
  },
  {
    codes: ['Throttling*', 'iot.common.TooManyRequest'],
    meaning: 'over the 10 QPS the account shares (retried)',
    hint: "The account's 10 QPS are shared by every job and RAM user: raise 'max-attempts', or spread the matrix with max-parallel."
  }
]

function matches(pattern: string, code: string): boolean {
  return pattern.endsWith('*') ? code.startsWith(pattern.slice(0, -1)) : code === pattern
}

/** The code says the caller may not call the operation (RAM), rather than that the call was wrong. */
export function isPermissionDenied(code: string): boolean {
  return PERMISSION_DENIED.codes.some((p) => matches(p, code))
}

/** What the user can do about an error, by the platform's code. */
export function hintForCode(code: string): string | undefined {
  return REMEDIATIONS.find((r) => r.codes.some((p) => matches(p, code)))?.hint
}
