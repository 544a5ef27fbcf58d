import { isModuleName, MAX_UPLOAD_BYTES } from '../iot/documented-rules.js'
import { BUCKET_NAME, PLATFORM_BUCKET } from '../oss/bucket-names.js'
import { API_VARIANTS, type ApiVariant } from '../iot/marketplace.js'
import { parseSeedFirmware, type SeedFirmware } from '../iot/seed-firmwares.js'
import { DEFAULT_MINUTE_MS } from '../jobs/clock.js'
import { checkChurn, type ChurnOptions } from '../devices/churn.js'
import { DEFAULT_DEVICES, type DeviceSpec } from '../devices/fleet.js'

/** An AccessKey pair the emulator accepts on the IoT API. */
export interface EmulatorAccount {
  accessKeyId: string
  accessKeySecret: string
  /** When set, the key is an STS key: every request must carry this token. */
  securityToken?: string
  /** Actions this key may not call (its RAM policy lacks them), refused as `denyForm` says. */
  deny?: string[]
  /**
   * How a denied IoT API action is answered: `gateway` (default) 403 `Forbidden.RAM`, or `business`, the
   * IoT API's own code: HTTP 200, `Success: false`, `iot.common.RamActionPermissionDeny`. Both are
   * documented; which one the platform sends is not. Denied OSS operations answer `AccessDenied` either way.
   */
  denyForm?: 'gateway' | 'business'
}

export const DEFAULT_ACCOUNT: EmulatorAccount = {
  accessKeyId: 'LTAI5tEmulatorDefaultKey',
  accessKeySecret: 'emulator-secret-do-not-use-in-production'
}

export interface EmulatorOptions {
  /** Default 0 (a free port). */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Where uploaded objects are stored; default a fresh temporary folder, removed on close(). */
  dataDir?: string
  /** Default [DEFAULT_ACCOUNT]. All keys belong to one Alibaba Cloud account (names and quota are shared). */
  accounts?: EmulatorAccount[]
  /** Calls per AccessKeyId per sliding second over all RPC actions; default 10, 0 disables. */
  qpsLimit?: number
  /** Going over the QPS limit answers 400 Throttling.User ('gateway', default) or 200 iot.common.TooManyRequest. */
  throttleForm?: 'gateway' | 'business'
  /** How long a GenerateOTAUploadURL policy stays valid; default 60 000 ms. */
  uploadPolicyTtlMs?: number
  /**
   * How long a file uploaded with a GenerateOTAUploadURL form waits for CreateOTAFirmware: later it
   * is cleaned up and refused; default 3 600 000 ms (the documented 60 minutes, real time).
   */
  uploadTtlMs?: number
  /**
   * How long a device list file uploaded for DnListFileUrl stays usable: the job must be created
   * within it; default 3 600 000 ms (the documented 60 minutes, real time).
   */
  deviceListTtlMs?: number
  /** Upper bound of `content-length-range` in issued policies; default MAX_UPLOAD_BYTES. Lower it to rehearse EntityTooLarge. */
  maxUploadBytes?: number
  /**
   * Most packages the account may hold (every product, every module); default 500, the documented
   * limit. CreateOTAFirmware beyond it: iot.firmware.FirmwareCountExceedLimit.
   */
  firmwareQuota?: number
  /**
   * Packages the account holds from the start (and again after reset()), each created through
   * CreateOTAFirmware's rules at its own UtcCreate, with a file in the platform's bucket.
   */
  seedFirmwares?: SeedFirmware[]
  /** When set, other ProductKeys answer iot.prod.NotExistedProduct. */
  products?: string[]
  /** When set, every request must carry this IotInstanceId. */
  iotInstanceId?: string
  /**
   * Custom OTA modules each product has from the start, by ProductKey (`{ a1pk: ['wifi', 'mcu'] }`).
   * The `default` module always exists; CreateOTAModule adds others; CreateOTAFirmware refuses the rest.
   */
  modules?: Record<string, string[]>
  /**
   * The user buckets OSS REST requests may use (by Host, or path-style `${url}/<bucket>/<key>`). Default: any
   * bucket name but the platform's `iotx-ota`, created on first use.
   */
  buckets?: string[]
  /** Listen with HTTPS (PEM key and certificate) instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer }
  /**
   * A name the emulator answers to, under the reserved `.test` TLD (e.g. `emulator.test`): the URLs it
   * hands out use `iot.<region>.<hostName>`, `oss-<region>.<hostName>` and `<bucket>.oss-<region>.<hostName>`
   * instead of its IP address. Such names never resolve; a proxy routes them to the emulator.
   */
  hostName?: string
  /** The region in those names; default `cn-shanghai`. */
  region?: string
  /** The port in the URLs handed out under `hostName` (a proxy's view); default the listening port. */
  publicPort?: number
  /** The simulated devices; default DEFAULT_DEVICES (test-device-1, test-device-2 and fleet-0001…fleet-0050, all succeeding). */
  devices?: DeviceSpec[]
  /** How many real milliseconds an OTA "minute" lasts (device progress, pacing, timeouts, schedules); default 1000. */
  minuteMs?: number
  /**
   * Background churn: about `percent` % of the fleet (0 to 90) is offline at any time, each device
   * and span of `spanMinutes` (default 1) drawn by a hash, upgraded or not. Offline devices take no
   * push until they are back. Default none.
   */
  churn?: ChurnOptions
  /**
   * `alibaba` (default): Alibaba's IoT Platform. `marketplace`: the gateway of Tuya's IoT on Alibaba
   * Cloud instances (GET, HMAC-SHA1 query signature only, lower-camel answers, decimal ids, Type 0 only).
   */
  apiVariant?: ApiVariant
  /**
   * `declared` (default): each operation takes only the HTTP methods Alibaba's API metadata declares
   * (ListOTAModuleByProduct GET only; CreateOTAModule, ReupgradeOTATask, … POST only), others 400
   * UnsupportedHTTPMethod. `any`: GET and POST for every operation, for clients not yet caught up.
   */
  httpMethods?: HttpMethodCheck
  /** Receives one line per request (action, status, code); never secrets or signatures. */
  log?: (line: string) => void
}

