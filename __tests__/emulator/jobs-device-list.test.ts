import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { fleetSpecs } from '../../emulator/devices/fleet.js'
import { parseDeviceList } from '../../emulator/jobs/device-list.js'
import { JobError } from '../../emulator/jobs/errors.js'
import { jobsBench, names, PK, unverifiable } from '../support/jobs-bench.js'

const fw = { FirmwareId: 'fw-1', ProductKey: PK }
const URL = 'https://iotx-ota.example/ota/0123/list.csv'
const listed = (params: Record<string, string> = {}) => ({ ...fw, TargetSelection: 'SPECIFIC', DnListFileUrl: URL, ...params })

const codeOf = (text: string) => {
  try {
    return parseDeviceList(text)
  } catch (error) {
    return (error as JobError).code
  }
}

describe('the device list file', () => {
  it.each<[string, string, string[] | string]>([
    ['one name per line', 'dev-0001\ndev-0002', ['dev-0001', 'dev-0002']],
    ['a last newline', 'dev-0001\ndev-0002\n', ['dev-0001', 'dev-0002']],
    [
      '10,000 names',
      fleetSpecs(10_000, 0)
        .map((d) => d.name)
        .join('\n'),
      'accepted'
    ],
    [
      '10,001 names',
      fleetSpecs(10_001, 0)
        .map((d) => d.name)
        .join('\n'),
      'iot.ota.TooManyOtaTask'
    ],
    ['nothing', '', 'iot.check.NullParameter'],
    ['CRLF line ends', 'dev-0001\r\ndev-0002\r\n', 'iot.check.InvalidFormattedParameter'],
    ['a blank line', 'dev-0001\n\ndev-0002', 'iot.check.InvalidFormattedParameter'],
    ['a quoted name', '"dev-0001"', 'iot.check.InvalidFormattedParameter'],
    ['two columns', 'dev-0001,a1pk', 'iot.check.InvalidFormattedParameter'],
    ['a UTF-8 BOM', '\ufeffdev-0001', 'iot.check.InvalidFormattedParameter'],
    ['a name twice', 'dev-0001\ndev-0001', 'iot.system.IllegalRequest']
  ])('%s', (_label, text, expected) => {
    const found = codeOf(text)
    if (expected === 'accepted') expect(Array.isArray(found)).toBe(true)
    else expect(found).toEqual(expected)
  })

  it('property: any list of distinct DeviceNames written one per line reads back the same', () => {
    const name = fc.string({ unit: fc.constantFrom(...'abcXYZ019_.:@-'.split('')), minLength: 4, maxLength: 32 })
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 50 }), fc.boolean(), (list, lastNewline) => {
        expect(parseDeviceList(list.join('\n') + (lastNewline ? '\n' : ''))).toEqual(list)
      })
    )
  })
})

describe('CreateOTAStaticUpgradeJob with DnListFileUrl', () => {
  const fleet = [...fleetSpecs(5, 0), { name: 'done-1', versions: { default: '2.0.0' } }, { name: 'old-1', versions: { default: '0.9.0' } }]

  it('targets the listed devices in file order, skipping those already on the DestVersion', () => {
    const bench = jobsBench(fleet, [unverifiable()])
    bench.list(URL, 'fleet-0003\ndone-1\nfleet-0001\n')
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', listed()).Data
    expect(bench.tasks(JobId).map((t) => t.DeviceName)).toEqual(['fleet-0003', 'fleet-0001'])
    expect(bench.ok('QueryOTAJob', { JobId }).Data).toMatchObject({ TargetSelection: 'SPECIFIC' })
    expect(bench.ok('QueryOTAJob', { JobId }).Data.DnListFileUrl).toBeUndefined()
  })

  it('a differential package skips the listed devices not on its SrcVersion (named ones are refused)', () => {
    const bench = jobsBench(fleet, [unverifiable({ Type: 1, SrcVersion: '0.9.0' })])
    bench.list(URL, 'fleet-0001\nold-1\n')
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', listed()).Data
    expect(bench.tasks(JobId).map((t) => t.DeviceName)).toEqual(['old-1'])
    expect(bench.refused('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'SPECIFIC', ...names(['fleet-0002']) })).toBe('iot.system.IllegalRequest')
  })

  it('a file serves one job', () => {
    const bench = jobsBench(fleet, [unverifiable()])
    bench.list(URL, 'fleet-0001\n')
    bench.ok('CreateOTAStaticUpgradeJob', listed())
    expect(bench.refused('CreateOTAStaticUpgradeJob', listed())).toBe('iot.system.IllegalRequest')
  })

  it.each<[string, string, Record<string, string>, string]>([
    ['an unknown device in the file (strict: refused, not filtered)', 'fleet-0001\nghost-1\n', {}, 'iot.ota.DeviceNotExist'],
    ['TargetDeviceName.N as well', 'fleet-0001\n', names(['fleet-0002']), 'iot.system.IllegalRequest'],
    ['TargetSelection ALL', 'fleet-0001\n', { TargetSelection: 'ALL' }, 'iot.system.IllegalRequest'],
    ['TargetSelection GRAY', 'fleet-0001\n', { TargetSelection: 'GRAY', GrayPercent: '50' }, 'iot.system.IllegalRequest'],
    ['a URL that was not issued', 'fleet-0001\n', { DnListFileUrl: 'https://elsewhere.example/list.csv' }, 'iot.system.IllegalRequest'],
    ['CRLF lines', 'fleet-0001\r\n', {}, 'iot.check.InvalidFormattedParameter']
  ])('refuses %s', (_label, text, params, code) => {
    const bench = jobsBench(fleet, [unverifiable()])
    bench.list(URL, text)
    expect(bench.refused('CreateOTAStaticUpgradeJob', listed(params))).toBe(code)
  })

  it('refuses a file over 10,000 devices even when the fleet has them', () => {
    const bench = jobsBench(fleetSpecs(10_001, 0), [unverifiable()])
    bench.list(
      URL,
      fleetSpecs(10_001, 0)
        .map((d) => d.name)
        .join('\n')
    )
    expect(bench.refused('CreateOTAStaticUpgradeJob', listed())).toBe('iot.ota.TooManyOtaTask')
  })
})
