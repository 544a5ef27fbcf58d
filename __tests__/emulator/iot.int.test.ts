import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { withEmulator } from '../support/emulator-harness.js'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256Hex, signAcs3 } from '../../src/platform/signing/acs3.js'
import { canonicalQuery } from '../../src/platform/signing/percent-encode.js'
import { signV2 } from '../../src/platform/signing/rpc-v2.js'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator, type EmulatorAccount } from '../../emulator/index.js'

const QPS_ACCOUNT: EmulatorAccount = { accessKeyId: 'LTAI5tQpsKey', accessKeySecret: 'qps-secret' }
const DENIED_ACCOUNT: EmulatorAccount = { accessKeyId: 'LTAI5tReadOnly', accessKeySecret: 'ro-secret', deny: ['CreateOTAFirmware'] }
/** The same denial answered with the IoT API's own code. */
const DENIED_BUSINESS: EmulatorAccount = { accessKeyId: 'LTAI5tDeniedBiz', accessKeySecret: 'biz-secret', deny: ['CreateOTAFirmware'], denyForm: 'business' }
const STS_ACCOUNT: EmulatorAccount = { accessKeyId: 'STS.NUkey', accessKeySecret: 'sts-secret', securityToken: 'sts-token' }

let emulator: Emulator

beforeAll(async () => {
  // The QPS limit has its own emulator below; here it would only make back-to-back checks flaky.
  emulator = await startEmulator({ accounts: [DEFAULT_ACCOUNT, QPS_ACCOUNT, DENIED_ACCOUNT, DENIED_BUSINESS, STS_ACCOUNT], qpsLimit: 0 })
})

afterAll(async () => {
  await emulator.close()
})

type Scheme = 'V3' | 'V2'

interface CallOptions {
  target?: Emulator
  account?: EmulatorAccount
  method?: 'GET' | 'POST'
  /** `YYYY-MM-DDThh:mm:ssZ` */
  date?: string
  nonce?: string
  version?: string
  /** V3: the x-acs-content-sha256 the client claims (default: the real one). */
  claimedSha256?: string
  /** V3: a form body sent along (not signed by V3, hashed). */
  body?: string
  /** V2: sign as this method while sending with `method`. */
  signAs?: 'GET' | 'POST'
  /** V2: parameters sent in a form body instead of the query. */
  inBody?: boolean
  /** V2: Format (default JSON; null leaves it out). */
  format?: string | null
  /** V2: change a parameter after signing. */
  tamper?: Record<string, string>
  /** Send a space in the query as '+' although it was signed as %20 (the form encoding's habit). */
  plusForSpace?: boolean
}

/** The query as sent: RFC 3986 (what both schemes sign), or with '+' for each space. */
const wireQuery = (params: Record<string, string>, options: CallOptions) =>
  options.plusForSpace ? canonicalQuery(params).replace(/%20/g, '+') : canonicalQuery(params)

interface Answer {
  status: number
  headers: Headers
  text: string
  json: Record<string, unknown>
}

const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex')
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

async function answer(response: Response): Promise<Answer> {
  const text = await response.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    // XML answers are checked as text.
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** An IoT API call signed by hand, V3 (Authorization header) or V2 (query signature). */
async function call(scheme: Scheme, action: string, params: Record<string, string> = {}, options: CallOptions = {}): Promise<Answer> {
  const target = options.target ?? emulator
  const account = options.account ?? DEFAULT_ACCOUNT
  const method = options.method ?? 'POST'
  const date = options.date ?? utc(Date.now())
  const nonce = options.nonce ?? randomUUID()
  const version = options.version ?? '2018-01-20'
  if (scheme === 'V3') {
    const body = options.body ?? ''
    const headers: Record<string, string> = {
      host: `127.0.0.1:${target.port}`,
      'x-acs-action': action,
      'x-acs-version': version,
      'x-acs-date': date,
      'x-acs-signature-nonce': nonce,
      'x-acs-content-sha256': options.claimedSha256 ?? sha256Hex(body),
      ...(body && { 'content-type': 'application/x-www-form-urlencoded' }),
      ...(account.securityToken && { 'x-acs-security-token': account.securityToken })
    }
    const { authorization } = signAcs3(
      { method, query: params, headers, bodySha256: headers['x-acs-content-sha256'] ?? '' },
      account.accessKeyId,
      account.accessKeySecret
    )
    const { host: _host, ...sent } = headers
    const response = await fetch(`${target.url}/?${wireQuery(params, options)}`, {
      method,
      headers: { ...sent, authorization },
      body: method === 'POST' && body ? body : undefined
    })
    return answer(response)
  }
  const all: Record<string, string> = {
    Action: action,
    Version: version,
    ...(options.format !== null && { Format: options.format ?? 'JSON' }),
    AccessKeyId: account.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    Timestamp: date,
    ...(account.securityToken && { SecurityToken: account.securityToken }),
    ...params
  }
  const signed = { ...all, Signature: signV2(options.signAs ?? method, all, account.accessKeySecret), ...options.tamper }
  // A query in RFC 3986 encoding (`%20`), a form body in form encoding.
  const response = options.inBody
    ? await fetch(`${target.url}/`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(signed).toString() })
    : await fetch(`${target.url}/?${wireQuery(signed, options)}`, { method })
  return answer(response)
}

interface UploadData {
  Host: string
  Key: string
  OSSAccessKeyId: string
  Policy: string
  Signature: string
  FirmwareUrl: string
}

async function generateUploadUrl(target = emulator, params: Record<string, string> = {}): Promise<UploadData> {
  const result = await call('V3', 'GenerateOTAUploadURL', params, { target })
  expect(result.status).toBe(200)
  return result.json.Data as UploadData
}

type FormPart = [name: string, value: string | Blob, filename?: string]

function uploadForm(data: UploadData, file: Buffer, extra: FormPart[] = []): FormPart[] {
  return [
    ['key', data.Key],
    ['policy', data.Policy],
    ['OSSAccessKeyId', data.OSSAccessKeyId],
    ['Signature', data.Signature],
    ...extra,
    ['file', new Blob([file]), 'firmware.bin']
  ]
}

async function postObject(host: string, parts: FormPart[], init: RequestInit = {}): Promise<Response> {
  const form = new FormData()
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value)
    else form.append(name, value, filename)
  }
  return fetch(host, { method: 'POST', body: form, ...init })
}

/** GenerateOTAUploadURL then PostObject: the FirmwareUrl of a stored file. */
async function uploadFile(file: Buffer, target = emulator): Promise<UploadData> {
  const data = await generateUploadUrl(target)
  const response = await postObject(data.Host, uploadForm(data, file))
  expect(response.status).toBe(204)
  return data
}

