import { describe, expect, it } from '@jest/globals'
import { failureOf, field, listOf, numberOf, parseAnswer, textOf } from '../../../src/platform/answer.js'
import { createIotClient, type IotApi } from '../../../src/platform/client.js'
import { createRpcCaller } from '../../../src/platform/rpc-caller.js'
import { isAmbiguous } from '../../../src/net/transient.js'
import { ApiError } from '../../../src/net/api-error.js'
import type { Dialect } from '../../../src/platform/dialects/dialect.js'

/** A client whose every call answers `answer` (HTTP `status`), as the gateway would send it. */
function clientAnswering(body: unknown, status = 200): IotApi {
  const dialect: Dialect = () => ({ method: 'GET', url: 'http://gateway.test/', headers: {}, signature: 'SIG+/=' })
  const call = createRpcCaller({
    endpoint: 'http://gateway.test',
    credentials: { accessKeyId: 'id', accessKeySecret: 'secret' },
    dialect,
    requestTimeoutMs: 1000,
    send: async () => ({ status, headers: {}, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) }),
    pace: async () => undefined,
    now: () => new Date()
  })
  return createIotClient({ call, retry: (_what, fn) => fn(1), isAmbiguous, log: { info: () => undefined } })
}

const ticket = {
  Host: 'https://oss-1.oss-cn-hangzhou.aliyuncs.com',
  Key: 'ota/firmware/a.bin',
  OSSAccessKeyId: 'cS8uRRy54Rsz',
  Policy: 'eyJ9',
  Signature: 'BYKJX8ktrZ2mrTrFvI7mhPmP',
  FirmwareUrl: 'https://oss-1.oss-cn-hangzhou.aliyuncs.com/ota/firmware/a.bin',
  ObjectStorage: 'OSS',
  UtcCreate: '2024-11-11T11:11:11.247Z'
}
const row = {
  FirmwareId: '143',
  FirmwareName: 'fw',
  DestVersion: '1.2.3',
  FirmwareSign: 'abc',
  FirmwareSize: 924,
  SignMethod: 'MD5',
  ModuleName: 'ble',
  ProductKey: 'a1pk',
  Status: 0,
  Type: 0,
  UtcCreate: '2024-11-11T11:11:11.000Z'
}
const detail = { ...row, FirmwareUrl: 'https://oss-1/ota/firmware/a.bin?Expires=1', Udi: '{"a":1}', FirmwareDesc: 'desc' }

/** `FirmwareId` → `firmwareId`, recursively: the marketplace's spelling of the same answer. */
function lowerCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamel)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k === 'OSSAccessKeyId' ? 'ossAccessKeyId' : k[0]!.toLowerCase() + k.slice(1), lowerCamel(v)])
  )
}

type Case = [string, (api: IotApi) => Promise<unknown>, Record<string, unknown>, unknown]
const OPERATIONS: Case[] = [
  ['GenerateOTAUploadURL', (api) => api.generateUploadUrl('bin'), { RequestId: 'r', Success: true, Data: ticket }, ticket],
  [
    'CreateOTAFirmware',
    (api) => api.createFirmware({} as never, async () => undefined),
    { RequestId: 'r', Success: true, Data: { FirmwareId: '143', UtcCreate: 'u' } },
    { FirmwareId: '143', UtcCreate: 'u' }
  ],
  [
    'ListOTAFirmware',
    (api) => api.listFirmware('a1pk', '1.2.3'),
    {
      RequestId: 'r',
      Success: true,
      CurrentPage: 1,
      PageCount: 1,
      Total: 2,
      FirmwareInfo: { SimpleFirmwareInfo: [row, { ...row, FirmwareId: '144', DestVersion: '1.2.30' }] }
    },
    [row]
  ],
  ['QueryOTAFirmware', (api) => api.queryFirmware('143'), { RequestId: 'r', Success: true, FirmwareInfo: detail }, detail],
  ['DeleteOTAFirmware', (api) => api.deleteFirmware('143', async () => undefined), { RequestId: 'r', Success: true }, 'deleted']
]

describe('every operation reads its answer in either casing', () => {
  const spellings: [string, (answer: Record<string, unknown>) => unknown][] = [
    ['PascalCase (Alibaba)', (a) => a],
    // The marketplace's success answers carry `code: ""`.
    ['lower-camel (marketplace)', (a) => ({ code: '', ...(lowerCamel(a) as object) })]
  ]
  const cases = OPERATIONS.flatMap(([name, op, answer, expected]) =>
    spellings.map(([spelling, spell]) => [name, spelling, op, spell(answer), expected] as const)
  )
  it.each(cases)('%s, %s', async (_name, _spelling, op, answer, expected) => {
    await expect(op(clientAnswering(answer))).resolves.toEqual(expected)
  })
})

