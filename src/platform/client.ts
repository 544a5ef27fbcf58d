import { randomBytes } from 'node:crypto'
import { API_VERSION, FileSuffix } from './rules.js'
import { ApiError } from '../net/api-error.js'
import type { HttpRequest, HttpResponse } from '../net/transport.js'
import type { Credentials } from '../config/connection.js'
import { canonicalQuery, EMPTY_BODY_SHA256, signAcs3 } from './signing/acs3.js'

/** What GenerateOTAUploadURL returns: a short-lived PostObject form for one file. */
export interface UploadTicket {
  Host: string
  Key: string
  OSSAccessKeyId: string
  Policy: string
  Signature: string
  FirmwareUrl: string
  ObjectStorage?: string
  UtcCreate?: string
}

export interface CreateFirmwareParams {
  ProductKey: string
  DestVersion: string
  FirmwareName: string
  FirmwareUrl: string
  /** Omitted: the platform digests the file itself (documented for FirmwareSign and FirmwareSize). */
  FirmwareSign?: string
  SignMethod: string
  FirmwareSize?: number
  ModuleName?: string
  FirmwareDesc?: string
  Udi?: string
  NeedToVerify: boolean
  Type: 0 | 1
  SrcVersion?: string
}

export interface CreatedFirmware {
  FirmwareId: string
  UtcCreate: string
}

/** One row of ListOTAFirmware (field names as the official SDK models them). */
export interface FirmwareSummary {
  FirmwareId: string
  FirmwareName: string
  DestVersion: string
  SrcVersion?: string
  FirmwareSign?: string
  FirmwareSize?: number
  SignMethod?: string
  ModuleName?: string
  ProductKey?: string
  Status?: number
  Type?: number
  UtcCreate?: string
}

export interface FirmwareDetail extends FirmwareSummary {
  FirmwareUrl?: string
  Udi?: string
  FirmwareDesc?: string
}

/** One OTA module of a product (ListOTAModuleByProduct; field names as the official SDK models them). */
export interface OtaModule {
  ModuleName: string
  AliasName?: string
}

/** The IoT OTA operations the action uses. Tests can supply their own. */
export interface IotApi {
  generateUploadUrl(fileSuffix: FileSuffix): Promise<UploadTicket>
  createFirmware(params: CreateFirmwareParams): Promise<CreatedFirmware>
  /** Every package of the product with this DestVersion (all pages). */
  listFirmware(productKey: string, destVersion: string): Promise<FirmwareSummary[]>
  queryFirmware(firmwareId: string): Promise<FirmwareDetail>
  deleteFirmware(firmwareId: string): Promise<void>
  /** The product's OTA modules (ListOTAModuleByProduct), the default module among them. */
  listModules(productKey: string): Promise<OtaModule[]>
}

interface RpcClientOptions {
  endpoint: string
  credentials: Credentials
  iotInstanceId?: string
  requestTimeoutMs: number
  signal?: AbortSignal
  send: (req: HttpRequest) => Promise<HttpResponse>
  /** Waits for this run's turn (client-side pacing). */
  pace: () => Promise<void>
  now: () => Date
  /** Called with the action name and outcome of each call; never with secrets. */
  onCall?: (action: string, detail: string) => void
}

type Params = Record<string, string | number | boolean | undefined>

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'))
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/**
 * Calls IoT RPC operations the way the official SDK does: POST `/` with every parameter in the
 * query string, an empty body, and the V3 (ACS3-HMAC-SHA256) Authorization header.
 */
