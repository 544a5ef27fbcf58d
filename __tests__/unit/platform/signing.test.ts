import { describe, expect, it } from '@jest/globals'
import { EMPTY_BODY_SHA256, sha256Hex, signAcs3 } from '../../../src/platform/signing/acs3.js'
// The emulator reads the header the client wrote: the client's own parser would prove nothing.
import { parseAcs3Authorization } from '../../../emulator/signing/acs3.js'
import { signOssPolicy } from '../../../emulator/signing/oss-policy.js'
import { percentEncode } from '../../../src/platform/signing/percent-encode.js'
import { signV2, stringToSignV2 } from '../../../src/platform/signing/rpc-v2.js'

describe('percentEncode', () => {
  it.each([
    ['a-Z_0.9~', 'a-Z_0.9~'],
    [' ', '%20'],
    ['*', '%2A'],
    ["!'()", '%21%27%28%29'],
    ['fw (v1.2.3)', 'fw%20%28v1.2.3%29'],
    ['2016-02-23T12:46:24Z', '2016-02-23T12%3A46%3A24Z'],
    ['固件', '%E5%9B%BA%E4%BB%B6']
  ])('%j -> %s', (input, expected) => {
    expect(percentEncode(input)).toBe(expected)
  })
})

describe('V3 ACS3-HMAC-SHA256 (Alibaba published examples)', () => {
  const base = {
    method: 'POST',
    path: '/',
    query: {
      ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd',
      RegionId: 'cn-shanghai'
    },
    bodySha256: EMPTY_BODY_SHA256
  }
  it.each([
    ['2023-10-26T10:22:32Z', '3156853299f313e23d1673dc12e1703d', '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0'],
    ['2023-10-26T09:01:01Z', 'd410180a5abf7fe235dd9b74aca91fc0', 'e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804']
  ])('date %s nonce %s', (date, nonce, expected) => {
    const headers = {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': date,
      'x-acs-signature-nonce': nonce,
      'x-acs-content-sha256': EMPTY_BODY_SHA256
    }
    const signed = signAcs3({ ...base, headers }, 'YourAccessKeyId', 'YourAccessKeySecret')
    expect(signed.signedHeaders.join(';')).toBe('host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version')
    expect(signed.signature).toBe(expected)
    if (date === '2023-10-26T10:22:32Z') {
      expect(sha256Hex(signed.canonicalRequest)).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259')
    }
    expect(parseAcs3Authorization(signed.authorization)).toEqual({
      algorithm: 'ACS3-HMAC-SHA256',
      accessKeyId: 'YourAccessKeyId',
      signedHeaders: signed.signedHeaders,
      signature: expected
    })
  })

  it('ignores unsigned headers and header-name case', () => {
    const headers = { Host: 'h', 'X-Acs-Action': 'A', 'user-agent': 'x', 'x-acs-date': 'd' }
    const a = signAcs3({ ...base, headers }, 'id', 'secret')
    const b = signAcs3({ ...base, headers: { host: 'h', 'x-acs-action': 'A', 'x-acs-date': 'd' } }, 'id', 'secret')
    expect(a.signature).toBe(b.signature)
    expect(a.signedHeaders).toEqual(['host', 'x-acs-action', 'x-acs-date'])
  })

  it.each(['', 'ACS3-HMAC-SHA256', 'ACS3-HMAC-SHA256 Credential=a,Signature=b'])('rejects malformed Authorization %j', (header) => {
    expect(parseAcs3Authorization(header)).toBeUndefined()
  })
})

describe('V2 HMAC-SHA1 query signature (Alibaba published examples)', () => {
  const params = {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    Version: '2014-05-26',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    Timestamp: '2016-02-23T12:46:24Z'
  }
  it('builds the documented string to sign', () => {
    expect(stringToSignV2('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26'
    )
  })
  it.each([
    ['GET', 'OLeaidS1JvxuMvnyHOwuJ+uX5qY='],
    ['POST', 'MxbnVAM4w6sft9xjVpe/GCKueuk=']
  ])('%s -> %s', (method, expected) => {
    expect(signV2(method, params, 'testsecret')).toBe(expected)
  })
  it('signs the IoT-shaped vector and leaves Signature out of the string', () => {
    const iot = {
      Action: 'CreateOTAFirmware',
      Format: 'JSON',
      Version: '2018-01-20',
      AccessKeyId: 'testid',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Timestamp: '2024-01-01T00:00:00Z',
      RegionId: 'cn-shanghai',
      ProductKey: 'a1pk',
      FirmwareName: 'fw (v1.2.3)',
      DestVersion: '1.2.3',
      FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/def.bin',
      ModuleName: 'default'
    }
    expect(signV2('POST', iot, 'testsecret')).toBe('7hYAcLZ/ZtiF2rfXd2QUz2FBnrA=')
    expect(signV2('POST', { ...iot, Signature: 'x' }, 'testsecret')).toBe('7hYAcLZ/ZtiF2rfXd2QUz2FBnrA=')
  })
})

describe('OSS PostObject policy signature', () => {
  it('matches the documented vector', () => {
    const policy = '{"expiration":"2024-11-20T00:11:18.560Z","conditions":[["content-length-range",0,1048576000],["starts-with","$key","ota/firmware/"]]}'
    const b64 = Buffer.from(policy, 'utf8').toString('base64')
    expect(b64).toBe(
      'eyJleHBpcmF0aW9uIjoiMjAyNC0xMS0yMFQwMDoxMToxOC41NjBaIiwiY29uZGl0aW9ucyI6W1siY29udGVudC1sZW5ndGgtcmFuZ2UiLDAsMTA0ODU3NjAwMF0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJvdGEvZmlybXdhcmUvIl1dfQ=='
    )
    expect(signOssPolicy(b64, 'testsecret')).toBe('4C7aQIr8fy2luXaeF0tNoojoRRA=')
  })
})