export type HttpMethodCheck = 'declared' | 'any'

/** Options with every default applied and checked once, so handlers never re-check. */
export interface Settings {
  port: number
  host: string
  dataDir: string | undefined
  accounts: ReadonlyMap<string, EmulatorAccount>
  qpsLimit: number
  throttleForm: 'gateway' | 'business'
  uploadPolicyTtlMs: number
  uploadTtlMs: number
  deviceListTtlMs: number
  maxUploadBytes: number
  firmwareQuota: number
  seedFirmwares: readonly SeedFirmware[]
  products: ReadonlySet<string> | undefined
  iotInstanceId: string | undefined
  modules: ReadonlyMap<string, readonly string[]>
  buckets: ReadonlySet<string> | undefined
  tls: { key: string | Buffer; cert: string | Buffer } | undefined
  hostName: string | undefined
  region: string
  publicPort: number | undefined
  apiVariant: ApiVariant
  httpMethods: HttpMethodCheck
  devices: readonly DeviceSpec[]
  minuteMs: number
  churn: Required<ChurnOptions> | undefined
  log: ((line: string) => void) | undefined
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback
  if (!Number.isInteger(result) || result < 0) throw new Error(`Emulator option ${name} must be a non-negative integer, got ${String(value)}.`)
  return result
}

/** OSS bucket names; the platform's own bucket is not the user's to write. */
function checkModules(modules: Record<string, string[]>): ReadonlyMap<string, readonly string[]> {
  for (const [productKey, names] of Object.entries(modules)) {
    for (const name of names) {
      if (!isModuleName(name) || name.toLowerCase() === 'default') {
        throw new Error(
          `Emulator module ${JSON.stringify(name)} of ${productKey} is not a custom OTA module name (letters, digits, . - _, at most 64, not default).`
        )
      }
    }
  }
  return new Map(Object.entries(modules))
}

/** A permanent AccessKey (`LTAI…`) carries no token: only STS keys (`STS.…`) do. */
function checkAccount(account: EmulatorAccount): void {
  if (!account.accessKeyId || !account.accessKeySecret) throw new Error('Every emulator account needs an accessKeyId and an accessKeySecret.')
  if (account.denyForm !== undefined && account.denyForm !== 'gateway' && account.denyForm !== 'business') {
    throw new Error(`Emulator account ${account.accessKeyId}: denyForm must be gateway or business, got ${JSON.stringify(account.denyForm)}.`)
  }
  if (account.securityToken !== undefined && isPermanentKey(account.accessKeyId)) {
    throw new Error(`Emulator account ${account.accessKeyId} is a permanent AccessKey (LTAI…) and cannot have a securityToken; STS keys start with STS.`)
  }
}

