import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import { ROLLOUT_INPUT } from '../../../src/contract/names.js'
import { parseRolloutInputs, scheduleExpired } from '../../../src/rollout/inputs.js'
import { CONNECTION, readerOf } from '../../support/connection.js'

const NOW = new Date('2026-06-01T00:00:00Z')
const BASE = { 'product-key': 'a1uctKe1234', 'firmware-id': 'fw-0001' }
const parse = (overrides: Record<string, string> = {}) => parseRolloutInputs(readerOf({ ...BASE, ...overrides }), CONNECTION, NOW)
const names = (n: number) => Array.from({ length: n }, (_, i) => `device-${i}`)

const READS: [Record<string, string>, Record<string, unknown>][] = [
  [
    { selection: 'gray', 'gray-percent': '5' },
    { selection: 'gray', grayPercent: '5' }
  ],
  [
    { selection: 'GRAY', 'gray-percent': '33.33' },
    { selection: 'gray', grayPercent: '33.33' }
  ],
  [{ selection: 'gray', 'gray-percent': '100' }, { grayPercent: '100' }],
  [{ selection: 'devices', devices: names(200).join('\n') }, { devices: names(200) }],
  [
    { selection: 'group', 'group-id': 'grp1' },
    { groupId: 'grp1', groupType: 'LINK_PLATFORM' }
  ],
  [
    { selection: 'group', 'group-id': 'grp1', dynamic: 'true' },
    { groupType: 'LINK_PLATFORM_DYNAMIC', dynamic: true }
  ],
  [{ 'src-versions': '1.0.0, 1.0.1' }, { srcVersions: ['1.0.0', '1.0.1'] }],
  [{ selection: 'gray', 'gray-percent': '5', 'src-versions': '1.0.0' }, { srcVersions: ['1.0.0'] }],
  [
    { dynamic: 'true', 'src-versions': '1.0.0' },
    { dynamic: true, srcVersions: ['1.0.0'] }
  ],
  [{ 'max-per-minute': '10' }, { maxPerMinute: 10 }],
  [{ 'max-per-minute': '10000' }, { maxPerMinute: 10000 }],
  [
    { 'retry-interval': '0', 'retry-count': '5' },
    { retryInterval: 0, retryCount: 5 }
  ],
  [
    { 'retry-interval': '30', 'retry-count': '1', 'timeout-minutes': '60' },
    { retryInterval: 30, timeoutInMinutes: 60 }
  ],
  [{ 'retry-interval': '1440', 'retry-count': '2' }, { retryInterval: 1440 }],
  [{ 'schedule-time': '2026-06-01T00:05:00Z' }, { scheduleTime: Date.parse('2026-06-01T00:05:00Z') }],
  [{ 'schedule-time': '2026-06-08T08:00+08:00' }, { scheduleTime: Date.parse('2026-06-08T00:00:00Z') }],
  [{ overwrite: 'true' }, { overwrite: true }],
  [{ 'wait-minutes': '90' }, { waitMinutes: 90 }],
  [{ 'max-failure-percent': '0' }, { maxFailurePercent: 0 }],
  [
    { 'max-failure-percent': '12.5', 'min-finished-devices': '50' },
    { maxFailurePercent: 12.5, minFinishedDevices: 50 }
  ]
]

