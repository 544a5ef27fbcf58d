import { describe, expect, it } from '@jest/globals'
import { acs3CanonicalRequest, acs3Signature, parseAcs3Authorization, sha256Hex } from '../../emulator/signing/acs3.js'
import { signOssPolicy } from '../../emulator/signing/oss-policy.js'
import { canonicalQuery, parseRawQuery, pe } from '../../emulator/signing/rfc3986.js'
import { rpcSignature, rpcStringToSign } from '../../emulator/signing/rpc-v2.js'

/** The emulator's own verifiers against Alibaba's published vectors, with the query as a server receives it. */

describe('RFC 3986 query reading', () => {
  it.each([
    ['a-Z_0.9~', 'a-Z_0.9~'],
    [' ', '%20'],
    ['*', '%2A'],
    ["!'()", '%21%27%28%29'],
    ['+', '%2B'],
    ['固件', '%E5%9B%BA%E4%BB%B6']
  ])('pe(%j) = %s', (input, expected) => {
    expect(pe(input)).toBe(expected)
  })

  it.each<[string, [string, string][]]>([
    ['a=b+c', [['a', 'b+c']]],
    ['a=b%20c', [['a', 'b c']]],
    [
      'a=b%2Bc&x',
      [
        ['a', 'b+c'],
        ['x', '']
      ]
    ],
    [
      'd=(v1)*~&e=%E5%9B%BA',
      [
        ['d', '(v1)*~'],
        ['e', '固']
      ]
    ],
    ['bad=%E5%9B', [['bad', '%E5%9B']]],
    ['', []]
  ])('%j: a + is a plus, escapes are decoded', (raw, pairs) => {
    expect(parseRawQuery(raw)).toEqual(pairs)
  })

  it('re-encodes what it decoded: + and %20 give different canonical forms', () => {
    expect(canonicalQuery(parseRawQuery('b=x+y&a=(1)'))).toBe('a=%281%29&b=x%2By')
    expect(canonicalQuery(parseRawQuery('b=x%20y&a=%281%29'))).toBe('a=%281%29&b=x%20y')
  })
})

describe('ACS3-HMAC-SHA256 (Alibaba published examples)', () => {
  const signedHeaders = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version']
  it.each([
    ['2023-10-26T10:22:32Z', '3156853299f313e23d1673dc12e1703d', '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0'],
    ['2023-10-26T09:01:01Z', 'd410180a5abf7fe235dd9b74aca91fc0', 'e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804']
  ])('date %s nonce %s', (date, nonce, expected) => {
    const request = {
      method: 'POST',
      query: parseRawQuery('ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai'),
      headers: {
        host: 'ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action': 'RunInstances',
        'x-acs-version': '2014-05-26',
        'x-acs-date': date,
        'x-acs-signature-nonce': nonce,
        'x-acs-content-sha256': sha256Hex('')
      },
      bodySha256: sha256Hex('')
    }
    const canonical = acs3CanonicalRequest(request, signedHeaders)
    if (nonce === '3156853299f313e23d1673dc12e1703d') expect(sha256Hex(canonical)).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259')
    expect(acs3Signature(canonical, 'YourAccessKeySecret').signature).toBe(expected)
  })

  it.each(['', 'ACS3-HMAC-SHA256', 'ACS3-HMAC-SHA256 Credential=a,Signature=b'])('refuses the malformed Authorization %j', (header) => {
    expect(parseAcs3Authorization(header)).toBeUndefined()
  })
})

describe('RPC HMAC-SHA1 query signature (Alibaba published examples)', () => {
  const raw =
    'AccessKeyId=testid&Action=DescribeRegions&Format=XML&Version=2014-05-26&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&Timestamp=2016-02-23T12%3A46%3A24Z'
  it('builds the documented string to sign from the received query', () => {
    expect(rpcStringToSign('GET', parseRawQuery(raw))).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26'
    )
  })
  it.each([
    ['GET', 'OLeaidS1JvxuMvnyHOwuJ+uX5qY='],
    ['POST', 'MxbnVAM4w6sft9xjVpe/GCKueuk=']
  ])('%s -> %s', (method, expected) => {
    expect(rpcSignature(rpcStringToSign(method, parseRawQuery(raw)), 'testsecret')).toBe(expected)
  })
  it('verifies the IoT-shaped vector, received with %20 and with Signature left out of the string', () => {
    const iot =
      'Action=CreateOTAFirmware&Format=JSON&Version=2018-01-20&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&Timestamp=2024-01-01T00%3A00%3A00Z&RegionId=cn-shanghai&ProductKey=a1pk&FirmwareName=fw%20(v1.2.3)&DestVersion=1.2.3&FirmwareUrl=https%3A%2F%2Fiotx-ota.oss-cn-shanghai.aliyuncs.com%2Fota%2Fabc%2Fdef.bin&ModuleName=default'
    expect(rpcSignature(rpcStringToSign('POST', parseRawQuery(`${iot}&Signature=x`)), 'testsecret')).toBe('7hYAcLZ/ZtiF2rfXd2QUz2FBnrA=')
    // The same parameters with a + for the space are another string: a plus.
    expect(rpcSignature(rpcStringToSign('POST', parseRawQuery(iot.replace('%20', '+'))), 'testsecret')).not.toBe('7hYAcLZ/ZtiF2rfXd2QUz2FBnrA=')
  })
})

describe('OSS PostObject policy signature', () => {
  it('matches the documented vector', () => {
    const b64 =
      'eyJleHBpcmF0aW9uIjoiMjAyNC0xMS0yMFQwMDoxMToxOC41NjBaIiwiY29uZGl0aW9ucyI6W1siY29udGVudC1sZW5ndGgtcmFuZ2UiLDAsMTA0ODU3NjAwMF0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJvdGEvZmlybXdhcmUvIl1dfQ=='
    expect(signOssPolicy(b64, 'testsecret')).toBe('4C7aQIr8fy2luXaeF0tNoojoRRA=')
  })
})