export function createRpcCaller(options: RpcClientOptions) {
  const { credentials } = options
  const base = new URL(options.endpoint)
  return async function call(action: string, params: Params): Promise<Record<string, unknown>> {
    const query: Record<string, string> = {}
    for (const [name, value] of Object.entries({ ...params, IotInstanceId: options.iotInstanceId })) {
      if (value !== undefined) query[name] = String(value)
    }
    const headers: Record<string, string> = {
      host: base.host,
      'x-acs-action': action,
      'x-acs-version': API_VERSION,
      'x-acs-date': isoSeconds(options.now()),
      'x-acs-signature-nonce': randomBytes(16).toString('hex'),
      'x-acs-content-sha256': EMPTY_BODY_SHA256,
      accept: 'application/json'
    }
    if (credentials.securityToken) headers['x-acs-security-token'] = credentials.securityToken
    const signed = signAcs3({ method: 'POST', path: '/', query, headers, bodySha256: EMPTY_BODY_SHA256 }, credentials.accessKeyId, credentials.accessKeySecret)
    headers.authorization = signed.authorization

    const url = new URL('/', base)
    // Exactly the query that was signed (RFC 3986, a space as %20): a gateway reads a '+' as a plus.
    url.search = canonicalQuery(query)
    await options.pace()
    const res = await options.send({
      url: url.toString(),
      method: 'POST',
      headers,
      idleTimeoutMs: options.requestTimeoutMs,
      signal: options.signal
    })
    const json = parseJson(res.body)
    const requestId = str(json?.RequestId) ?? str(json?.requestId)
    if (res.status >= 400 || json === undefined) {
      const code = str(json?.Code) ?? str(json?.code) ?? `HTTP${res.status}`
      const message = str(json?.Message) ?? str(json?.message) ?? res.body.toString('utf8').slice(0, 200)
      options.onCall?.(action, `HTTP ${res.status} ${code}`)
      throw new ApiError(action, code, message, res.status, requestId)
    }
    const success = json.Success ?? json.success
    if (success === false || success === 'false') {
      const code = str(json.Code) ?? str(json.code) ?? 'UnknownError'
      const message = str(json.ErrorMessage) ?? str(json.errorMessage) ?? str(json.Message) ?? ''
      options.onCall?.(action, `Success=false ${code}`)
      throw new ApiError(action, code, message, res.status, requestId)
    }
    options.onCall?.(action, `HTTP ${res.status} RequestId ${requestId ?? '-'}`)
    return json
  }
}

function requireField<T>(action: string, value: T | undefined, what: string): T {
  if (value === undefined || value === null || value === '') {
    throw new ApiError(action, 'MalformedAnswer', `the answer has no ${what}`, 200)
  }
  return value
}

/** The typed operations on top of one RPC caller. */
export function createIotClient(call: ReturnType<typeof createRpcCaller>): IotApi {
  return {
    async generateUploadUrl(fileSuffix) {
      const json = await call('GenerateOTAUploadURL', { FileSuffix: fileSuffix })
      const data = (json.Data ?? json.data) as Partial<UploadTicket> | undefined
      const ticket = requireField('GenerateOTAUploadURL', data, 'Data')
      for (const field of ['Host', 'Key', 'OSSAccessKeyId', 'Policy', 'Signature', 'FirmwareUrl'] as const) {
        requireField('GenerateOTAUploadURL', ticket[field], `Data.${field}`)
      }
      return ticket as UploadTicket
    },
    async createFirmware(params) {
      const json = await call('CreateOTAFirmware', { ...params })
      const data = (json.Data ?? json.data) as Record<string, unknown> | undefined
      const firmwareId = str(data?.FirmwareId) ?? str(data?.firmwareId)
      const utcCreate = str(data?.UtcCreate) ?? str(data?.utcCreate)
      return {
        FirmwareId: requireField('CreateOTAFirmware', firmwareId, 'Data.FirmwareId'),
        UtcCreate: requireField('CreateOTAFirmware', utcCreate, 'Data.UtcCreate')
      }
    },
    async listFirmware(productKey, destVersion) {
      const found: FirmwareSummary[] = []
      for (let page = 1; ; page++) {
        const json = await call('ListOTAFirmware', { ProductKey: productKey, DestVersion: destVersion, CurrentPage: page, PageSize: 100 })
        const info = json.FirmwareInfo as { SimpleFirmwareInfo?: FirmwareSummary[] } | undefined
        const rows = info?.SimpleFirmwareInfo ?? []
        // The filter is documented as exact; keep only exact matches in case a server is looser.
        found.push(...rows.filter((row) => row.DestVersion === destVersion))
        const pageCount = Number(json.PageCount ?? 1)
        if (rows.length === 0 || page >= pageCount) return found
      }
    },
    async queryFirmware(firmwareId) {
      const json = await call('QueryOTAFirmware', { FirmwareId: firmwareId })
      return requireField('QueryOTAFirmware', json.FirmwareInfo as FirmwareDetail | undefined, 'FirmwareInfo')
    },
    async deleteFirmware(firmwareId) {
      await call('DeleteOTAFirmware', { FirmwareId: firmwareId })
    },
    async listModules(productKey) {
      const json = await call('ListOTAModuleByProduct', { ProductKey: productKey })
      // `Data` is an array; the marketplace variant's samples show `data`, once as a single object.
      const data = json.Data ?? json.data
      const rows = (Array.isArray(data) ? data : [requireField('ListOTAModuleByProduct', data, 'Data')]) as Record<string, unknown>[]
      return rows.map((row) => ({
        ModuleName: requireField('ListOTAModuleByProduct', str(row?.ModuleName) ?? str(row?.moduleName), 'Data[].ModuleName'),
        AliasName: str(row?.AliasName) ?? str(row?.aliasName)
      }))
    }
  }
}