describe('shapes the documents leave open', () => {
  it.each([
    ['the rows as the array itself', { firmwareInfo: [lowerCamel(row)] }],
    ['the rows under data', { data: { firmwareInfo: { simpleFirmwareInfo: [lowerCamel(row)] } } }],
    ['the array under data', { Data: { FirmwareInfo: [row] } }],
    ['ids and sizes as numbers, sizes as text', { firmwareInfo: [{ ...(lowerCamel(row) as object), firmwareId: 143, firmwareSize: '924' }] }],
    ['FirmwareID as the translated pages spell it', { FirmwareInfo: [{ ...row, FirmwareId: undefined, FirmwareID: '143' }] }]
  ])('ListOTAFirmware with %s', async (_name, answer) => {
    const [found] = await clientAnswering({ success: true, code: '', pageCount: 1, ...answer }).listFirmware('a1pk', '1.2.3')
    expect(found).toMatchObject({ FirmwareId: '143', FirmwareSize: 924, DestVersion: '1.2.3' })
  })

  it('QueryOTAFirmware with FirmwareInfo under data', async () => {
    const found = await clientAnswering({ success: true, data: { firmwareInfo: lowerCamel(detail) } }).queryFirmware('143')
    expect(found).toEqual(detail)
  })

  it('CreateOTAFirmware with FirmwareID and a numeric id', async () => {
    await expect(
      clientAnswering({ Success: true, Data: { FirmwareID: 143, utcCreate: 'u' } }).createFirmware({} as never, async () => undefined)
    ).resolves.toEqual({
      FirmwareId: '143',
      UtcCreate: 'u'
    })
  })

  it('an answer without the field it needs is MalformedAnswer', async () => {
    await expect(clientAnswering({ success: true, code: '', data: {} }).createFirmware({} as never, async () => undefined)).rejects.toMatchObject({
      code: 'MalformedAnswer'
    })
  })
})

describe('error answers in any casing and status', () => {
  it.each([
    ['Alibaba business error', 200, { RequestId: 'r', Success: false, Code: 'iot.ota.X', ErrorMessage: 'bad' }, 'iot.ota.X', 'bad'],
    ['Alibaba gateway error', 400, { RequestId: 'r', HostId: 'h', Code: 'SignatureDoesNotMatch', Message: 'sig' }, 'SignatureDoesNotMatch', 'sig'],
    [
      'marketplace business error',
      200,
      { requestId: 'r', success: false, code: 'iot.system.SystemException', errorMessage: '系统异常' },
      'iot.system.SystemException',
      '系统异常'
    ],
    ['marketplace error with message', 403, { code: 'Forbidden', message: 'no' }, 'Forbidden', 'no'],
    ['a code without success', 200, { code: 'iot.common.InvalidPageParams', errorMessage: 'page' }, 'iot.common.InvalidPageParams', 'page'],
    ['success false as text', 200, { success: 'false', code: 'X' }, 'X', ''],
    ['a status without a code', 502, { success: false }, 'HTTP502', ''],
    ['no JSON at all', 502, '<html>Bad Gateway</html>', 'HTTP502', '<html>Bad Gateway</html>']
  ])('%s', async (_name, status, body, code, message) => {
    const err = await clientAnswering(body, status)
      .deleteFirmware('1', async () => undefined)
      .then(
        () => undefined,
        (e: unknown) => e
      )
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code, status, message: expect.stringContaining(message) })
  })

  it('never quotes the request signature back, plain or percent-encoded', async () => {
    const err = await clientAnswering({ Code: 'SignatureDoesNotMatch', Message: 'got SIG+/= in ?Signature=SIG%2B%2F%3D' }, 400)
      .deleteFirmware('1', async () => undefined)
      .then(
        () => undefined,
        (e: unknown) => e
      )
    expect((err as Error).message).toContain('SignatureDoesNotMatch')
    expect((err as Error).message).not.toContain('SIG')
  })

  it.each([
    ['code "" with success true', { code: '', success: true }],
    ['Success true', { Success: true }],
    ['success "true"', { success: 'true' }]
  ])('%s is success', async (_name, body) => {
    await expect(clientAnswering(body).deleteFirmware('1', async () => undefined)).resolves.toBe('deleted')
  })
})

describe('answer helpers', () => {
  it('match names in any case, one level at a time', () => {
    const answer = { data: { FirmwareID: 7, size: '12', empty: '' } }
    expect(field(answer, 'Data')).toEqual(answer.data)
    expect(textOf(field(answer, 'DATA'), 'firmwareId')).toBe('7')
    expect(numberOf(field(answer, 'data'), 'Size')).toBe(12)
    expect(textOf(field(answer, 'data'), 'empty')).toBeUndefined()
    expect(textOf(answer, 'missing')).toBeUndefined()
    expect(field('not an object', 'x')).toBeUndefined()
  })

  it('find no rows where there are none', () => {
    expect(listOf({ success: true }, 'FirmwareInfo', 'SimpleFirmwareInfo')).toEqual([])
    expect(listOf({ FirmwareInfo: {} }, 'FirmwareInfo', 'SimpleFirmwareInfo')).toEqual([])
  })

  it('parse only JSON objects', () => {
    expect(parseAnswer('[1]')).toBeUndefined()
    expect(parseAnswer('nope')).toBeUndefined()
    expect(parseAnswer('{"a":1}')).toEqual({ a: 1 })
  })

  it('keep the digits of integers past 2^53 where the runtime gives the source', () => {
    const jobId = parseAnswer('{"data":{"jobId":1836340779212661234}}')
    const supported = Number(process.versions.node.split('.')[0]) >= 21
    expect(textOf(field(jobId, 'data'), 'JobId')).toBe(supported ? '1836340779212661234' : String(Number('1836340779212661234')))
  })

  it('call a 2xx answer without code or success a success, and 4xx one a failure', () => {
    expect(failureOf(200, {})).toBeUndefined()
    expect(failureOf(404, {})).toEqual({ code: 'HTTP404', message: '' })
  })
})