/** AccessKeyIds of permanent keys start with LTAI; STS keys' with STS. */
export function isPermanentKey(accessKeyId: string): boolean {
  return accessKeyId.startsWith('LTAI')
}

function checkBucketName(name: string): string {
  if (!BUCKET_NAME.test(name)) throw new Error(`Emulator bucket ${JSON.stringify(name)} is not a valid OSS bucket name.`)
  if (name === PLATFORM_BUCKET) throw new Error(`Emulator bucket ${PLATFORM_BUCKET} is the platform's own; pick another name.`)
  return name
}

/** Host names and regions as DNS labels: lower-case letters, digits and hyphens, dot-separated. */
function dnsName(option: string, value: string | undefined): string | undefined {
  if (value !== undefined && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(value)) {
    throw new Error(`Emulator option ${option} must be a lower-case DNS name, got ${JSON.stringify(value)}.`)
  }
  return value
}

function checkApiVariant(value: string | undefined): ApiVariant {
  const found = API_VARIANTS.find((variant) => variant === (value ?? 'alibaba'))
  if (found === undefined) throw new Error(`Emulator option apiVariant must be ${API_VARIANTS.join(' or ')}, got ${JSON.stringify(value)}.`)
  return found
}

function checkHttpMethods(value: string | undefined): HttpMethodCheck {
  if (value === undefined || value === 'declared' || value === 'any') return value ?? 'declared'
  throw new Error(`Emulator option httpMethods must be declared or any, got ${JSON.stringify(value)}.`)
}

export function resolveSettings(options: EmulatorOptions = {}): Settings {
  const accounts = new Map<string, EmulatorAccount>()
  for (const account of options.accounts ?? [DEFAULT_ACCOUNT]) {
    checkAccount(account)
    if (accounts.has(account.accessKeyId)) throw new Error(`Emulator account ${account.accessKeyId} is listed twice.`)
    accounts.set(account.accessKeyId, account)
  }
  if (accounts.size === 0) throw new Error('The emulator needs at least one account.')
  const maxUploadBytes = nonNegativeInteger('maxUploadBytes', options.maxUploadBytes, MAX_UPLOAD_BYTES)
  if (options.minuteMs !== undefined && options.minuteMs < 1) throw new Error(`Emulator option minuteMs must be at least 1, got ${options.minuteMs}.`)
  if (maxUploadBytes > MAX_UPLOAD_BYTES) throw new Error(`Emulator option maxUploadBytes cannot exceed ${MAX_UPLOAD_BYTES}.`)
  return {
    port: nonNegativeInteger('port', options.port, 0),
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir,
    accounts,
    qpsLimit: nonNegativeInteger('qpsLimit', options.qpsLimit, 10),
    throttleForm: options.throttleForm ?? 'gateway',
    uploadPolicyTtlMs: nonNegativeInteger('uploadPolicyTtlMs', options.uploadPolicyTtlMs, 60_000),
    uploadTtlMs: nonNegativeInteger('uploadTtlMs', options.uploadTtlMs, 60 * 60_000),
    deviceListTtlMs: nonNegativeInteger('deviceListTtlMs', options.deviceListTtlMs, 60 * 60_000),
    maxUploadBytes,
    firmwareQuota: nonNegativeInteger('firmwareQuota', options.firmwareQuota, 500),
    seedFirmwares: (options.seedFirmwares ?? []).map(parseSeedFirmware),
    products: options.products ? new Set(options.products) : undefined,
    iotInstanceId: options.iotInstanceId,
    modules: checkModules(options.modules ?? {}),
    buckets: options.buckets ? new Set(options.buckets.map(checkBucketName)) : undefined,
    tls: options.tls,
    hostName: dnsName('hostName', options.hostName),
    region: dnsName('region', options.region) ?? 'cn-shanghai',
    publicPort: options.publicPort === undefined ? undefined : nonNegativeInteger('publicPort', options.publicPort, 0),
    apiVariant: checkApiVariant(options.apiVariant),
    httpMethods: checkHttpMethods(options.httpMethods),
    devices: options.devices ?? DEFAULT_DEVICES,
    minuteMs: nonNegativeInteger('minuteMs', options.minuteMs, DEFAULT_MINUTE_MS),
    churn: options.churn && checkChurn(options.churn),
    log: options.log
  }
}
