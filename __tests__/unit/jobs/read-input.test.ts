import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { actionErrorOf } from '../../support/action-error.js'
import { readDevices } from '../../../src/jobs/job-inputs.js'
import { readPlatformMinute } from '../../../src/config/connection.js'
import { readChoice, readList } from '../../../src/config/readers.js'
import { DEVICE_NAME_PATTERN } from '../../../src/platform/job-rules.js'

const reader = (value: string) => (name: string) => (name === 'devices' ? value : '')

describe('readDevices', () => {
  it.each([
    ['one name', 'dev-0001', ['dev-0001']],
    ['newlines', 'dev-0001\ndev-0002\n', ['dev-0001', 'dev-0002']],
    ['commas and spaces', ' dev-0001 , dev-0002 ', ['dev-0001', 'dev-0002']],
    ['a comma ending a line', 'dev-0001,\ndev-0002', ['dev-0001', 'dev-0002']],
    ['CRLF', 'dev-0001\r\ndev-0002', ['dev-0001', 'dev-0002']],
    ['every allowed character', 'a_b.c@d:e-f', ['a_b.c@d:e-f']]
  ])('reads %s', (_what, raw, expected) => {
    expect(readDevices(reader(raw), 10, true)).toEqual(expected)
  })

  it.each([
    ['empty when required', '', /is required/],
    ['an empty entry between two commas', 'dev-0001,,dev-0002', /entry 2 is empty/],
    ['an empty line', 'dev-0001\n\ndev-0002', /entry 2 is empty/],
    ['a duplicate', 'dev-0001,dev-0002,dev-0001', /"dev-0001".*listed twice/],
    ['a name too short', 'abc', /"abc".*4 to 32/],
    ['a name too long', 'a'.repeat(33), /4 to 32/],
    ['a forbidden character', 'dev/0001', /"dev\/0001"/],
    ['too many', Array.from({ length: 11 }, (_, i) => `device-${i}`).join(','), /"11 entries".*at most 10 DeviceNames/]
  ])('refuses %s, naming the input', (_what, raw, message) => {
    const error = actionErrorOf(() => readDevices(reader(raw), 10, true))
    expect(error.input).toBe('devices')
    expect(error.message).toMatch(message)
  })

  it('is empty when not required and not given', () => {
    expect(readDevices(reader('  \n'), 10, false)).toEqual([])
  })
})

describe('readDevices, any list', () => {
  const name = fc.stringMatching(DEVICE_NAME_PATTERN)
  const separator = fc.constantFrom(',', '\n', ' , ', ',\n', '\r\n', ' \n ')

  it('reads back any list of distinct valid names, whatever the separators', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 10 }), fc.array(separator, { minLength: 10, maxLength: 10 }), (names, seps) => {
        const raw = names.map((n, i) => (i === 0 ? n : `${seps[i] ?? ','}${n}`)).join('')
        expect(readDevices(reader(raw), 10, true)).toEqual(names)
      })
    )
  })

  it('refuses any list with an empty entry, naming devices', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 2, maxLength: 9 }), fc.nat(), (names, at) => {
        const withHole = [...names]
        withHole.splice(1 + (at % (names.length - 1)), 0, '')
        expect(actionErrorOf(() => readDevices(reader(withHole.join(',')), 10, true)).input).toBe('devices')
      })
    )
  })

  it('never accepts a list longer than the maximum', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (names, max) => {
        const read = () => readDevices(reader(names.join('\n')), max, true)
        if (names.length > max) expect(actionErrorOf(read).message).toMatch(`at most ${max}`)
        else expect(read()).toHaveLength(names.length)
      })
    )
  })
})

describe('readList and readChoice', () => {
  it('accepts only the documented values, as whole numbers', () => {
    const read = (value: string) => () => value
    expect(readChoice(read('30'), 'retry-interval', [0, 10, 30])).toBe(30)
    expect(readChoice(read(''), 'retry-interval', [0, 10, 30])).toBeUndefined()
    for (const bad of ['15', '30.0', ' 1e1', '-10', 'ten']) {
      expect(actionErrorOf(() => readChoice(read(bad), 'retry-interval', [0, 10, 30])).message).toMatch('allowed values are 0, 10, 30')
    }
  })

  it('says which entry does not match the rule', () => {
    const rule = { max: 3, pattern: /^[a-z]+$/, what: 'words', allowed: 'must be lower-case letters', required: false }
    expect(actionErrorOf(() => readList(() => 'ab,Cd', 'words', rule)).message).toBe(`Input 'words' is "Cd": each entry must be lower-case letters.`)
  })
})

describe('readPlatformMinute', () => {
  const EMULATOR = 'http://127.0.0.1:8080'
  it.each([
    [{}, EMULATOR, 60_000],
    [{ OTA_EMULATOR_MINUTE_MS: '' }, 'https://iot.cn-shanghai.aliyuncs.com', 60_000],
    [{ OTA_EMULATOR_MINUTE_MS: '50' }, EMULATOR, 50],
    [{ OTA_EMULATOR_MINUTE_MS: ' 1 ' }, 'https://iot.cn-shanghai.emulator.test', 1],
    [{ OTA_EMULATOR_MINUTE_MS: '60000' }, EMULATOR, 60_000]
  ])('reads %j with endpoint %s as %d ms', (env, endpoint, expected) => {
    expect(readPlatformMinute(env, endpoint)).toBe(expected)
  })

  // A malformed value is the environment's, not an input's; the Alibaba Cloud endpoint is input `endpoint`'s.
  it.each([
    [{ OTA_EMULATOR_MINUTE_MS: '0' }, EMULATOR, /"0": must be a whole number of milliseconds from 1 to 60000/, undefined],
    [{ OTA_EMULATOR_MINUTE_MS: '60001' }, EMULATOR, /from 1 to 60000/, undefined],
    [{ OTA_EMULATOR_MINUTE_MS: '2.5' }, EMULATOR, /"2.5"/, undefined],
    [{ OTA_EMULATOR_MINUTE_MS: '1e3' }, EMULATOR, /"1e3"/, undefined],
    [{ OTA_EMULATOR_MINUTE_MS: 'fast' }, EMULATOR, /^Environment variable OTA_EMULATOR_MINUTE_MS is "fast"/, undefined],
    [{ OTA_EMULATOR_MINUTE_MS: '50' }, 'https://iot.cn-shanghai.aliyuncs.com', /endpoint https:\/\/iot.cn-shanghai.aliyuncs.com is Alibaba Cloud's/, 'endpoint']
  ])('refuses %j with endpoint %s', (env, endpoint, message, input) => {
    const error = actionErrorOf(() => readPlatformMinute(env, endpoint))
    expect(error.message).toMatch(message)
    expect(error.input).toBe(input)
  })
})
