import IotModule from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { randomUUID } from 'node:crypto'
import { canonicalQuery } from '../../src/platform/signing/percent-encode.js'
import { signV2 } from '../../src/platform/signing/rpc-v2.js'
import { DEFAULT_ACCOUNT, type Emulator } from '../../emulator/index.js'

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

/** The official SDK, talking to the emulator with its default account. */
export function sdkFor(emulator: Emulator): InstanceType<typeof IotClient> {
  return new IotClient(new $OpenApi.Config({ ...DEFAULT_ACCOUNT, endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http' }))
}

export interface RawAnswer {
  status: number
  // Answers are read field by field in assertions; their shape is what is under test.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: Record<string, any>
}

/** One IoT API call signed by hand (RPC HMAC-SHA1, every parameter in the query), as a raw client sends it. */
export async function rawCall(emulator: Emulator, action: string, params: Record<string, string> = {}, method: 'GET' | 'POST' = 'POST'): Promise<RawAnswer> {
  const all: Record<string, string> = {
    Action: action,
    Version: '2018-01-20',
    Format: 'JSON',
    AccessKeyId: DEFAULT_ACCOUNT.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...params
  }
  const signed = { ...all, Signature: signV2(method, all, DEFAULT_ACCOUNT.accessKeySecret) }
  const response = await fetch(`${emulator.url}/?${canonicalQuery(signed)}`, { method })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

/** The error code of a refused call (business or gateway), or 'accepted'. */
export async function codeOf(emulator: Emulator, action: string, params: Record<string, string> = {}, method: 'GET' | 'POST' = 'POST'): Promise<string> {
  const { json } = await rawCall(emulator, action, params, method)
  return json.Success === true ? 'accepted' : String(json.Code)
}
