import { CREDENTIAL_ENV, DEFAULTS, EMULATOR_ENV, INPUT } from '../contract/names.js'
import { MINUTE_MS } from '../platform/job-rules.js'
import { ActionError, invalidInput } from '../contract/action-error.js'
import { isMarketplaceHost, isValidRegionId } from '../platform/rules.js'
import { type Environment, type InputReader, optional, readBaseUrl, readEnum, readNumber } from './readers.js'

/** The inputs every action shares to reach the IoT API: who, where, and how patiently. */

export interface Credentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** STS token (after OIDC role assumption); sent with every request. */
  readonly securityToken?: string
}

// Not documented as such; instance ids seen in the wild fit well inside this.
const INSTANCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** A value from its input, else from the first of its environment variables that is set. */
function readCredential(read: InputReader, env: Environment, name: string, envNames: readonly string[]): { value?: string; fromInput: boolean } {
  const fromInput = read(name).trim()
  if (fromInput !== '') return { value: fromInput, fromInput: true }
  return { value: firstEnv(env, envNames), fromInput: false }
}

function firstEnv(env: Environment, names: readonly string[]): string | undefined {
  for (const envName of names) {
    const value = env[envName]?.trim()
    if (value) return value
  }
  return undefined
}

/**
 * Credentials come as one set: a key id given as input takes an environment token only when the
 * environment holds that same key (configure-aliyun-credentials-action's outputs passed as inputs).
 * A token left by an earlier step for another key would make every request fail.
 */
function readToken(read: InputReader, env: Environment, accessKeyId: { value?: string; fromInput: boolean }): { token?: string; note?: string } {
  const token = readCredential(read, env, INPUT.securityToken, CREDENTIAL_ENV.securityToken)
  if (token.fromInput || !accessKeyId.fromInput || token.value === undefined) return { token: token.value }
  if (firstEnv(env, CREDENTIAL_ENV.accessKeyId) === accessKeyId.value) return { token: token.value }
  return {
    note:
      `Ignoring the STS token in ${CREDENTIAL_ENV.securityToken.join('/')}: input '${INPUT.accessKeyId}' is not the key in ` +
      `${CREDENTIAL_ENV.accessKeyId.join('/')}. Pass '${INPUT.securityToken}' when the input key is temporary.`
  }
}

function readCredentials(read: InputReader, env: Environment, dryRun: boolean): { credentials?: Credentials; note?: string } {
  const id = readCredential(read, env, INPUT.accessKeyId, CREDENTIAL_ENV.accessKeyId)
  const accessKeyId = id.value
  const accessKeySecret = readCredential(read, env, INPUT.accessKeySecret, CREDENTIAL_ENV.accessKeySecret).value
  if (accessKeyId && accessKeySecret) {
    const { token: securityToken, note } = readToken(read, env, id)
    return { credentials: { accessKeyId, accessKeySecret, securityToken }, note }
  }
  if (dryRun && !accessKeyId && !accessKeySecret) return {}
  const missing = accessKeyId ? INPUT.accessKeySecret : INPUT.accessKeyId
  const envNames = accessKeyId ? CREDENTIAL_ENV.accessKeySecret : CREDENTIAL_ENV.accessKeyId
  throw new ActionError(`Input '${missing}' is not set and neither is ${envNames.join(' nor ')}.`, {
    input: missing,
    hint: 'Pass it from a secret (`' + missing + ': ${{ secrets.ALIYUN_... }}`) or run ' + 'aliyun/configure-aliyun-credentials-action before this step.'
  })
}

/** An explicit `endpoint`: an origin without path, query or credentials (RPC calls go to `/`); undefined when not set. */
function readEndpoint(read: InputReader): string | undefined {
  const raw = optional(read, INPUT.endpoint)
  return raw === undefined ? undefined : readBaseUrl(INPUT.endpoint, raw, 'https://iot.cn-shanghai.aliyuncs.com').origin
}

/**
 * Which gateway dialect: `alibaba` (IoT Platform: POST, V3 header signature) or `marketplace`
 * (Tuya's IoT on Alibaba Cloud instances: GET, HMAC-SHA1 query signature, lower-camel answers).
 */
export const API_VARIANTS = ['alibaba', 'marketplace'] as const
export type ApiVariant = (typeof API_VARIANTS)[number]

/** Left empty, an endpoint on a marketplace host means the marketplace variant. */
function readApiVariant(read: InputReader, endpoint: string | undefined): ApiVariant {
  const detected = endpoint !== undefined && isMarketplaceHost(new URL(endpoint).hostname) ? 'marketplace' : DEFAULTS.apiVariant
  const variant = readEnum<ApiVariant>(read, INPUT.apiVariant, API_VARIANTS, detected)
  if (variant === 'marketplace' && endpoint === undefined) {
    throw new ActionError(`Input '${INPUT.endpoint}' is required with '${INPUT.apiVariant}: marketplace': every marketplace instance has its own endpoint.`, {
      input: INPUT.endpoint,
      hint: 'Copy it from the instance console (Development Configuration > Cloud API), e.g. `endpoint: https://si-<id>.tuyacloud.com:8686`.'
    })
  }
  return variant
}