const REFUSALS: [Record<string, string>, string, RegExp][] = [
  [{ selection: 'some' }, ROLLOUT_INPUT.selection, /all, gray, devices, group/],
  [{ selection: 'gray' }, ROLLOUT_INPUT.grayPercent, /^Input 'gray-percent' is required with 'selection: gray'/],
  [{ 'gray-percent': '5' }, ROLLOUT_INPUT.grayPercent, /only allowed with 'selection: gray'/],
  [{ selection: 'gray', 'gray-percent': '0' }, ROLLOUT_INPUT.grayPercent, /above 0/],
  [{ selection: 'gray', 'gray-percent': '100.5' }, ROLLOUT_INPUT.grayPercent, /at most 100/],
  [{ selection: 'gray', 'gray-percent': '33.333' }, ROLLOUT_INPUT.grayPercent, /at most 2 decimals .*echoes GrayPercent with two/],
  [{ selection: 'gray', 'gray-percent': '150' }, ROLLOUT_INPUT.grayPercent, /"150": must be a percentage above 0 and at most 100/],
  [{ selection: 'gray', 'gray-percent': '5%' }, ROLLOUT_INPUT.grayPercent, /"5%"/],
  [{ selection: 'devices' }, ROLLOUT_INPUT.devices, /is required/],
  [{ selection: 'devices', devices: names(201).join(',') }, ROLLOUT_INPUT.devices, /at most 200/],
  [{ devices: 'device-1' }, ROLLOUT_INPUT.devices, /only allowed with 'selection: devices'/],
  [{ selection: 'group' }, ROLLOUT_INPUT.groupId, /required/],
  [{ 'group-id': 'g1' }, ROLLOUT_INPUT.groupId, /only allowed/],
  [{ selection: 'group', 'group-id': 'g1', 'group-type': 'LINK_PLATFORM_DYNAMIC' }, ROLLOUT_INPUT.groupType, /only LINK_PLATFORM/],
  [{ selection: 'devices', devices: 'device-1', 'src-versions': '1.0.0' }, ROLLOUT_INPUT.srcVersions, /all or gray/],
  [{ selection: 'group', 'group-id': 'g1', 'src-versions': '1.0.0' }, ROLLOUT_INPUT.srcVersions, /all or gray/],
  [{ 'src-versions': names(11).join(',') }, ROLLOUT_INPUT.srcVersions, /at most 10/],
  [{ 'src-versions': '1.0.0,1.0.0' }, ROLLOUT_INPUT.srcVersions, /twice/],
  [{ 'src-versions': '1.0 beta' }, ROLLOUT_INPUT.srcVersions, /"1.0 beta"/],
  [{ dynamic: 'true' }, ROLLOUT_INPUT.srcVersions, /required for a dynamic job/],
  [{ dynamic: 'true', selection: 'gray', 'gray-percent': '5' }, ROLLOUT_INPUT.selection, /dynamic/],
  [{ dynamic: 'true', 'src-versions': '1.0.0', 'schedule-time': '2026-06-02T00:00:00Z' }, ROLLOUT_INPUT.scheduleTime, /static job/],
  [{ 'max-per-minute': '9' }, ROLLOUT_INPUT.maxPerMinute, /from 10 to 10000/],
  [{ 'max-per-minute': '10001' }, ROLLOUT_INPUT.maxPerMinute, /from 10 to 10000/],
  [{ 'retry-interval': '15', 'retry-count': '1' }, ROLLOUT_INPUT.retryInterval, /0, 10, 30, 60, 1440/],
  [{ 'retry-interval': '10' }, ROLLOUT_INPUT.retryCount, /^Input 'retry-count' is required with 'retry-interval'/],
  [{ 'retry-count': '2' }, ROLLOUT_INPUT.retryCount, /together with 'retry-interval'/],
  [{ 'retry-interval': '10', 'retry-count': '3' }, ROLLOUT_INPUT.retryCount, /1, 2, 5/],
  [{ 'retry-interval': '60', 'retry-count': '1', 'timeout-minutes': '60' }, ROLLOUT_INPUT.retryInterval, /less than 'timeout-minutes' \(60\)/],
  [{ 'timeout-minutes': '1441' }, ROLLOUT_INPUT.timeoutMinutes, /1 to 1440/],
  [{ 'schedule-time': '2026-06-01 10:00' }, ROLLOUT_INPUT.scheduleTime, /ISO 8601/],
  [{ 'schedule-time': '2026-06-01T10:00:00' }, ROLLOUT_INPUT.scheduleTime, /time zone/],
  [{ 'schedule-time': '2026-06-01T00:04:59Z' }, ROLLOUT_INPUT.scheduleTime, /5 minutes to 7 days after now \(2026-06-01T00:00:00.000Z\)/],
  [{ 'schedule-time': '2026-06-08T00:00:01Z' }, ROLLOUT_INPUT.scheduleTime, /5 minutes to 7 days/],
  [{ 'schedule-time': '2020-01-01T00:00:00Z' }, ROLLOUT_INPUT.scheduleTime, /"2020-01-01T00:00:00Z": must be from 5 minutes to 7 days after now/],
  [{ 'wait-minutes': '-1' }, ROLLOUT_INPUT.waitMinutes, /from 0/],
  [{ 'max-failure-percent': '101' }, ROLLOUT_INPUT.maxFailurePercent, /from 0 to 100/],
  [{ 'max-failure-percent': '5%' }, ROLLOUT_INPUT.maxFailurePercent, /"5%"/],
  [{ 'min-finished-devices': '0' }, ROLLOUT_INPUT.minFinishedDevices, /whole number from 1/],
  [{ overwrite: 'replace' }, ROLLOUT_INPUT.overwrite, /true and false/],
  [{ 'firmware-id': '' }, ROLLOUT_INPUT.firmwareId, /^Input 'firmware-id' is required/],
  [{ 'product-key': '' }, ROLLOUT_INPUT.productKey, /is required/],
  [{ dynamic: 'maybe' }, ROLLOUT_INPUT.dynamic, /true and false/]
]

describe('parseRolloutInputs', () => {
  it('applies the documented defaults', () => {
    expect(parse()).toEqual({
      connection: CONNECTION,
      productKey: 'a1uctKe1234',
      firmwareId: 'fw-0001',
      timeoutInMinutes: undefined,
      needPush: true,
      needConfirm: false,
      downloadProtocol: 'HTTPS',
      selection: 'all',
      dynamic: false,
      grayPercent: undefined,
      devices: [],
      srcVersions: [],
      maxPerMinute: undefined,
      scheduleTime: undefined,
      overwrite: false,
      waitMinutes: 0,
      maxFailurePercent: undefined,
      minFinishedDevices: 10
    })
  })

  it.each(READS)('reads %j', (given, expected) => {
    expect(parse(given)).toMatchObject(expected)
  })

  it.each(REFUSALS)('refuses %j, naming the input', (given, input, message) => {
    const error = actionErrorOf(() => parse(given))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}'`)
    expect(error.message).toMatch(message)
  })
})

describe('a schedule-time that left the window while the run waited', () => {
  it.each([
    [5 * 60_000 - 100, 'only 4 min 59 s from now'],
    [61_000, 'only 1 min 1 s from now'],
    [-30_000, 'less than a minute ago'],
    [-61 * 60_000, '61 minute(s) ago']
  ])('%i ms ahead is %s (never rounded into the window)', (ahead, when) => {
    const error = scheduleExpired(NOW.getTime() + ahead, NOW.getTime())
    expect(error.input).toBe(ROLLOUT_INPUT.scheduleTime)
    expect(error.message).toContain(
      `, ${when} at 2026-06-01T00:00:00.000Z: the platform takes a ScheduleTime from 5 minutes to 7 days ahead, so no job was created.`
    )
  })
})