async function incomingFiles(target: Emulator): Promise<string[]> {
  return readdir(join(target.dataDir, '.incoming'))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('RPC gateway checks', () => {
  it.each<Scheme>(['V3', 'V2'])('%s: a correctly signed call succeeds in the official shape', async (scheme) => {
    const result = await call(scheme, 'GenerateOTAUploadURL', { FileSuffix: 'tar.gz' })
    expect(result.status).toBe(200)
    expect(result.json).toMatchObject({ Success: true, RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/) })
    const data = result.json.Data as UploadData & { ObjectStorage: string; UtcCreate: string }
    expect(Object.keys(data).sort()).toEqual(['FirmwareUrl', 'Host', 'Key', 'OSSAccessKeyId', 'ObjectStorage', 'Policy', 'Signature', 'UtcCreate'])
    expect(data.Key).toMatch(/^ota\/[0-9a-f]{32}\/[0-9A-F]{32}\.tar\.gz$/)
    expect(data.Host).toBe(`${emulator.url}/iotx-ota`)
    const policy = JSON.parse(Buffer.from(data.Policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] }
    expect(policy.conditions).toEqual([['eq', '$key', data.Key], ['content-length-range', 0, 1048576000], { bucket: 'iotx-ota' }])
    expect(Date.parse(policy.expiration) - Date.now()).toBeGreaterThan(50_000)
  })

  it.each<Scheme>(['V3', 'V2'])('%s: a timestamp more than 15 minutes off is InvalidTimeStamp.Expired', async (scheme) => {
    const result = await call(scheme, 'GenerateOTAUploadURL', {}, { date: utc(Date.now() - 16 * 60_000) })
    expect(result.status).toBe(400)
    expect(result.json).toMatchObject({ Code: 'InvalidTimeStamp.Expired', HostId: expect.any(String), Recommend: expect.any(String) })
  })

  it.each<[Scheme, string]>([
    ['V3', '2024-02-30T10:00:00Z'],
    ['V2', 'yesterday'],
    ['V2', '2024-01-01T00:00:00.000Z']
  ])('%s: timestamp %s is InvalidTimeStamp.Format', async (scheme, date) => {
    const result = await call(scheme, 'GenerateOTAUploadURL', {}, { date })
    expect(result.json.Code).toBe('InvalidTimeStamp.Format')
  })

  it.each<Scheme>(['V3', 'V2'])('%s: a reused nonce is SignatureNonceUsed', async (scheme) => {
    const nonce = randomUUID()
    expect((await call(scheme, 'GenerateOTAUploadURL', {}, { nonce })).status).toBe(200)
    const replay = await call(scheme, 'GenerateOTAUploadURL', {}, { nonce })
    expect(replay.status).toBe(400)
    expect(replay.json.Code).toBe('SignatureNonceUsed')
  })

  it.each<Scheme>(['V3', 'V2'])('%s: an unknown AccessKeyId is 404 InvalidAccessKeyId.NotFound', async (scheme) => {
    const result = await call(scheme, 'GenerateOTAUploadURL', {}, { account: { accessKeyId: 'LTAI5tNobody', accessKeySecret: 'x' } })
    expect(result.status).toBe(404)
    expect(result.json.Code).toBe('InvalidAccessKeyId.NotFound')
  })

  it.each<Scheme>(['V3', 'V2'])('%s: an unknown action is 404 InvalidApi.NotFound', async (scheme) => {
    const result = await call(scheme, 'DescribeRegions')
    expect(result.status).toBe(404)
    expect(result.json.Code).toBe('InvalidApi.NotFound')
  })

  it.each<Scheme>(['V3', 'V2'])('%s: another API version is InvalidVersion', async (scheme) => {
    const result = await call(scheme, 'GenerateOTAUploadURL', {}, { version: '2017-04-20' })
    expect(result.status).toBe(400)
    expect(result.json.Code).toBe('InvalidVersion')
  })

  it('V3: an x-acs-content-sha256 that is not the hash of the body is SignatureDoesNotMatch', async () => {
    const result = await call('V3', 'GenerateOTAUploadURL', {}, { body: 'FileSuffix=zip', claimedSha256: sha256Hex('') })
    expect(result.status).toBe(400)
    expect(result.json.Code).toBe('SignatureDoesNotMatch')
    expect(result.json.Message).toMatch(/^Specified signature is not matched with our calculation\. server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/)
  })

  it('V3: form body parameters are read, and the body hash is checked', async () => {
    const result = await call('V3', 'GenerateOTAUploadURL', {}, { body: 'FileSuffix=zip' })
    expect(result.status).toBe(200)
    expect((result.json.Data as UploadData).Key).toMatch(/\.zip$/)
  })

  it('V3: an unsigned x-acs-* header is IncompleteSignature', async () => {
    const headers = {
      host: `127.0.0.1:${emulator.port}`,
      'x-acs-action': 'GenerateOTAUploadURL',
      'x-acs-version': '2018-01-20',
      'x-acs-date': utc(Date.now()),
      'x-acs-signature-nonce': randomUUID(),
      'x-acs-content-sha256': sha256Hex('')
    }
    const { authorization } = signAcs3(
      { method: 'POST', query: {}, headers, bodySha256: sha256Hex('') },
      DEFAULT_ACCOUNT.accessKeyId,
      DEFAULT_ACCOUNT.accessKeySecret
    )
    const { host: _host, ...sent } = headers
    const result = await answer(await fetch(`${emulator.url}/`, { method: 'POST', headers: { ...sent, 'x-acs-extra': 'added later', authorization } }))
    expect(result.json.Code).toBe('IncompleteSignature')
  })

  it('V2: a parameter changed after signing is SignatureDoesNotMatch with the server string to sign', async () => {
    const result = await call('V2', 'GenerateOTAUploadURL', { FileSuffix: 'bin' }, { tamper: { FileSuffix: 'zip' } })
    expect(result.status).toBe(400)
    expect(result.json.Code).toBe('SignatureDoesNotMatch')
    expect(result.json.Message).toMatch(/server string to sign is:POST&%2F&AccessKeyId%3D.*FileSuffix%3Dzip/)
  })

  it('V2: the HTTP method is part of the signature', async () => {
    const result = await call('V2', 'GenerateOTAUploadURL', {}, { method: 'POST', signAs: 'GET' })
    expect(result.json.Code).toBe('SignatureDoesNotMatch')
    expect((await call('V2', 'GenerateOTAUploadURL', {}, { method: 'GET' })).status).toBe(200)
  })

  it('V2: parameters in a form body are signed and read', async () => {
    const result = await call('V2', 'GenerateOTAUploadURL', { FileSuffix: 'apk' }, { inBody: true })
    expect(result.status).toBe(200)
    expect((result.json.Data as UploadData).Key).toMatch(/\.apk$/)
  })

  it('V2: a missing Timestamp is MissingTimestamp', async () => {
    const params = new URLSearchParams({
      Action: 'GenerateOTAUploadURL',
      Version: '2018-01-20',
      Format: 'JSON',
      AccessKeyId: DEFAULT_ACCOUNT.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Signature: 'x'
    })
    const result = await answer(await fetch(`${emulator.url}/?${params}`, { method: 'POST' }))
    expect(result.json).toMatchObject({ Code: 'MissingTimestamp', Message: 'Timestamp is mandatory for this action.' })
  })

  it.each([['xml'], [null]])('V2: Format %s answers XML', async (format) => {
    const result = await call('V2', 'QueryOTAFirmware', { FirmwareId: 'nope' }, { format })
    expect(result.headers.get('content-type')).toMatch(/^text\/xml/)
    expect(result.text).toMatch(/<QueryOTAFirmwareResponse><RequestId>[^<]+<\/RequestId><Success>false<\/Success><Code>iot\.ota\.FirmwareNotFound<\/Code>/)
  })

  it('V2: Format json in any case answers JSON', async () => {
    const result = await call('V2', 'QueryOTAFirmware', { FirmwareId: 'nope' }, { format: 'json' })
    expect(result.json).toMatchObject({ Success: false, Code: 'iot.ota.FirmwareNotFound', ErrorMessage: 'The specified firmware does not exist.' })
  })

  it.each<Scheme>(['V3', 'V2'])('%s: an STS key needs its own token', async (scheme) => {
    expect((await call(scheme, 'GenerateOTAUploadURL', {}, { account: STS_ACCOUNT })).status).toBe(200)
    const wrong = await call(scheme, 'GenerateOTAUploadURL', {}, { account: { ...STS_ACCOUNT, securityToken: 'stolen' } })
    expect(wrong.json.Code).toBe('InvalidSecurityToken.MismatchWithAccessKey')
  })

  it.each<Scheme>(['V3', 'V2'])('%s: a query that carries + for a space, signed over %%20, is SignatureDoesNotMatch (a + is a plus)', async (scheme) => {
    const params = { CurrentPage: '1', PageSize: '10', DestVersion: '1.0 beta' }
    expect((await call(scheme, 'ListOTAFirmware', params)).json).toMatchObject({ Success: true })
    const plus = await call(scheme, 'ListOTAFirmware', params, { plusForSpace: true })
    expect(plus.status).toBe(400)
    expect(plus.json).toMatchObject({ Code: 'SignatureDoesNotMatch', HostId: expect.any(String), Recommend: expect.any(String) })
  })

  it.each<Scheme>(['V3', 'V2'])('%s: an STS token presented with a permanent key (LTAI…) is InvalidSecurityToken.MismatchWithAccessKey', async (scheme) => {
    const result = await call(scheme, 'GenerateOTAUploadURL', {}, { account: { ...DEFAULT_ACCOUNT, securityToken: 'CAIS-left-in-the-environment' } })
    expect(result.status).toBe(400)
    expect(result.json).toMatchObject({
      Code: 'InvalidSecurityToken.MismatchWithAccessKey',
      Message: expect.any(String),
      HostId: expect.any(String),
      Recommend: expect.any(String)
    })
    await expect(startEmulator({ accounts: [{ ...DEFAULT_ACCOUNT, securityToken: 'x' }] })).rejects.toThrow(/permanent AccessKey/)
  })

  it('a denied action is 403 Forbidden.RAM, other actions still work', async () => {
    const denied = await call('V3', 'CreateOTAFirmware', { FirmwareName: 'x', DestVersion: '1' }, { account: DENIED_ACCOUNT })
    expect(denied.status).toBe(403)
    expect(denied.json.Code).toBe('Forbidden.RAM')
    expect((await call('V3', 'GenerateOTAUploadURL', {}, { account: DENIED_ACCOUNT })).status).toBe(200)
  })

  it.each(['V3', 'V2'] as const)(
    "with denyForm 'business' a denied action is the IoT API's own code, HTTP 200 Success false (%s); nothing is done",
    async (scheme) => {
      const before = emulator.state.firmwares().length
      const denied = await call(scheme, 'CreateOTAFirmware', { FirmwareName: 'x', DestVersion: '1' }, { account: DENIED_BUSINESS })
      expect(denied.status).toBe(200)
      expect(denied.json).toEqual({
        RequestId: expect.any(String),
        Success: false,
        Code: 'iot.common.RamActionPermissionDeny',
        ErrorMessage: 'You do not have the RAM permission to access the resource.'
      })
      expect(emulator.state.requests().at(-1)).toMatchObject({ action: 'CreateOTAFirmware', status: 200, code: 'iot.common.RamActionPermissionDeny' })
      expect(emulator.state.firmwares()).toHaveLength(before)
      expect((await call(scheme, 'GenerateOTAUploadURL', {}, { account: DENIED_BUSINESS })).json).toMatchObject({ Success: true })
    }
  )

  it('refuses a denyForm it does not know', async () => {
    await expect(startEmulator({ accounts: [{ ...DENIED_BUSINESS, denyForm: 'teapot' as 'business' }] })).rejects.toThrow(
      /denyForm must be gateway or business/
    )
  })

  it('requests are recorded without secrets, and the log has one line each', async () => {
    const lines: string[] = []
    await withEmulator({ log: (line) => lines.push(line) }, async (other) => {
      await call('V3', 'GenerateOTAUploadURL', {}, { target: other })
      await call('V2', 'GenerateOTAUploadURL', {}, { target: other, account: { ...DEFAULT_ACCOUNT, accessKeySecret: 'wrong' } })
      expect(other.state.requests()).toEqual([
        {
          action: 'GenerateOTAUploadURL',
          status: 200,
          method: 'POST',
          signature: 'ACS3-HMAC-SHA256',
          accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
          at: expect.any(Number)
        },
        {
          action: 'GenerateOTAUploadURL',
          status: 400,
          code: 'SignatureDoesNotMatch',
          method: 'POST',
          signature: 'HMAC-SHA1',
          accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
          at: expect.any(Number)
        }
      ])
    })
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/GenerateOTAUploadURL 400 SignatureDoesNotMatch/)
    expect(lines.join('\n')).not.toContain(DEFAULT_ACCOUNT.accessKeySecret)
  })
})

