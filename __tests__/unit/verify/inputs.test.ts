import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import { VERIFY_INPUT } from '../../../src/contract/names.js'
import { parseVerifyInputs } from '../../../src/verify/inputs.js'
import { CONNECTION, readerOf } from '../../support/connection.js'

const BASE = { 'product-key': 'a1uctKe1234', 'firmware-id': 'fw-0001', devices: 'dev-0001\ndev-0002' }
const parse = (overrides: Record<string, string> = {}) => parseVerifyInputs(readerOf({ ...BASE, ...overrides }), CONNECTION)

describe('parseVerifyInputs', () => {
  it('applies the documented defaults', () => {
    expect(parse()).toEqual({
      connection: CONNECTION,
      productKey: 'a1uctKe1234',
      firmwareId: 'fw-0001',
      devices: ['dev-0001', 'dev-0002'],
      timeoutInMinutes: 30,
      needPush: true,
      needConfirm: false,
      downloadProtocol: 'HTTPS',
      wait: true,
      waitMinutes: 45
    })
  })

  it.each([
    [{ 'timeout-minutes': '1440' }, { timeoutInMinutes: 1440, waitMinutes: 1455 }],
    [
      { 'timeout-minutes': '1', 'wait-minutes': '2.5' },
      { timeoutInMinutes: 1, waitMinutes: 2.5 }
    ],
    [{ wait: 'false' }, { wait: false }],
    [
      { 'need-push': 'false', 'need-confirm': 'true' },
      { needPush: false, needConfirm: true }
    ],
    [{ 'download-protocol': 'mqtt' }, { downloadProtocol: 'MQTT' }],
    [{ devices: Array.from({ length: 10 }, (_, i) => `device-${i}`).join(',') }, { devices: Array.from({ length: 10 }, (_, i) => `device-${i}`) }]
  ])('reads %j', (given, expected) => {
    expect(parse(given)).toMatchObject(expected)
  })

  it.each<[Record<string, string>, string, string | RegExp]>([
    [{ 'firmware-id': '' }, VERIFY_INPUT.firmwareId, /is required/],
    [{ 'firmware-id': 'fw 1' }, VERIFY_INPUT.firmwareId, /"fw 1"/],
    [{ 'product-key': '' }, VERIFY_INPUT.productKey, /is required/],
    [{ devices: '' }, VERIFY_INPUT.devices, /is required/],
    [
      { devices: Array.from({ length: 11 }, (_, i) => `device-${i}`).join(',') },
      VERIFY_INPUT.devices,
      `Input 'devices' is "11 entries": at most 10 DeviceNames are allowed.`
    ],
    [{ devices: 'dev-0001,,dev-0002' }, VERIFY_INPUT.devices, /entry 2 is empty/],
    [{ 'timeout-minutes': '0' }, VERIFY_INPUT.timeoutMinutes, `Input 'timeout-minutes' is "0": must be a whole number from 1 to 1440.`],
    [{ 'timeout-minutes': '1441' }, VERIFY_INPUT.timeoutMinutes, /from 1 to 1440/],
    [{ 'timeout-minutes': '2.5' }, VERIFY_INPUT.timeoutMinutes, /whole number/],
    [{ 'wait-minutes': '0' }, VERIFY_INPUT.waitMinutes, /from 1 to 7200/],
    [{ wait: 'yes' }, VERIFY_INPUT.wait, /true and false/],
    [{ 'need-push': '1' }, VERIFY_INPUT.needPush, /true and false/],
    [{ 'download-protocol': 'HTTP' }, VERIFY_INPUT.downloadProtocol, /HTTPS, MQTT/]
  ])('refuses %j, naming the input', (given, input, message) => {
    const error = actionErrorOf(() => parse(given))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}'`)
    expect(error.message).toMatch(message)
  })
})
