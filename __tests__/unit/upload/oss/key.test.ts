import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../../support/action-error.js'
import { checkOssKeyTemplate, DEFAULT_OSS_KEY_TEMPLATE, keyProblem, OssKeyVariables, renderOssKey } from '../../../../src/upload/oss/key.js'

const VARS: OssKeyVariables = {
  product: 'a1uctKe1234',
  module: 'wifi',
  version: '1.2.3-rc.1',
  name: 'a1uctKe1234-wifi-1_2_3-rc_1',
  tag: 'wifi/v1.2.3-rc.1',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  file: 'app.bin'
}

describe('renderOssKey', () => {
  it.each([
    [DEFAULT_OSS_KEY_TEMPLATE, 'ota/wifi/1.2.3-rc.1/app.bin'],
    ['{product}/{module}/{version}/{file}', 'a1uctKe1234/wifi/1.2.3-rc.1/app.bin'],
    ['firmware/{name}.bin', 'firmware/a1uctKe1234-wifi-1_2_3-rc_1.bin'],
    ['builds/{sha}/{file}', 'builds/a1b2c3d/app.bin'],
    ['tags/{tag}/{file}', 'tags/wifi/v1.2.3-rc.1/app.bin'],
    ['固件/{version}/{file}', '固件/1.2.3-rc.1/app.bin'],
    ['plain-key.bin', 'plain-key.bin']
  ])('%s → %s', (template, key) => {
    expect(renderOssKey(template, VARS)).toBe(key)
  })

  it.each([
    ['tag', { tag: undefined }, "Input 'oss-key' uses {tag}, but the version did not come from a tag."],
    ['sha', { sha: '' }, "Input 'oss-key' uses {sha}, but the run has no commit SHA."]
  ])('fails when {%s} has no value', (name, missing, fragment) => {
    const err = actionErrorOf(() => renderOssKey(`x/{${name}}/{file}`, { ...VARS, ...missing }))
    expect(err.input).toBe('oss-key')
    expect(err.message).toContain(fragment)
  })

  it('fails when a value makes the key unusable', () => {
    const err = actionErrorOf(() => renderOssKey('{version}/{file}', { ...VARS, file: 'x'.repeat(1100) }))
    expect(err.input).toBe('oss-key')
    expect(err.message).toContain('at most 1023 bytes')
  })
})

describe('checkOssKeyTemplate', () => {
  it.each([DEFAULT_OSS_KEY_TEMPLATE, '{product}-{module}/{name}/{tag}/{sha}/{version}/{file}', 'static/name.bin'])('accepts %s', (template) => {
    expect(() => checkOssKeyTemplate(template)).not.toThrow()
  })

  it.each([
    ['ota/{branch}/{file}', '{branch} is not a placeholder'],
    ['ota/{Version}/{file}', '{Version} is not a placeholder'],
    ['ota/{version/{file}', 'unbalanced'],
    ['ota/version}/{file}', 'unbalanced'],
    ['/ota/{file}', 'cannot start with "/"'],
    ['ota//{file}', 'empty'],
    ['ota/./{file}', '"."'],
    ['ota/../{file}', '".."'],
    ['ota\\{file}', '"\\"'],
    ['ota/\t{file}', 'control characters']
  ])('refuses %j', (template, fragment) => {
    const err = actionErrorOf(() => checkOssKeyTemplate(template))
    expect(err.input).toBe('oss-key')
    expect(err.message).toContain(`Input 'oss-key' is ${JSON.stringify(template)}`)
    expect(err.message).toContain(fragment)
  })
})

describe('keyProblem', () => {
  it('counts bytes, not characters', () => {
    expect(keyProblem('固'.repeat(341))).toBeUndefined()
    expect(keyProblem('固'.repeat(342))).toContain('1026')
  })
  it('refuses an empty key', () => {
    expect(keyProblem('')).toContain('empty')
  })
})
