import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import { parseInputs } from '../../../src/config/inputs.js'

const BASE: Record<string, string> = {
  'access-key-id': 'LTAIid',
  'access-key-secret': 'top-secret-value',
  'product-key': 'a1uctKe1234',
  files: 'build/*.bin'
}

function parse(overrides: Record<string, string> = {}) {
  const values = { ...BASE, ...overrides }
  return parseInputs((name) => values[name] ?? '', {})
}

describe('upload-mode', () => {
  it('defaults to platform', () => {
    expect(parse().upload).toEqual({ mode: 'platform' })
  })

  it('accepts the mode in any case', () => {
    expect(parse({ 'upload-mode': 'OSS', 'oss-bucket': 'acme-fw' }).upload.mode).toBe('oss')
  })

  it('oss: region from region-id, the regional endpoint, virtual-hosted, the default key', () => {
    expect(parse({ 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'region-id': 'ap-southeast-1' }).upload).toEqual({
      mode: 'oss',
      oss: {
        bucket: 'acme-fw',
        region: 'ap-southeast-1',
        endpoint: 'https://oss-ap-southeast-1.aliyuncs.com',
        pathStyle: false,
        keyTemplate: 'ota/{module}/{version}/{file}'
      }
    })
  })

  it.each([
    ['cn-hangzhou', 'cn-hangzhou'],
    ['oss-cn-hangzhou', 'cn-hangzhou']
  ])('oss: oss-region %s is region %s', (given, region) => {
    const upload = parse({ 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'oss-region': given }).upload
    expect(upload).toMatchObject({ oss: { region, endpoint: `https://oss-${region}.aliyuncs.com` } })
  })

  it.each([
    ['http://127.0.0.1:8787/', 'http://127.0.0.1:8787', true],
    ['http://[::1]:8787', 'http://[::1]:8787', true],
    ['https://oss-cn-shanghai-internal.aliyuncs.com', 'https://oss-cn-shanghai-internal.aliyuncs.com', false]
  ])('oss: oss-endpoint %s, path-style only for IP addresses', (given, endpoint, pathStyle) => {
    expect(parse({ 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'oss-endpoint': given }).upload).toMatchObject({ oss: { endpoint, pathStyle } })
  })

  it('url: files become optional; size and sign are read', () => {
    const inputs = parse({
      'upload-mode': 'url',
      files: '',
      'firmware-url': 'https://acme-fw.oss-cn-shanghai.aliyuncs.com/fw 1.bin',
      'firmware-size': '1024',
      'firmware-sign': 'ABCDEF0123456789ABCDEF0123456789'
    })
    expect(inputs.files).toEqual([])
    expect(inputs.upload).toEqual({
      mode: 'url',
      url: { firmwareUrl: 'https://acme-fw.oss-cn-shanghai.aliyuncs.com/fw%201.bin', size: 1024, sign: 'abcdef0123456789abcdef0123456789' }
    })
  })

  it('url: a SHA256 sign is 64 hex characters', () => {
    expect(parse({ 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'sign-method': 'SHA256', 'firmware-sign': 'a'.repeat(64) }).upload).toMatchObject({
      url: { sign: 'a'.repeat(64) }
    })
  })

  it('platform and oss still need files', () => {
    expect(actionErrorOf(() => parse({ files: '' })).input).toBe('files')
    expect(actionErrorOf(() => parse({ files: '', 'upload-mode': 'oss', 'oss-bucket': 'acme-fw' })).input).toBe('files')
  })

  it.each([
    ['upload-mode', { 'upload-mode': 'ftp' }, 'platform, oss, url'],
    ['oss-bucket', { 'upload-mode': 'oss' }, 'required'],
    ['oss-bucket', { 'upload-mode': 'oss', 'oss-bucket': 'ab' }, 'bucket name'],
    ['oss-bucket', { 'upload-mode': 'oss', 'oss-bucket': '-acme' }, 'bucket name'],
    ['oss-bucket', { 'upload-mode': 'oss', 'oss-bucket': 'Acme' }, 'lower-case'],
    ['oss-region', { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'oss-region': 'Shanghai' }, 'region id'],
    ['oss-endpoint', { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'oss-endpoint': 'oss-cn-shanghai.aliyuncs.com' }, 'absolute'],
    ['oss-endpoint', { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'oss-endpoint': 'https://oss-cn-shanghai.aliyuncs.com/acme-fw' }, 'without path'],
    [
      'oss-endpoint',
      { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'oss-endpoint': 'https://acme-fw.oss-cn-shanghai.aliyuncs.com' },
      "the region's endpoint without the bucket, e.g. https://oss-cn-shanghai.aliyuncs.com"
    ],
    ['oss-key', { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'oss-key': '{module}/{date}/{file}' }, '{date}'],
    ['oss-bucket', { 'oss-bucket': 'acme-fw' }, "only used with 'upload-mode: oss', and 'upload-mode' is platform"],
    ['oss-key', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'oss-key': 'k' }, "only used with 'upload-mode: oss'"],
    ['firmware-url', { 'firmware-url': 'https://x/fw.bin' }, "only used with 'upload-mode: url'"],
    [
      'firmware-url',
      { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'firmware-url': 'https://x/fw.bin' },
      "only used with 'upload-mode: url', and 'upload-mode' is oss"
    ],
    [
      'oss-bucket',
      { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'oss-bucket': 'acme-fw' },
      "only used with 'upload-mode: oss', and 'upload-mode' is url"
    ],
    ['firmware-sign', { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw', 'firmware-sign': 'a'.repeat(32) }, "only used with 'upload-mode: url'"],
    ['firmware-url', { 'upload-mode': 'url' }, 'required'],
    ['firmware-url', { 'upload-mode': 'url', 'firmware-url': 'ftp://x/fw.bin' }, 'http'],
    ['firmware-url', { 'upload-mode': 'url', 'firmware-url': 'fw.bin' }, 'must be an absolute http:// or https:// URL'],
    ['firmware-url', { 'upload-mode': 'url', 'firmware-url': 'https://user:pw@x/fw.bin' }, 'credentials'],
    ['firmware-size', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'firmware-size': '0' }, 'from 1 to 1048576000'],
    ['firmware-size', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'firmware-size': '1048576001' }, 'from 1 to 1048576000'],
    ['firmware-size', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'firmware-size': '1.5' }, 'whole number'],
    ['firmware-size', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'firmware-size': '12kb' }, 'whole number'],
    ['firmware-sign', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'firmware-sign': 'a'.repeat(64) }, "MD5 digest ('sign-method') as 32 hex"],
    ['firmware-sign', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'firmware-sign': 'g'.repeat(32) }, '32 hex'],
    ['firmware-sign', { 'upload-mode': 'url', 'firmware-url': 'https://x/fw.bin', 'firmware-sign': 'abc' }, '32 hex characters']
  ])('rejects a bad %s (%j)', (input, overrides, fragment) => {
    const err = actionErrorOf(() => parse(overrides))
    expect(err.input).toBe(input)
    expect(err.message).toContain(`Input '${input}'`)
    expect(err.message).toContain(fragment)
  })
})
