import { randomBytes } from 'node:crypto'
import type { FileSuffix } from './rules.js'
import { ApiError } from '../net/api-error.js'
import type { HttpRequest, HttpResponse } from '../net/transport.js'
import type { Credentials } from '../config/connection.js'
import { type AnswerObject as Answer, dataOf, failureOf, field, listOf, numberOf, objectIn, objectOf, parseAnswer, textOf } from './answer.js'
import type { Dialect } from './dialects/dialect.js'
import { percentEncode } from './signing/percent-encode.js'

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
  /** How this gateway wants its calls (method, parameters, signature). */
  dialect: Dialect
  requestTimeoutMs: number
  signal?: AbortSignal
  send: (req: HttpRequest) => Promise<HttpResponse>
  /** Waits for this run's turn (client-side pacing). */
  pace: () => Promise<void>
  now: () => Date
  /** Called with the action name and outcome of each call; never with secrets or the signed URL. */
  onCall?: (action: string, detail: string) => void
}

type Params = Record<string, string | number | boolean | undefined>

/** A gateway may quote the request back in its error; the signature (plain or percent-encoded) stays out. */
function withoutSignature(message: string, signature: string): string {
  if (signature === '') return message
  return [signature, percentEncode(signature)].reduce((m, s) => m.split(s).join('***'), message)
}

/** Calls IoT RPC operations in the options' dialect; throws ApiError for every failed answer. */
export function createRpcCaller(options: RpcClientOptions) {
  const base = new URL(options.endpoint)
  return async function call(action: string, params: Params): Promise<Answer> {
    const query: Record<string, string> = {}
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query[name] = String(value)
    const nonce = randomBytes(16).toString('hex')
    const { signature, ...request } = options.dialect({ action, params: query, base, credentials: options.credentials, now: options.now(), nonce })
    await options.pace()
    const res = await options.send({ ...request, idleTimeoutMs: options.requestTimeoutMs, signal: options.signal })
    const answer = parseAnswer(res.body)
    const requestId = textOf(answer, 'RequestId')
    const failure = answer === undefined ? { code: `HTTP${res.status}`, message: res.body.toString('utf8').slice(0, 200) } : failureOf(res.status, answer)
    if (failure) {
      options.onCall?.(action, `HTTP ${res.status} ${failure.code}`)
      throw new ApiError(action, failure.code, withoutSignature(failure.message, signature), res.status, requestId)
    }
    options.onCall?.(action, `HTTP ${res.status} RequestId ${requestId ?? '-'}`)
    return answer as Answer
  }
}

function required<T>(action: string, value: T | undefined, what: string): T {
  if (value === undefined) throw new ApiError(action, 'MalformedAnswer', `the answer has no ${what}`, 200)
  return value
}

const TICKET_FIELDS = ['Host', 'Key', 'OSSAccessKeyId', 'Policy', 'Signature', 'FirmwareUrl'] as const

function ticketOf(data: Answer): UploadTicket {
  const ticket = { ObjectStorage: textOf(data, 'ObjectStorage'), UtcCreate: textOf(data, 'UtcCreate') } as UploadTicket
  for (const name of TICKET_FIELDS) ticket[name] = required('GenerateOTAUploadURL', textOf(data, name), `Data.${name}`)
  return ticket
}

/** Drops absent fields, so that spreading a detail over a row never blanks what the row knew. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/** One row of ListOTAFirmware, in the SDK's field names. */
function summaryOf(action: string, row: Answer): FirmwareSummary {
  return defined({
    FirmwareId: required(action, textOf(row, 'FirmwareId'), 'FirmwareId'),
    FirmwareName: textOf(row, 'FirmwareName') ?? '',
    DestVersion: textOf(row, 'DestVersion') ?? '',
    SrcVersion: textOf(row, 'SrcVersion'),
    FirmwareSign: textOf(row, 'FirmwareSign'),
    FirmwareSize: numberOf(row, 'FirmwareSize'),
    SignMethod: textOf(row, 'SignMethod'),
    ModuleName: textOf(row, 'ModuleName'),
    ProductKey: textOf(row, 'ProductKey'),
    Status: numberOf(row, 'Status'),
    Type: numberOf(row, 'Type'),
    UtcCreate: textOf(row, 'UtcCreate')
  })
}

/** QueryOTAFirmware's FirmwareInfo: a row's fields and the ones only the query has. */
function detailOf(info: Answer): FirmwareDetail {
  return defined({
    ...summaryOf('QueryOTAFirmware', info),
    FirmwareUrl: textOf(info, 'FirmwareUrl'),
    Udi: textOf(info, 'Udi'),
    FirmwareDesc: textOf(info, 'FirmwareDesc')
  })
}

/** The typed operations on top of one RPC caller; answers are read in any casing (answer.ts). */
export function createIotClient(call: ReturnType<typeof createRpcCaller>): IotApi {
  return {
    async generateUploadUrl(fileSuffix) {
      const answer = await call('GenerateOTAUploadURL', { FileSuffix: fileSuffix })
      return ticketOf(required('GenerateOTAUploadURL', dataOf(answer), 'Data'))
    },
    async createFirmware(params) {
      const data = dataOf(await call('CreateOTAFirmware', { ...params }))
      return {
        FirmwareId: required('CreateOTAFirmware', textOf(data, 'FirmwareId'), 'Data.FirmwareId'),
        UtcCreate: required('CreateOTAFirmware', textOf(data, 'UtcCreate'), 'Data.UtcCreate')
      }
    },
    async listFirmware(productKey, destVersion) {
      const found: FirmwareSummary[] = []
      for (let page = 1; ; page++) {
        const answer = await call('ListOTAFirmware', { ProductKey: productKey, DestVersion: destVersion, CurrentPage: page, PageSize: 100 })
        const rows = listOf(answer, 'FirmwareInfo', 'SimpleFirmwareInfo').map((row) => summaryOf('ListOTAFirmware', row))
        // The filter is documented as exact; keep only exact matches in case a server is looser.
        found.push(...rows.filter((row) => row.DestVersion === destVersion))
        if (rows.length === 0 || page >= (numberOf(answer, 'PageCount') ?? 1)) return found
      }
    },
    async queryFirmware(firmwareId) {
      const answer = await call('QueryOTAFirmware', { FirmwareId: firmwareId })
      return detailOf(required('QueryOTAFirmware', objectIn(answer, 'FirmwareInfo'), 'FirmwareInfo'))
    },
    async deleteFirmware(firmwareId) {
      await call('DeleteOTAFirmware', { FirmwareId: firmwareId })
    },
    async listModules(productKey) {
      const answer = await call('ListOTAModuleByProduct', { ProductKey: productKey })
      // `Data` is an array; the marketplace variant's samples show `data`, once as a single object.
      const data = field(answer, 'Data')
      const rows = Array.isArray(data) ? data : [required('ListOTAModuleByProduct', objectOf(answer, 'Data'), 'Data')]
      return rows.map((row: unknown) =>
        defined({
          ModuleName: required('ListOTAModuleByProduct', textOf(row, 'ModuleName'), 'Data[].ModuleName'),
          AliasName: textOf(row, 'AliasName')
        })
      )
    }
  }
}