/** Any instance that has an id (Enterprise, new public ones); a marketplace instance is addressed by its endpoint and refuses the parameter. */
function readInstanceId(read: InputReader, apiVariant: ApiVariant): string | undefined {
  const iotInstanceId = optional(read, INPUT.iotInstanceId)
  if (iotInstanceId === undefined) return undefined
  if (apiVariant === 'marketplace') {
    throw invalidInput(
      INPUT.iotInstanceId,
      iotInstanceId,
      `marketplace instances ('${INPUT.apiVariant}: marketplace') take no IotInstanceId, their endpoint names the instance`,
      `Remove '${INPUT.iotInstanceId}'.`
    )
  }
  if (!INSTANCE_ID_PATTERN.test(iotInstanceId)) {
    throw invalidInput(INPUT.iotInstanceId, iotInstanceId, 'must be an instance id such as iot-cn-0pp1n8t****')
  }
  return iotInstanceId
}

export interface Connection {
  /** Absent only in a dry run without credentials. */
  readonly credentials?: Credentials
  readonly regionId: string
  /** Base URL of the IoT API, `https://iot.<region-id>.aliyuncs.com` unless `endpoint` is set. */
  readonly endpoint: string
  /** The gateway's dialect; `marketplace` always has an explicit `endpoint`. */
  readonly apiVariant: ApiVariant
  /** Never set with `marketplace`. */
  readonly iotInstanceId?: string
  readonly maxAttempts: number
  readonly requestTimeoutMs: number
  /** How long one of the platform's minutes lasts here: 60,000 ms, or the emulator's scaled minute. */
  readonly minuteMs: number
  /** Lines for the debug log about how the inputs were read (a token from the environment ignored). */
  readonly debugNotes: readonly string[]
}

/** A connection that can sign: every run but a dry run without credentials. */
export type SignedConnection = Connection & { readonly credentials: Credentials }

/** Reads the connection inputs; `allowAnonymous` (a dry run) lets credentials be absent altogether. */
export function parseConnection(read: InputReader, env: Environment): SignedConnection
export function parseConnection(read: InputReader, env: Environment, allowAnonymous: boolean): Connection
export function parseConnection(read: InputReader, env: Environment, allowAnonymous = false): Connection {
  const { credentials, note } = readCredentials(read, env, allowAnonymous)
  const regionId = optional(read, INPUT.regionId) ?? DEFAULTS.regionId
  if (!isValidRegionId(regionId)) {
    throw invalidInput(INPUT.regionId, regionId, 'must be an Alibaba Cloud region id such as cn-shanghai')
  }
  const endpoint = readEndpoint(read)
  const apiVariant = readApiVariant(read, endpoint)
  const base = endpoint ?? `https://iot.${regionId}.aliyuncs.com`
  return {
    credentials,
    regionId,
    endpoint: base,
    apiVariant,
    iotInstanceId: readInstanceId(read, apiVariant),
    maxAttempts: readNumber(read, INPUT.maxAttempts, DEFAULTS.maxAttempts, 1, 20, true),
    requestTimeoutMs: readNumber(read, INPUT.requestTimeoutSeconds, DEFAULTS.requestTimeoutSeconds, 1, 3600, false) * 1000,
    minuteMs: readPlatformMinute(env, base),
    debugNotes: note === undefined ? [] : [note]
  }
}

/**
 * How long one of the platform's minutes lasts: a real minute, except against the emulator run
 * with `--minute-ms N`, whose jobs play on a scaled clock; `OTA_EMULATOR_MINUTE_MS=N` then makes
 * `wait-minutes`, the poll waits, the spacing of calls and the retries' backoff follow that clock
 * (as far as the emulator's real-time 10 QPS allows). Refused with Alibaba Cloud's own endpoints,
 * whose minutes are always real.
 */
export function readPlatformMinute(env: Environment, endpoint: string): number {
  const name = EMULATOR_ENV.minuteMs
  const raw = env[name]?.trim() ?? ''
  if (raw === '') return MINUTE_MS
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > MINUTE_MS) {
    throw new ActionError(
      `Environment variable ${name} is ${JSON.stringify(raw)}: must be a whole number of milliseconds from 1 to ${MINUTE_MS} (the emulator's --minute-ms).`
    )
  }
  if (new URL(endpoint).hostname.endsWith('.aliyuncs.com')) {
    throw new ActionError(`Environment variable ${name} is set, but the endpoint ${endpoint} is Alibaba Cloud's, whose minutes are real.`, {
      input: INPUT.endpoint,
      hint: `${name} is for runs against the local emulator (input '${INPUT.endpoint}'): unset it for the platform.`
    })
  }
  return Number(raw)
}
