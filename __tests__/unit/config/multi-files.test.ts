import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import { parseInputs } from '../../../src/config/inputs.js'

const BASE: Record<string, string> = {
  'access-key-id': 'LTAIid',
  'access-key-secret': 'top-secret-value',
  'product-key': 'a1uctKe1234',
  files: 'build/*.bin'
}

const parse = (overrides: Record<string, string>) => {
  const values = { ...BASE, ...overrides }
  return parseInputs((name) => values[name] ?? '', {})
}

const OSS = { 'upload-mode': 'oss', 'oss-bucket': 'acme-fw' }
const MARKETPLACE = { 'api-variant': 'marketplace', endpoint: 'https://si-0123456789abcdef0123.tuyacloud.com:8686' }

describe('multi-files', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['defaults to false', {}, false],
    ['true with the platform upload', { 'multi-files': 'true' }, true],
    ['true with oss and the default key ({file} in it)', { 'multi-files': 'true', ...OSS }, true],
    ['true with oss and a key template using {file}', { 'multi-files': 'True', ...OSS, 'oss-key': 'fw/{version}/{file}' }, true],
    ['false with a key template without {file}', { 'multi-files': 'false', ...OSS, 'oss-key': 'fw/{version}/app.bin' }, false],
    ['false on a marketplace instance', { 'multi-files': 'false', ...MARKETPLACE }, false]
  ])('%s', (_what, given, expected) => {
    expect(parse(given).multiFiles).toBe(expected)
  })

  // Each refusal names the input, the value and what is allowed, and says why, before any request.
  it.each<[string, Record<string, string>, string, RegExp]>([
    ['not a boolean', { 'multi-files': 'yes' }, 'multi-files', /^Input 'multi-files' is "yes": allowed values are true and false\.$/],
    [
      'with upload-mode url',
      { 'multi-files': 'true', 'upload-mode': 'url', files: '', 'firmware-url': 'https://acme-fw.oss-cn-shanghai.aliyuncs.com/fw.bin' },
      'multi-files',
      /^Input 'multi-files' is "true": cannot go with 'upload-mode: url', which registers the one file 'firmware-url' names; each file of the package needs its own upload\.$/
    ],
    [
      'on a marketplace instance',
      { 'multi-files': 'true', ...MARKETPLACE },
      'multi-files',
      /^Input 'multi-files' is "true": marketplace instances \('api-variant: marketplace'\) take packages of one file only: their CreateOTAFirmware has no MultiFiles\.$/
    ],
    [
      'with an oss-key without {file}',
      { 'multi-files': 'true', ...OSS, 'oss-key': 'fw/{version}/app.bin' },
      'oss-key',
      /^Input 'oss-key' is "fw\/\{version\}\/app\.bin": must use \{file\} with 'multi-files: true': each file of the package goes to its own object key\.$/
    ]
  ])('refused %s', (_what, given, input, message) => {
    const error = actionErrorOf(() => parse(given))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    // The refusals of a combination say what to do instead; a value that is no boolean needs no more than the rule.
    if (!/is "yes"/.test(error.message)) expect(error.hint).toMatch(/upload-mode|module|\{file\}/)
  })
})
