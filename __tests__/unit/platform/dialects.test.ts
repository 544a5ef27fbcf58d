import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { acs3Dialect } from '../../../src/platform/dialects/acs3.js'
import { rpcQueryDialect } from '../../../src/platform/dialects/rpc-query.js'
import { signAcs3, EMPTY_BODY_SHA256 } from '../../../src/platform/signing/acs3.js'
import { parseAcs3Authorization } from '../../../emulator/signing/acs3.js'
import { signV2 } from '../../../src/platform/signing/rpc-v2.js'

const call = (params: Record<string, string>, securityToken?: string, method: 'GET' | 'POST' = 'POST') => ({
  action: 'CreateOTAFirmware',
  method,
  params,
  base: new URL('https://si-d6e8d812acb848958054.tuyacloud.com:8686'),
  credentials: { accessKeyId: 'xMr9wgwXQLhv5AUa65o03mcD', accessKeySecret: 'secret', securityToken },
  now: new Date('2024-11-19T09:47:43.123Z'),
  nonce: '9e6189124f5a4716ad2de849467b0000'
})

/**
 * The query as a server reads it under RFC 3986: split on `&` and `=`, then percent-decode; a `+`
 * stays a plus. Deliberately not URLSearchParams, which would read `+` as a space.
 */
function strictQuery(url: string): Record<string, string> {
  const search = new URL(url).search.slice(1)
  return Object.fromEntries(
    search.split('&').map((pair) => {
      const eq = pair.indexOf('=')
      return [decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1))]
    })
  )
}

const AWKWARD = ['a b', 'a+b', 'a&b=c', '100%', 'x*y~z', "!'()", '固件 说明', '{"ota_notice":"reboot now"}']

describe('the wire carries exactly what was signed', () => {
  it.each(AWKWARD)('ACS3 (alibaba): %j', (value) => {
    const signed = acs3Dialect()(call({ FirmwareDesc: value, Udi: value }))
    const query = strictQuery(signed.url)
    expect(query).toEqual({ FirmwareDesc: value, Udi: value })
    expect(signed.url).not.toMatch(/\+/)
    const auth = parseAcs3Authorization(signed.headers.authorization ?? '')
    const again = signAcs3({ method: 'POST', path: '/', query, headers: signed.headers, bodySha256: EMPTY_BODY_SHA256 }, 'x', 'secret', auth?.signedHeaders)
    expect(again.signature).toBe(auth?.signature)
  })

  it.each(AWKWARD)('HMAC-SHA1 query (marketplace): %j', (value) => {
    const signed = rpcQueryDialect()(call({ FirmwareDesc: value, Udi: value }))
    const query = strictQuery(signed.url)
    expect(query).toMatchObject({ FirmwareDesc: value, Udi: value })
    expect(signV2('GET', query, 'secret')).toBe(query.Signature)
  })

  it('holds for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const signed = rpcQueryDialect()(call({ Udi: value }))
        const query = strictQuery(signed.url)
        return query.Udi === value && signV2('GET', query, 'secret') === query.Signature
      })
    )
  })
})

describe('the marketplace dialect', () => {
  it('is a GET with the samples’ common parameters, Version and SignatureVersion, and nothing else', () => {
    const signed = rpcQueryDialect()(call({ ProductKey: 'a1uctKe' }))
    expect(signed.method).toBe('GET')
    expect(signed.url.startsWith('https://si-d6e8d812acb848958054.tuyacloud.com:8686/?')).toBe(true)
    expect(Object.keys(signed.headers).map((h) => h.toLowerCase())).not.toContain('authorization')
    expect(strictQuery(signed.url)).toEqual({
      AccessKeyId: 'xMr9wgwXQLhv5AUa65o03mcD',
      Action: 'CreateOTAFirmware',
      ProductKey: 'a1uctKe',
      Signature: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '9e6189124f5a4716ad2de849467b0000',
      SignatureVersion: '1.0',
      Timestamp: '2024-11-19T09:47:43Z',
      Version: '2018-01-20'
    })
  })

  it('carries a security token when there is one', () => {
    expect(strictQuery(rpcQueryDialect()(call({}, 'sts-token')).url).SecurityToken).toBe('sts-token')
  })
})

describe('the alibaba dialect', () => {
  it('is a POST with the V3 header signature and IotInstanceId when given', () => {
    const signed = acs3Dialect('iot-cn-1')(call({ ProductKey: 'a1' }, 'sts-token'))
    expect(signed.method).toBe('POST')
    expect(strictQuery(signed.url)).toEqual({ IotInstanceId: 'iot-cn-1', ProductKey: 'a1' })
    expect(signed.headers).toMatchObject({
      'x-acs-action': 'CreateOTAFirmware',
      'x-acs-version': '2018-01-20',
      'x-acs-date': '2024-11-19T09:47:43Z',
      'x-acs-security-token': 'sts-token'
    })
    expect(signed.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=xMr9wgwXQLhv5AUa65o03mcD,/)
  })

  it('sends and signs with the method the operation is declared with (GET for ListOTAModuleByProduct)', () => {
    const get = acs3Dialect()(call({ ProductKey: 'a1' }, undefined, 'GET'))
    const post = acs3Dialect()(call({ ProductKey: 'a1' }, undefined, 'POST'))
    expect([get.method, post.method]).toEqual(['GET', 'POST'])
    // The method is the first line of the canonical request: the signatures differ.
    expect(get.signature).not.toBe(post.signature)
  })

  it('is a GET on the marketplace whatever the declaration', () => {
    expect(rpcQueryDialect()(call({ ProductKey: 'a1' }, undefined, 'POST')).method).toBe('GET')
  })
})