describe('IotInstanceId and products', () => {
  it('requires the configured instance and knows only the configured products', async () => {
    await withEmulator({ iotInstanceId: 'iot-cn-emulator', products: ['a1Known'] }, async (other) => {
      const list = (params: Record<string, string>) => call('V3', 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10', ...params }, { target: other })
      expect((await list({})).json).toMatchObject({
        Success: false,
        Code: 'iot.system.InstanceNotFound',
        ErrorMessage: 'The specified instance ID does not exist.'
      })
      expect((await list({ IotInstanceId: 'iot-cn-other' })).json.Code).toBe('iot.system.InstanceNotFound')
      expect((await list({ IotInstanceId: 'iot-cn-emulator', ProductKey: 'a1Unknown' })).json.Code).toBe('iot.prod.NotExistedProduct')
      expect((await list({ IotInstanceId: 'iot-cn-emulator', ProductKey: 'a1Known' })).json).toMatchObject({ Success: true, Total: 0 })
    })
  })
})

describe('CreateOTAFirmware', () => {
  const file = Buffer.from('validation firmware image')
  let upload: UploadData
  const base = (): Record<string, string> => ({ FirmwareName: `fw-${randomUUID().slice(0, 8)}`, DestVersion: '1.0.0', FirmwareUrl: upload.FirmwareUrl })
  const create = (params: Record<string, string>, target = emulator) => call('V3', 'CreateOTAFirmware', params, { target })
  const query = async (firmwareId: string) => (await call('V3', 'QueryOTAFirmware', { FirmwareId: firmwareId })).json.FirmwareInfo as Record<string, unknown>

  beforeAll(async () => {
    upload = await uploadFile(file)
  })

  it.each<[string, Record<string, string | undefined>, number, string]>([
    ['FirmwareName missing', { FirmwareName: undefined }, 400, 'MissingFirmwareName'],
    ['DestVersion missing', { DestVersion: undefined }, 400, 'MissingDestVersion'],
    ['FirmwareName with a dot and a space', { FirmwareName: 'fw 1.2.3' }, 200, 'iot.firmware.IncorrectFormattedFirmwareName'],
    ['FirmwareName starting with a hyphen', { FirmwareName: '-fw' }, 200, 'iot.firmware.IncorrectFormattedFirmwareName'],
    ['FirmwareName of 41 characters', { FirmwareName: 'f'.repeat(41) }, 200, 'iot.firmware.IncorrectFormattedFirmwareName'],
    // How a Chinese character counts in a name is not documented: the strict reading counts it 2.
    ['FirmwareName of 21 Chinese characters', { FirmwareName: '固'.repeat(21) }, 200, 'iot.firmware.IncorrectFormattedFirmwareName'],
    ['FirmwareName with full-width parentheses', { FirmwareName: 'fw（a）' }, 200, 'iot.firmware.IncorrectFormattedFirmwareName'],
    ['DestVersion with a space', { DestVersion: '1.0 beta' }, 200, 'iot.check.InvalidFormattedParameter'],
    ['DestVersion of 65 characters', { DestVersion: '1'.repeat(65) }, 200, 'iot.check.InvalidFormattedParameter'],
    ['FirmwareDesc of 101 characters', { FirmwareDesc: 'd'.repeat(101) }, 200, 'iot.firmware.FirmwareDescExceedLimit'],
    ['Udi of 4097 characters', { Udi: 'u'.repeat(4097) }, 200, 'iot.firmware.FirmwareUdiExceedLimit'],
    [
      'Udi of 4049 characters, 49 of them Chinese (4098 on the strict count)',
      { Udi: 'u'.repeat(4000) + '升'.repeat(49) },
      200,
      'iot.firmware.FirmwareUdiExceedLimit'
    ],
    ['FirmwareDesc of 51 emoji (UTF-16: 102)', { FirmwareDesc: '😀'.repeat(51) }, 200, 'iot.firmware.FirmwareDescExceedLimit'],
    ['SignMethod in lower case', { SignMethod: 'md5' }, 200, 'iot.check.InvalidFormattedParameter'],
    ['Type 2', { Type: '2' }, 200, 'iot.check.InvalidFormattedParameter'],
    ['Type 1 without SrcVersion', { Type: '1' }, 200, 'iot.check.NullParameter'],
    ['Type 1 with SrcVersion equal to DestVersion', { Type: '1', SrcVersion: '1.0.0' }, 200, 'iot.system.IllegalRequest'],
    ['SrcVersion with a slash', { SrcVersion: '1/0' }, 200, 'iot.check.InvalidFormattedParameter'],
    ['SignMethod SHA1', { SignMethod: 'SHA1' }, 200, 'iot.check.InvalidFormattedParameter'],
    ['NeedToVerify not a boolean', { NeedToVerify: 'yes' }, 200, 'iot.check.InvalidFormattedParameter'],
    ['ModuleName with a space', { ModuleName: 'main board' }, 200, 'iot.ota.InvalidOtaModuleName'],
    ['FirmwareUrl missing', { FirmwareUrl: undefined }, 200, 'iot.check.NullParameter'],
    [
      'FirmwareUrl not from GenerateOTAUploadURL',
      { FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/a/b.bin' },
      200,
      'iot.system.IllegalRequest'
    ],
    ['FirmwareSign not the MD5 of the file', { FirmwareSign: md5('something else') }, 200, 'iot.system.IllegalRequest'],
    ['FirmwareSign an MD5 under SignMethod SHA256', { SignMethod: 'SHA256', FirmwareSign: md5(file) }, 200, 'iot.system.IllegalRequest'],
    ['FirmwareSize off by one', { FirmwareSize: String(file.length + 1) }, 200, 'iot.system.IllegalRequest'],
    ['FirmwareSize not a number', { FirmwareSize: '25kB' }, 200, 'iot.check.InvalidFormattedParameter']
  ])('refuses %s', async (_label, overrides, status, code) => {
    const params = { ...base(), ...overrides }
    for (const [name, value] of Object.entries(params)) if (value === undefined) delete params[name]
    const before = emulator.state.firmwares().length
    const result = await create(params as Record<string, string>)
    expect(result.status).toBe(status)
    if (status === 200) expect(result.json).toMatchObject({ Success: false, Code: code, ErrorMessage: expect.any(String) })
    else expect(result.json.Code).toBe(code)
    expect(emulator.state.firmwares()).toHaveLength(before)
  })

  it("knows each product's modules: default, configured ones and created ones; refuses others with iot.ota.InvalidOtaModuleName", async () => {
    await withEmulator({ modules: { a1pk: ['wifi'] }, qpsLimit: 0 }, async (other) => {
      const stored = await uploadFile(file, other)
      const create = (ModuleName: string, ProductKey = 'a1pk') =>
        call(
          'V3',
          'CreateOTAFirmware',
          { FirmwareName: `m-${randomUUID().slice(0, 8)}`, DestVersion: '1.0.0', FirmwareUrl: stored.FirmwareUrl, ProductKey, ModuleName },
          { target: other }
        )
      expect((await create('default')).json.Success).toBe(true)
      expect((await create('wifi')).json.Success).toBe(true)
      const unknown = await create('ble')
      expect(unknown.json).toMatchObject({ Success: false, Code: 'iot.ota.InvalidOtaModuleName', ErrorMessage: expect.stringContaining('ble') })
      // Configured for one product, unknown in another.
      expect((await create('wifi', 'a1other')).json.Code).toBe('iot.ota.InvalidOtaModuleName')
      expect((await call('V3', 'CreateOTAModule', { ProductKey: 'a1pk', ModuleName: 'ble' }, { target: other })).json.Success).toBe(true)
      expect((await create('ble')).json.Success).toBe(true)
      const listed = await call('V3', 'ListOTAModuleByProduct', { ProductKey: 'a1pk' }, { target: other, method: 'GET' })
      expect((listed.json.Data as Array<{ ModuleName: string }>).map((m) => m.ModuleName)).toEqual(['default', 'wifi', 'ble'])
      expect(other.state.firmwares()).toHaveLength(3)
    })
    await expect(startEmulator({ modules: { a1pk: ['main board'] } })).rejects.toThrow(/not a custom OTA module name/)
  })

  it('fills FirmwareSign, FirmwareSize, SignMethod, ModuleName and Status from the defaults', async () => {
    const created = await create(base())
    const data = created.json.Data as { FirmwareId: string; UtcCreate: string }
    expect(data.UtcCreate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    const info = await query(data.FirmwareId)
    expect(info).toMatchObject({
      FirmwareSign: md5(file),
      FirmwareSize: file.length,
      SignMethod: 'MD5',
      ModuleName: 'default',
      Status: 0,
      Type: 0,
      VerifyProgress: 0
    })
    expect(info).not.toHaveProperty('NeedToVerify')
    expect(emulator.state.firmwares().find((f) => f.FirmwareId === data.FirmwareId)?.NeedToVerify).toBe(true)
  })

  it('takes SHA256 signatures, NeedToVerify false, differential packages and a 100-character CJK description', async () => {
    const params = {
      ...base(),
      SignMethod: 'SHA256',
      FirmwareSign: sha256(file).toUpperCase(),
      NeedToVerify: 'false',
      Type: '1',
      SrcVersion: '0.9.0',
      FirmwareDesc: '固'.repeat(100),
      FirmwareName: `固件-${randomUUID().slice(0, 4)}(a)`
    }
    const created = await create(params)
    expect(created.json.Success).toBe(true)
    expect(await query((created.json.Data as { FirmwareId: string }).FirmwareId)).toMatchObject({
      SignMethod: 'SHA256',
      Status: -1,
      Type: 1,
      SrcVersion: '0.9.0'
    })
  })

  it('takes Japanese names, ー included, and 20 Chinese characters (40 on the strict count)', async () => {
    expect((await create({ ...base(), FirmwareName: `ファームウェア-${randomUUID().slice(0, 4)}` })).json.Success).toBe(true)
    expect((await create({ ...base(), FirmwareName: `${'固'.repeat(17)}${randomUUID().slice(0, 6)}` })).json.Success).toBe(true)
  })

  it('CreateOTAModule takes a Chinese AliasName but not a Japanese one, and a Desc of 50 Chinese characters but not 51', async () => {
    await withEmulator({}, async (other) => {
      const module = (params: Record<string, string>) => call('V3', 'CreateOTAModule', { ProductKey: 'a1alias', ...params }, { target: other })
      expect((await module({ ModuleName: 'scanner', AliasName: '条码扫描仪', Desc: '条'.repeat(50) })).json.Success).toBe(true)
      expect((await module({ ModuleName: 'wifi', AliasName: 'ワイファイ' })).json.Code).toBe('iot.check.InvalidFormattedParameter')
      expect((await module({ ModuleName: 'ble', Desc: '条'.repeat(51) })).json.Code).toBe('iot.check.InvalidFormattedParameter')
    })
  })

  it("defaults FirmwareSign to the object's MD5 whatever SignMethod says, as documented; a given SHA256 is checked", async () => {
    const created = await create({ ...base(), SignMethod: 'SHA256' })
    expect(await query((created.json.Data as { FirmwareId: string }).FirmwareId)).toMatchObject({
      SignMethod: 'SHA256',
      FirmwareSign: md5(file)
    })
    const signed = await create({ ...base(), SignMethod: 'SHA256', FirmwareSign: sha256(file) })
    expect((await query((signed.json.Data as { FirmwareId: string }).FirmwareId)).FirmwareSign).toBe(sha256(file))
  })

  it('refuses a FirmwareUrl that was issued but never uploaded to', async () => {
    const issued = await generateUploadUrl()
    expect((await create({ ...base(), FirmwareUrl: issued.FirmwareUrl })).json.Code).toBe('iot.system.IllegalRequest')
  })

  it('refuses a FirmwareName already in the account, whichever key created it', async () => {
    const params = base()
    expect((await create(params)).json.Success).toBe(true)
    const again = await call('V3', 'CreateOTAFirmware', params, { account: QPS_ACCOUNT })
    expect(again.json).toMatchObject({ Success: false, Code: 'iot.firmware.AlreadyExistedFirmwareName' })
  })

  it('refuses packages beyond the quota with a clear message', async () => {
    await withEmulator({ firmwareQuota: 1 }, async (other) => {
      const stored = await uploadFile(file, other)
      const params = { DestVersion: '1.0.0', FirmwareUrl: stored.FirmwareUrl }
      expect((await create({ ...params, FirmwareName: 'first' }, other)).json.Success).toBe(true)
      const over = await create({ ...params, FirmwareName: 'second' }, other)
      expect(over.json).toMatchObject({ Success: false, Code: 'iot.firmware.FirmwareCountExceedLimit', ErrorMessage: expect.stringContaining('(1)') })
    })
  })

  it('creates multi-file packages from MultiFiles.N.*', async () => {
    const second = Buffer.from('second file')
    const other = await uploadFile(second)
    const created = await create({
      FirmwareName: `multi-${randomUUID().slice(0, 8)}`,
      DestVersion: '3.0.0',
      'MultiFiles.1.Name': 'app',
      'MultiFiles.1.Url': upload.FirmwareUrl,
      'MultiFiles.2.Name': 'data',
      'MultiFiles.2.Url': other.FirmwareUrl,
      'MultiFiles.2.FileMd5': md5(second)
    })
    expect(created.json.Success).toBe(true)
    const info = await query((created.json.Data as { FirmwareId: string }).FirmwareId)
    expect(info.FirmwareUrl).toBeUndefined()
    expect(info.MultiFiles).toEqual([
      { Name: 'app', Url: expect.stringContaining('?Expires='), Size: file.length, SignValue: md5(file), FileMd5: md5(file) },
      { Name: 'data', Url: expect.stringContaining('?Expires='), Size: second.length, SignValue: md5(second), FileMd5: md5(second) }
    ])
    const duplicate = await create({
      FirmwareName: 'multi-dup',
      DestVersion: '3.0.0',
      'MultiFiles.1.Name': 'a',
      'MultiFiles.1.Url': upload.FirmwareUrl,
      'MultiFiles.2.Name': 'a',
      'MultiFiles.2.Url': other.FirmwareUrl
    })
    expect(duplicate.json.Code).toBe('iot.system.IllegalRequest')
  })
})

describe('ListOTAFirmware', () => {
  it('pages, filters on DestVersion exactly and leaves out FirmwareUrl and Udi', async () => {
    await withEmulator({}, async (other) => {
      const stored = await uploadFile(Buffer.from('list me'), other)
      for (const [name, version] of [
        ['a', '1.0.0'],
        ['b', '1.0.0'],
        ['c', '1.0.0-rc1']
      ]) {
        const params = { FirmwareName: name ?? '', DestVersion: version ?? '', FirmwareUrl: stored.FirmwareUrl, Udi: 'hello', ProductKey: 'a1pk' }
        expect((await call('V3', 'CreateOTAFirmware', params, { target: other })).json.Success).toBe(true)
      }
      const list = (params: Record<string, string>) => call('V3', 'ListOTAFirmware', params, { target: other })
      const page = await list({ CurrentPage: '2', PageSize: '2' })
      expect(page.json).toMatchObject({ Success: true, CurrentPage: 2, PageSize: 2, PageCount: 2, Total: 3 })
      const items = (page.json.FirmwareInfo as { SimpleFirmwareInfo: Array<Record<string, unknown>> }).SimpleFirmwareInfo
      expect(items).toHaveLength(1)
      expect(items[0]).not.toHaveProperty('FirmwareUrl')
      expect(items[0]).not.toHaveProperty('Udi')
      const filtered = await list({ CurrentPage: '1', PageSize: '10', DestVersion: '1.0.0', ProductKey: 'a1pk' })
      expect(filtered.json.Total).toBe(2)
    })
  })

  it.each<[Record<string, string>, number, string]>([
    [{ CurrentPage: '1', PageSize: '101' }, 200, 'iot.common.InvalidPageParams'],
    [{ CurrentPage: '0', PageSize: '10' }, 200, 'iot.common.InvalidPageParams'],
    [{ CurrentPage: 'one', PageSize: '10' }, 200, 'iot.common.InvalidPageParams'],
    [{ CurrentPage: '1' }, 400, 'MissingPageSize']
  ])('refuses %j', async (params, status, code) => {
    const result = await call('V3', 'ListOTAFirmware', params)
    expect(result.status).toBe(status)
    expect(result.json.Code).toBe(code)
  })
})

describe('OSS PostObject', () => {
  it('stores the file with digests equal to node:crypto digests, and serves it back', async () => {
    // Several MiB, so the file crosses many stream chunks.
    const file = randomBytes(5 * 1024 * 1024 + 7)
    const data = await uploadFile(file)
    const stored = emulator.state.objects().find((o) => o.key === data.Key)
    expect(stored).toEqual({
      bucket: 'iotx-ota',
      key: data.Key,
      size: file.length,
      md5: md5(file),
      sha256: sha256(file),
      path: expect.any(String),
      storedAt: expect.any(Number)
    })
    expect((await readFile(stored?.path ?? '')).equals(file)).toBe(true)
    const got = await fetch(data.FirmwareUrl)
    expect(got.headers.get('etag')).toBe(`"${md5(file).toUpperCase()}"`)
    expect(Buffer.from(await got.arrayBuffer()).equals(file)).toBe(true)
    const head = await fetch(data.FirmwareUrl, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe(String(file.length))
    const range = await fetch(data.FirmwareUrl, { headers: { range: 'bytes=10-19' } })
    expect(range.status).toBe(206)
    expect(Buffer.from(await range.arrayBuffer()).equals(file.subarray(10, 20))).toBe(true)
  })

  it('answers success_action_status 201 with PostResponse XML and 200 with an empty body', async () => {
    const file = Buffer.from('created')
    const data = await generateUploadUrl()
    const response = await postObject(data.Host, uploadForm(data, file, [['success_action_status', '201']]))
    expect(response.status).toBe(201)
    expect(response.headers.get('server')).toBe('AliyunOSS')
    expect(response.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/)
    const etag = `"${md5(file).toUpperCase()}"`
    expect(response.headers.get('etag')).toBe(etag)
    expect(await response.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Bucket>iotx-ota</Bucket><Key>${data.Key}</Key><ETag>${etag}</ETag><Location>${data.FirmwareUrl}</Location></PostResponse>`
    )
    const second = await generateUploadUrl()
    const ok = await postObject(`${second.Host}/`, uploadForm(second, file, [['Success_Action_Status', '200']]))
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('')
  })

  it('reads field names in any case', async () => {
    const data = await generateUploadUrl()
    const parts: FormPart[] = [
      ['KEY', data.Key],
      ['Policy', data.Policy],
      ['ossaccesskeyid', data.OSSAccessKeyId],
      ['signature', data.Signature],
      ['File', new Blob(['x']), 'x.bin']
    ]
    expect((await postObject(data.Host, parts)).status).toBe(204)
  })

  async function expectRefused(response: Response, status: number, code: string, message?: RegExp): Promise<void> {
    const text = await response.text()
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toBe('application/xml')
    expect(text).toMatch(
      new RegExp(`^<\\?xml[^>]*>\\n<Error><Code>${code}</Code><Message>[^<]*</Message><RequestId>[0-9A-F]{24}</RequestId><HostId>[^<]*</HostId></Error>$`)
    )
    if (message) expect(text).toMatch(message)
  }

  it.each<[string, (data: UploadData, file: Buffer) => FormPart[], number, string, RegExp | undefined]>([
    [
      'a policy signature made with another key',
      (d, f) => uploadForm({ ...d, Signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, f),
      403,
      'SignatureDoesNotMatch',
      undefined
    ],
    ['an unknown OSSAccessKeyId', (d, f) => uploadForm({ ...d, OSSAccessKeyId: 'LTAI5tOther' }, f), 403, 'InvalidAccessKeyId', undefined],
    [
      'another key than the policy allows',
      (d, f) => uploadForm({ ...d, Key: 'ota/other/file.bin' }, f),
      403,
      'AccessDenied',
      /Policy Condition failed: \["eq", "\$key", "ota\/[0-9a-f]{32}\//
    ],
    ['key after file', (d, f) => [...uploadForm(d, f).filter(([n]) => n !== 'key'), ['key', d.Key]], 400, 'InvalidArgument', /key/],
    ['a field after file', (d, f) => [...uploadForm(d, f), ['success_action_status', '201']], 400, 'InvalidArgument', /last/],
    ['no key', (d, f) => uploadForm(d, f).filter(([n]) => n !== 'key'), 400, 'InvalidArgument', /key/],
    [
      'no policy, OSSAccessKeyId or Signature (private bucket)',
      (d, f) => uploadForm(d, f).filter(([n]) => !['policy', 'OSSAccessKeyId', 'Signature'].includes(n)),
      403,
      'AccessDenied',
      undefined
    ],
    ['a policy without its Signature', (d, f) => uploadForm(d, f).filter(([n]) => n !== 'Signature'), 400, 'InvalidArgument', undefined],
    ['no file', (d, f) => uploadForm(d, f).filter(([n]) => n !== 'file'), 400, 'InvalidArgument', /file/]
  ])('refuses %s and stores nothing', async (_label, form, status, code, message) => {
    const file = Buffer.from('refused upload')
    const data = await generateUploadUrl()
    const before = emulator.state.objects().length
    await expectRefused(await postObject(data.Host, form(data, file)), status, code, message)
    expect(emulator.state.objects()).toHaveLength(before)
    expect(await incomingFiles(emulator)).toEqual([])
  })

  it('refuses a body that is not multipart/form-data', async () => {
    await expectRefused(
      await fetch(`${emulator.url}/iotx-ota`, { method: 'POST', body: 'file=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      400,
      'MalformedPOSTRequest'
    )
  })

  it('refuses an expired policy', async () => {
    await withEmulator({ uploadPolicyTtlMs: 1 }, async (other) => {
      const data = await generateUploadUrl(other)
      await sleep(20)
      await expectRefused(
        await postObject(data.Host, uploadForm(data, Buffer.from('late'))),
        403,
        'AccessDenied',
        /Invalid according to Policy: Policy expired\./
      )
    })
  })

  it('refuses a file over the content-length-range and keeps nothing of it', async () => {
    await withEmulator({ maxUploadBytes: 1024 }, async (other) => {
      const data = await generateUploadUrl(other)
      const policy = JSON.parse(Buffer.from(data.Policy, 'base64').toString('utf8')) as { conditions: unknown[] }
      expect(policy.conditions).toContainEqual(['content-length-range', 0, 1024])
      await expectRefused(await postObject(data.Host, uploadForm(data, randomBytes(200 * 1024))), 400, 'EntityTooLarge')
      expect(other.state.objects()).toEqual([])
      expect(await incomingFiles(other)).toEqual([])
      expect((await postObject(data.Host, uploadForm(data, randomBytes(1024)))).status).toBe(204)
    })
  })

  it('checks signed download URLs', async () => {
    const file = Buffer.from('signed download')
    const data = await uploadFile(file)
    const created = await call('V3', 'CreateOTAFirmware', {
      FirmwareName: `dl-${randomUUID().slice(0, 8)}`,
      DestVersion: '1.0.0',
      FirmwareUrl: data.FirmwareUrl
    })
    const id = (created.json.Data as { FirmwareId: string }).FirmwareId
    const signed = ((await call('V3', 'QueryOTAFirmware', { FirmwareId: id })).json.FirmwareInfo as { FirmwareUrl: string }).FirmwareUrl
    expect(Buffer.from(await (await fetch(signed)).arrayBuffer()).equals(file)).toBe(true)
    await expectRefused(await fetch(signed.replace(/Expires=\d+/, 'Expires=1')), 403, 'SignatureDoesNotMatch')
    await expectRefused(await fetch(`${emulator.url}/iotx-ota/ota/none/missing.bin`), 404, 'NoSuchKey')
  })
})

describe('QPS limit', () => {
  it('throttles past 10 calls per second per AccessKeyId, and recovers after a second', async () => {
    await withEmulator({ accounts: [DEFAULT_ACCOUNT, QPS_ACCOUNT] }, async (other) => {
      const burst = (account: EmulatorAccount, n: number) =>
        Promise.all(Array.from({ length: n }, () => call('V3', 'GenerateOTAUploadURL', {}, { target: other, account })))
      const calls = await burst(QPS_ACCOUNT, 15)
      const throttled = calls.filter((c) => c.status !== 200)
      expect(throttled.length).toBeGreaterThan(0)
      expect(calls.length - throttled.length).toBeLessThanOrEqual(10)
      for (const c of throttled) expect(c.json).toMatchObject({ Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' })
      // Another key has its own window.
      expect((await burst(DEFAULT_ACCOUNT, 1))[0]?.status).toBe(200)
      await sleep(1100)
      expect((await burst(QPS_ACCOUNT, 5)).map((c) => c.status)).toEqual([200, 200, 200, 200, 200])
    })
  })

  it('answers the business form when configured', async () => {
    await withEmulator({ qpsLimit: 1, throttleForm: 'business' }, async (other) => {
      const [first, second] = [await call('V3', 'GenerateOTAUploadURL', {}, { target: other }), await call('V3', 'GenerateOTAUploadURL', {}, { target: other })]
      expect(first?.json.Success).toBe(true)
      expect(second?.status).toBe(200)
      expect(second?.json).toMatchObject({ Success: false, Code: 'iot.common.TooManyRequest' })
    })
  })
})

describe('faults', () => {
  let other: Emulator
  beforeAll(async () => {
    other = await startEmulator({ qpsLimit: 0 })
  })
  afterAll(async () => {
    await other.close()
  })
  const rpc = (action = 'GenerateOTAUploadURL', params: Record<string, string> = {}) => call('V3', action, params, { target: other })

  it('throttle: the first `count` calls of the action are throttled, in either form', async () => {
    other.faults.add({ kind: 'throttle', action: 'GenerateOTAUploadURL', count: 2 })
    other.faults.add({ kind: 'throttle', action: 'ListOTAFirmware', count: 1, form: 'business' })
    expect(other.faults.list()).toEqual([
      { kind: 'throttle', action: 'GenerateOTAUploadURL', count: 2 },
      { kind: 'throttle', action: 'ListOTAFirmware', count: 1, form: 'business' }
    ])
    expect((await rpc()).json.Code).toBe('Throttling.User')
    expect(other.faults.list()[0]).toMatchObject({ count: 1 })
    expect((await rpc()).status).toBe(400)
    expect((await rpc()).status).toBe(200)
    const business = await rpc('ListOTAFirmware', { CurrentPage: '1', PageSize: '1' })
    expect(business.json).toMatchObject({ Success: false, Code: 'iot.common.TooManyRequest' })
    expect(other.faults.list()).toEqual([])
  })

  it('server-error: any action with "*", 500 by default or 503; PostObject answers OSS XML', async () => {
    other.faults.add({ kind: 'server-error', action: '*', count: 1, status: 503 })
    other.faults.add({ kind: 'server-error', action: 'ListOTAFirmware', count: 1 })
    const unavailable = await rpc('QueryOTAFirmware', { FirmwareId: 'x' })
    expect(unavailable.status).toBe(503)
    expect(unavailable.json.Code).toBe('ServiceUnavailable')
    const internal = await rpc('ListOTAFirmware', { CurrentPage: '1', PageSize: '1' })
    expect([internal.status, internal.json.Code]).toEqual([500, 'InternalError'])
    const data = await generateUploadUrl(other)
    other.faults.add({ kind: 'server-error', action: 'PostObject', count: 1 })
    const failed = await postObject(data.Host, uploadForm(data, Buffer.from('x')))
    expect(failed.status).toBe(500)
    expect(await failed.text()).toContain('<Code>InternalError</Code>')
    expect(other.state.objects()).toEqual([])
  })

  it('upload-fail: answers 503, or cuts the connection, and stores nothing', async () => {
    const data = await generateUploadUrl(other)
    const earlier = other.state.requests().length
    other.faults.add({ kind: 'upload-fail', count: 1, mode: 'status-503' })
    other.faults.add({ kind: 'upload-fail', count: 1, mode: 'drop' })
    const unavailable = await postObject(data.Host, uploadForm(data, randomBytes(100_000)))
    expect(unavailable.status).toBe(503)
    expect(await unavailable.text()).toContain('<Code>ServiceUnavailable</Code>')
    await expect(postObject(data.Host, uploadForm(data, randomBytes(3 * 1024 * 1024)))).rejects.toThrow()
    expect(other.state.objects()).toEqual([])
    expect(await incomingFiles(other)).toEqual([])
    expect(
      other.state
        .requests()
        .slice(earlier)
        .map((r) => [r.action, r.status])
    ).toEqual([
      ['PostObject', 503],
      ['PostObject', 0]
    ])
    expect((await postObject(data.Host, uploadForm(data, Buffer.from('third time')))).status).toBe(204)
  })

  it('stall-upload: never answers, so the client times out; nothing is stored', async () => {
    const data = await generateUploadUrl(other)
    other.faults.add({ kind: 'stall-upload', count: 1 })
    const before = other.state.objects().length
    await expect(postObject(data.Host, uploadForm(data, Buffer.from('stalled')), { signal: AbortSignal.timeout(300) })).rejects.toThrow()
    expect(other.state.objects()).toHaveLength(before)
  })

  it('ambiguous-create: the package is created but no answer comes; a retry finds the name taken', async () => {
    const stored = await uploadFile(Buffer.from('ambiguous'), other)
    const params = { FirmwareName: 'ambiguous', DestVersion: '1.0.0', FirmwareUrl: stored.FirmwareUrl }
    other.faults.add({ kind: 'ambiguous-create', count: 1 })
    await expect(rpc('CreateOTAFirmware', params)).rejects.toThrow()
    expect(other.state.firmwares().map((f) => f.FirmwareName)).toContain('ambiguous')
    expect((await rpc('CreateOTAFirmware', params)).json.Code).toBe('iot.firmware.AlreadyExistedFirmwareName')
  })

  it('drop: cuts the connection without doing anything', async () => {
    const stored = await uploadFile(Buffer.from('dropped'), other)
    other.faults.add({ kind: 'drop', action: 'CreateOTAFirmware', count: 1 })
    await expect(rpc('CreateOTAFirmware', { FirmwareName: 'dropped', DestVersion: '1.0.0', FirmwareUrl: stored.FirmwareUrl })).rejects.toThrow()
    expect(other.state.firmwares().map((f) => f.FirmwareName)).not.toContain('dropped')
    expect(other.state.requests().at(-1)).toMatchObject({ action: 'CreateOTAFirmware', status: 0 })
  })

  it('slow: delays the answer of the first `count` calls', async () => {
    other.faults.add({ kind: 'slow', action: 'GenerateOTAUploadURL', delayMs: 400, count: 1 })
    await expect(call('V3', 'GenerateOTAUploadURL', {}, { target: other }).then(() => 'answered')).resolves.toBe('answered')
    const started = Date.now()
    other.faults.add({ kind: 'slow', action: 'GenerateOTAUploadURL', delayMs: 400, count: 1 })
    const slow = await rpc()
    expect(slow.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(350)
    expect(other.faults.list()).toEqual([])
  })

  it('refuses malformed faults', () => {
    expect(() => other.faults.add({ kind: 'throttle', action: 'PostObject', count: 1 })).toThrow(/RPC actions only/)
    expect(() => other.faults.add({ kind: 'drop', action: 'X', count: 0 })).toThrow(/positive integer/)
  })
})

describe('control API', () => {
  it('adds, lists and clears faults, shows state and resets over HTTP', async () => {
    await withEmulator({}, async (other) => {
      const control = (method: string, path: string, body?: unknown) =>
        fetch(`${other.url}/__emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
      const added = await control('POST', 'faults', [
        { kind: 'drop', action: '*', count: 1 },
        { kind: 'slow', action: 'PostObject', delayMs: 1 }
      ])
      expect(added.status).toBe(200)
      expect(other.faults.list()).toEqual([
        { kind: 'drop', action: '*', count: 1 },
        { kind: 'slow', action: 'PostObject', delayMs: 1 }
      ])
      expect((await control('POST', 'faults', { kind: 'nope' })).status).toBe(400)
      expect(await (await control('DELETE', 'faults')).json()).toEqual([])
      expect(other.faults.list()).toEqual([])

      const stored = await uploadFile(Buffer.from('control'), other)
      await call('V3', 'CreateOTAFirmware', { FirmwareName: 'ctl', DestVersion: '1.0.0', FirmwareUrl: stored.FirmwareUrl }, { target: other })
      const state = (await (await control('GET', 'state')).json()) as { firmwares: unknown[]; objects: Array<{ path: string }>; requests: unknown[] }
      expect(state.firmwares).toHaveLength(1)
      expect(state.objects).toHaveLength(1)
      expect(state.requests).toHaveLength(3)

      other.faults.add({ kind: 'drop', action: '*', count: 1 })
      expect((await control('POST', 'reset')).status).toBe(200)
      expect([other.state.firmwares(), other.state.objects(), other.state.requests(), other.faults.list()]).toEqual([[], [], [], []])
      await expect(readFile(state.objects[0]?.path ?? '')).rejects.toThrow()
      expect((await control('GET', 'nothing')).status).toBe(404)
    })
  })

  it('removes its temporary data folder on close', async () => {
    const other = await startEmulator()
    await uploadFile(Buffer.from('temp'), other)
    await other.close()
    await expect(readdir(other.dataDir)).rejects.toThrow()
  })
})
