import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import { parseInputs } from '../../../src/config/inputs.js'

const BASE: Record<string, string> = {
  'access-key-id': 'LTAIid',
  'access-key-secret': 'top-secret-value',
  'product-key': 'a1uctKe1234',
  files: 'build/*.bin'
}

function parse(overrides: Record<string, string> = {}, env: Record<string, string> = {}) {
  const values = { ...BASE, ...overrides }
  return parseInputs((name) => values[name] ?? '', env)
}

describe('parseInputs', () => {
  it('applies the defaults', () => {
    const inputs = parse()
    expect(inputs).toMatchObject({
      regionId: 'cn-shanghai',
      endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
      moduleName: undefined,
      files: ['build/*.bin'],
      needToVerify: true,
      signMethod: 'MD5',
      firmwareType: 'full',
      maxAttempts: 5,
      timeoutMs: 30 * 60_000,
      dryRun: false,
      versionFormat: 'strict',
      buildMetadata: 'strip',
      prerelease: 'allow',
      moduleMismatch: 'fail',
      onVersionConflict: 'fail'
    })
    expect(inputs.credentials).toEqual({ accessKeyId: 'LTAIid', accessKeySecret: 'top-secret-value', securityToken: undefined })
  })

  it('builds the endpoint from the region, and lets endpoint override it', () => {
    expect(parse({ 'region-id': 'ap-southeast-1' }).endpoint).toBe('https://iot.ap-southeast-1.aliyuncs.com')
    expect(parse({ endpoint: 'http://127.0.0.1:8787/' }).endpoint).toBe('http://127.0.0.1:8787')
  })

  it.each([
    [
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b', ALIBABA_CLOUD_SECURITY_TOKEN: 'c' },
      { accessKeyId: 'a', accessKeySecret: 'b', securityToken: 'c' }
    ],
    [
      { ALICLOUD_ACCESS_KEY: 'x', ALICLOUD_SECRET_KEY: 'y', ALICLOUD_SECURITY_TOKEN: 'z' },
      { accessKeyId: 'x', accessKeySecret: 'y', securityToken: 'z' }
    ],
    [
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'new', ALICLOUD_ACCESS_KEY: 'old', ALICLOUD_SECRET_KEY: 'y' },
      { accessKeyId: 'new', accessKeySecret: 'y', securityToken: undefined }
    ]
  ])('falls back to the credential environment %j', (env, expected) => {
    expect(parse({ 'access-key-id': '', 'access-key-secret': '' }, env).credentials).toEqual(expected)
  })

  it('inputs beat the environment', () => {
    expect(parse({}, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env' }).credentials?.accessKeyId).toBe('LTAIid')
  })

  describe('credentials come as one set: an environment token goes only with its own key', () => {
    const STALE = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.other', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's', ALIBABA_CLOUD_SECURITY_TOKEN: 'stale-token' }
    it.each<[string, Record<string, string>, Record<string, string>, string | undefined, boolean]>([
      ['input keys, environment token of another key: ignored', {}, STALE, undefined, true],
      ['input keys, token without a key id in the environment: ignored', {}, { ALICLOUD_SECURITY_TOKEN: 'stale-token' }, undefined, true],
      [
        'input keys, environment holds the same key: its token',
        { 'access-key-id': 'STS.same' },
        { ...STALE, ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.same' },
        'stale-token',
        false
      ],
      [
        'input keys, same key under the older names: its token',
        { 'access-key-id': 'STS.same' },
        { ALICLOUD_ACCESS_KEY: 'STS.same', ALICLOUD_SECURITY_TOKEN: 'tok' },
        'tok',
        false
      ],
      ['input keys and input token: the input token', { 'security-token': 'given' }, STALE, 'given', false],
      ['keys and token all from the environment: its token', { 'access-key-id': '', 'access-key-secret': '' }, STALE, 'stale-token', false],
      ['input keys, no token anywhere: none', {}, {}, undefined, false]
    ])('%s', (_label, overrides, env, token, noted) => {
      const inputs = parse(overrides, env)
      expect(inputs.credentials?.securityToken).toBe(token)
      expect(inputs.debugNotes).toHaveLength(noted ? 1 : 0)
      if (noted) {
        expect(inputs.debugNotes[0]).toContain("Ignoring the STS token in ALIBABA_CLOUD_SECURITY_TOKEN/ALICLOUD_SECURITY_TOKEN: input 'access-key-id'")
        expect(inputs.debugNotes[0]).not.toContain('stale-token')
      }
    })
  })

  it('allows a dry run without credentials', () => {
    expect(parse({ 'access-key-id': '', 'access-key-secret': '', 'dry-run': 'true' }).credentials).toBeUndefined()
  })

  it('reads multi-line patterns, skipping blanks and comments', () => {
    expect(parse({ files: '\n build/*.bin \n# a comment\n!build/debug.bin\n' }).files).toEqual(['build/*.bin', '!build/debug.bin'])
  })

  it.each([
    ['access-key-id', { 'access-key-id': '' }, 'ALIBABA_CLOUD_ACCESS_KEY_ID'],
    ['access-key-secret', { 'access-key-secret': '' }, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    ['access-key-id', { 'access-key-id': '', 'access-key-secret': '' }, "Input 'access-key-id' is not set"],
    ['product-key', { 'product-key': '' }, 'required'],
    ['product-key', { 'product-key': 'a1 b' }, '"a1 b"'],
    ['files', { files: '' }, 'empty'],
    ['files', { files: '# only a comment' }, 'empty'],
    ['region-id', { 'region-id': 'Shanghai' }, 'region id'],
    ['endpoint', { endpoint: 'iot.example.com' }, 'absolute'],
    ['endpoint', { endpoint: 'not a url' }, 'absolute'],
    ['endpoint', { endpoint: 'ftp://x' }, 'http'],
    ['endpoint', { endpoint: 'https://x/api' }, 'without path'],
    ['iot-instance-id', { 'iot-instance-id': 'iot cn' }, 'instance id'],
    ['module-name', { 'module-name': 'wi fi' }, '1 to 64'],
    ['module-name', { 'module-name': 'm'.repeat(65) }, '1 to 64'],
    ['dest-version', { 'dest-version': '1.2.3+build' }, 'DestVersion'],
    ['dest-version', { 'dest-version': '1.2.3/beta' }, '"1.2.3/beta"'],
    ['dest-version', { 'dest-version': 'v'.repeat(65) }, '1 to 64'],
    ['firmware-desc', { 'firmware-desc': 'd'.repeat(101) }, 'at most 100'],
    ['udi', { udi: 'u'.repeat(4097) }, 'at most 4096'],
    ['need-to-verify', { 'need-to-verify': 'yes' }, 'true and false'],
    ['sign-method', { 'sign-method': 'SHA1' }, 'MD5, SHA256'],
    ['firmware-type', { 'firmware-type': 'delta' }, 'full, diff'],
    ['src-version', { 'firmware-type': 'diff' }, "is required when 'firmware-type' is diff"],
    ['src-version', { 'firmware-type': 'diff', 'src-version': '1.0.0/x' }, 'SrcVersion'],
    ['max-attempts', { 'max-attempts': '0' }, 'whole number from 1 to 20'],
    ['max-attempts', { 'max-attempts': '2.5' }, 'whole number'],
    ['timeout-minutes', { 'timeout-minutes': 'ten' }, 'number'],
    ['request-timeout-seconds', { 'request-timeout-seconds': '-1' }, 'number'],
    ['dry-run', { 'dry-run': 'maybe' }, 'true and false'],
    ['version-format', { 'version-format': 'semver' }, 'strict, loose'],
    ['build-metadata', { 'build-metadata': 'drop' }, 'strip, keep, fail'],
    ['prerelease', { prerelease: 'ignore' }, 'allow, skip, fail, verify'],
    ['module-mismatch', { 'module-mismatch': 'warn' }, 'fail, skip'],
    ['on-version-conflict', { 'on-version-conflict': 'replace' }, 'fail, skip'],
    ['package-quota', { 'package-quota': '0' }, 'whole number from 1 to 100000'],
    ['package-quota', { 'package-quota': '500.5' }, 'whole number'],
    ['package-quota', { 'package-quota': 'unlimited' }, 'whole number']
  ])('rejects a bad %s (%j)', (input, overrides, fragment) => {
    const err = actionErrorOf(() => parse(overrides))
    expect(err.input).toBe(input)
    expect(err.message).toContain(`Input '${input}'`)
    expect(err.message).toContain(fragment)
  })

  it.each([
    [{}, 'alibaba'],
    [{ endpoint: 'http://127.0.0.1:8787' }, 'alibaba'],
    [{ endpoint: 'https://si-d6e8d812acb848958054.tuyacloud.com:8686' }, 'marketplace'],
    [{ endpoint: 'https://SI-D6E8D812ACB848958054.TuyaCloud.com:8686' }, 'marketplace'],
    [{ endpoint: 'https://tuyacloud.com.example.org' }, 'alibaba'],
    [{ endpoint: 'https://si-d6e8d812acb848958054.tuyacloud.com:8686', 'api-variant': 'alibaba' }, 'alibaba'],
    [{ endpoint: 'http://127.0.0.1:8787', 'api-variant': 'Marketplace' }, 'marketplace']
  ])('api-variant from %j is %s', (overrides, expected) => {
    expect(parse(overrides).apiVariant).toBe(expected)
  })

  // Each refusal says it is the marketplace's rule.
  it.each([
    ['api-variant', { 'api-variant': 'tuya' }, 'alibaba, marketplace'],
    ['endpoint', { 'api-variant': 'marketplace' }, "is required with 'api-variant: marketplace'", 'instance console'],
    ['iot-instance-id', { 'api-variant': 'marketplace', endpoint: 'http://127.0.0.1:8787', 'iot-instance-id': 'iot-cn-1' }, 'take no IotInstanceId'],
    [
      'firmware-type',
      { 'api-variant': 'marketplace', endpoint: 'http://127.0.0.1:8787', 'firmware-type': 'diff', 'src-version': '1.0.0' },
      'full packages only'
    ],
    // Chosen by the endpoint's host alone.
    ['firmware-type', { endpoint: 'https://si-1.tuyacloud.com:8686', 'firmware-type': 'diff' }, 'full packages only'],
    [
      'firmware-type',
      { endpoint: 'https://si-d6e8d812acb848958054.tuyacloud.com:8686', 'firmware-type': 'diff', 'src-version': '1.0.0' },
      'full packages only'
    ],
    ['upload-mode', { endpoint: 'https://si-1.tuyacloud.com:8686', 'upload-mode': 'oss', 'oss-bucket': 'my-bucket' }, 'own OSS bucket']
  ])('marketplace rules: %s (%j)', (input, overrides, ...fragments) => {
    const err = actionErrorOf(() => parse(overrides))
    expect(err.input).toBe(input)
    expect(err.message).toContain(`Input '${input}'`)
    expect(err.message).toContain('marketplace')
    for (const fragment of fragments) expect(err.message + (err.hint ?? '')).toContain(fragment)
  })

  it('refuses a url package under SHA256 with neither its digest nor the file (the platform would digest it with MD5)', () => {
    const url = { 'upload-mode': 'url', 'firmware-url': 'https://cdn.example.com/fw.bin', 'sign-method': 'SHA256', files: '' }
    const err = actionErrorOf(() => parse(url))
    expect(err.input).toBe('firmware-sign')
    expect(err.hint).toContain('MD5')
    expect(parse({ ...url, 'firmware-sign': 'a'.repeat(64) }).upload).toMatchObject({ mode: 'url', url: { sign: 'a'.repeat(64) } })
    expect(parse({ ...url, files: 'build/*.bin' }).files).toEqual(['build/*.bin'])
    expect(parse({ ...url, 'sign-method': 'MD5' }).signMethod).toBe('MD5')
  })

  it('counts a CJK character as one in FirmwareDesc', () => {
    expect(parse({ 'firmware-desc': '固'.repeat(100) }).firmwareDesc).toHaveLength(100)
  })

  it('accepts enum values in any case and keeps the canonical spelling', () => {
    expect(parse({ 'sign-method': 'sha256' }).signMethod).toBe('SHA256')
  })

  it('never quotes a secret in an error', () => {
    const err = actionErrorOf(() => parse({ 'access-key-id': '', 'access-key-secret': 'top-secret-value' }))
    expect(err.message).not.toContain('top-secret-value')
  })
})
