import IotModule from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { randomUUID } from 'node:crypto'
import { DEFAULT_ACCOUNT, type Emulator, type EmulatorAccount } from '../../emulator/index.js'
import { sha256Hex, signAcs3 } from '../../src/platform/signing/acs3.js'
import { canonicalQuery, percentEncode } from '../../src/platform/signing/percent-encode.js'
import { signV2 } from '../../src/platform/signing/rpc-v2.js'

export interface RawAnswer {
  status: number
  json: Record<string, unknown>
}

export interface RawCallOptions {
  method?: 'GET' | 'POST'
  /** V3 (ACS3 header signature, the SDK's default) or V2 (HMAC-SHA1 query signature). Default V2. */
  scheme?: 'V2' | 'V3'
  account?: EmulatorAccount
  /** The marketplace's sample set of common parameters: no Version, Format or SignatureVersion (V2 only). */
  marketplace?: boolean
}

const utcNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

/** One IoT API call signed by hand, every parameter in the query string: what a gateway sees from any client. */
export async function rawRpc(emulator: Emulator, action: string, params: Record<string, string> = {}, options: RawCallOptions = {}): Promise<RawAnswer> {
  const method = options.method ?? 'POST'
  const account = options.account ?? DEFAULT_ACCOUNT
  const response =
    options.scheme === 'V3' ? await sendV3(emulator, action, params, method, account) : await sendV2(emulator, action, params, method, account, options)
  const text = await response.text()
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> }
}

function sendV2(emulator: Emulator, action: string, params: Record<string, string>, method: string, account: EmulatorAccount, options: RawCallOptions) {
  const all: Record<string, string> = {
    Action: action,
    ...(!options.marketplace && { Version: '2018-01-20', Format: 'JSON', SignatureVersion: '1.0' }),
    AccessKeyId: account.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomUUID(),
    Timestamp: utcNow(),
    ...(account.securityToken && { SecurityToken: account.securityToken }),
    ...params
  }
  const signature = signV2(method, all, account.accessKeySecret)
  return fetch(`${emulator.url}/?${canonicalQuery(all)}&Signature=${percentEncode(signature)}`, { method })
}

function sendV3(emulator: Emulator, action: string, params: Record<string, string>, method: string, account: EmulatorAccount) {
  const headers: Record<string, string> = {
    host: new URL(emulator.url).host,
    'x-acs-action': action,
    'x-acs-version': '2018-01-20',
    'x-acs-date': utcNow(),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-content-sha256': sha256Hex(''),
    ...(account.securityToken && { 'x-acs-security-token': account.securityToken })
  }
  const { authorization } = signAcs3({ method, query: params, headers, bodySha256: sha256Hex('') }, account.accessKeyId, account.accessKeySecret)
  const { host: _host, ...sent } = headers
  return fetch(`${emulator.url}/?${canonicalQuery(params)}`, { method, headers: { ...sent, authorization } })
}

/** GenerateOTAUploadURL, then PostObject of these bytes: the FirmwareUrl of a stored file, ready for CreateOTAFirmware. */
export async function uploadFirmwareFile(emulator: Emulator, bytes: Buffer | string): Promise<string> {
  const issued = await rawRpc(emulator, 'GenerateOTAUploadURL')
  const data = issued.json.Data as Record<string, string>
  const form = new FormData()
  for (const [field, name] of [
    ['key', 'Key'],
    ['policy', 'Policy'],
    ['OSSAccessKeyId', 'OSSAccessKeyId'],
    ['Signature', 'Signature']
  ] as const) {
    form.append(field, data[name] ?? '')
  }
  form.append('file', new Blob([bytes]), 'firmware.bin')
  const posted = await fetch(data.Host ?? '', { method: 'POST', body: form })
  if (posted.status !== 204) throw new Error(`PostObject answered ${posted.status}`)
  return data.FirmwareUrl ?? ''
}

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

/** The official SDK, talking to the emulator with its default account. */
export function sdkFor(emulator: Emulator): InstanceType<typeof IotClient> {
  return new IotClient(new $OpenApi.Config({ ...DEFAULT_ACCOUNT, endpoint: new URL(emulator.url).host, protocol: 'http' }))
}

/** rawRpc (V2) with the method as an argument; the answer's fields are read freely in assertions. */
export async function rawCall(
  emulator: Emulator,
  action: string,
  params: Record<string, string> = {},
  method: 'GET' | 'POST' = 'POST'
  // Answers are read field by field in assertions; their shape is what is under test.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; json: Record<string, any> }> {
  return rawRpc(emulator, action, params, { method })
}

/** The code of a refused call (business or gateway), or 'accepted'. */
export async function codeOf(emulator: Emulator, action: string, params: Record<string, string> = {}, method: 'GET' | 'POST' = 'POST'): Promise<string> {
  const { json } = await rawCall(emulator, action, params, method)
  return json.Success === true ? 'accepted' : String(json.Code)
}
