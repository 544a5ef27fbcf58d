import { describe, expect, it } from '@jest/globals'
import { compareObject, ObjectComparison, ObjectFacts, objectFactsFromHeaders } from '../../../../src/upload/oss/object-check.js'
import { objectUrl } from '../../../../src/upload/oss/object-url.js'

const LOCAL = { size: 5, crc64: '123', md5: '0123456789abcdef0123456789abcdef' }
const MD5_BASE64 = Buffer.from(LOCAL.md5, 'hex').toString('base64')

describe('compareObject', () => {
  it.each<[string, ObjectFacts, ObjectComparison['verdict']]>([
    ['same CRC64 and size', { size: 5, crc64: '123' }, 'same'],
    ['another CRC64', { size: 5, crc64: '999' }, 'different'],
    ['another size', { size: 6, crc64: '123' }, 'different'],
    ['no CRC64, same Content-MD5', { size: 5, contentMd5: MD5_BASE64 }, 'same'],
    ['no CRC64, a plain-MD5 ETag', { size: 5, etag: LOCAL.md5.toUpperCase() }, 'same'],
    ['no CRC64, another plain-MD5 ETag', { size: 5, etag: 'F'.repeat(32) }, 'different'],
    ['only a multipart ETag', { size: 5, etag: `${'F'.repeat(32)}-3` }, 'unknown'],
    ['only a multipart ETag, another size', { size: 9, etag: `${'F'.repeat(32)}-3` }, 'different']
  ])('%s: %s', (_name, remote, verdict) => {
    expect(compareObject(remote, LOCAL).verdict).toBe(verdict)
  })

  it('says what it compared', () => {
    expect(compareObject({ size: 6, crc64: '999' }, LOCAL)).toEqual({ verdict: 'different', remote: 'CRC64 999, 6 bytes', local: 'CRC64 123, 5 bytes' })
  })
})

describe('objectFactsFromHeaders', () => {
  it('reads HeadObject headers', () => {
    expect(objectFactsFromHeaders({ 'content-length': '5', 'x-oss-hash-crc64ecma': '123', etag: '"ABC"', 'content-md5': MD5_BASE64 })).toEqual({
      size: 5,
      crc64: '123',
      etag: 'ABC',
      contentMd5: MD5_BASE64
    })
  })
  it('leaves out what is missing', () => {
    expect(objectFactsFromHeaders({})).toEqual({ size: undefined, crc64: undefined, etag: undefined, contentMd5: undefined })
  })
})

describe('objectUrl', () => {
  it('is virtual-hosted on an OSS endpoint', () => {
    expect(objectUrl({ bucket: 'acme-fw', endpoint: 'https://oss-cn-shanghai.aliyuncs.com', pathStyle: false }, 'ota/wifi/1.2.3/app.bin')).toBe(
      'https://acme-fw.oss-cn-shanghai.aliyuncs.com/ota/wifi/1.2.3/app.bin'
    )
  })
  it('is path-style on an IP endpoint, and encodes each segment', () => {
    expect(objectUrl({ bucket: 'acme-fw', endpoint: 'http://127.0.0.1:8787', pathStyle: true }, 'ota/my fw+1/固件.bin')).toBe(
      'http://127.0.0.1:8787/acme-fw/ota/my%20fw%2B1/%E5%9B%BA%E4%BB%B6.bin'
    )
  })
})
