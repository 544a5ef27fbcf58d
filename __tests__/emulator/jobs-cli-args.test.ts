import { describe, expect, it } from '@jest/globals'
import { parseCliArgs } from '../../emulator/cli/cli-args.js'
import { resolveSettings } from '../../emulator/server/options.js'

function options(argv: string[]) {
  const command = parseCliArgs(argv)
  if (command.help) throw new Error('help')
  return command.options
}

describe('device options on the command line', () => {
  it('--device, --fleet and --minute-ms', () => {
    const parsed = options(['--device', 'bench-1:fail-verify', '--device', 'late-1:offline@3', '--fleet', '10:20', '--minute-ms', '50'])
    expect(parsed.minuteMs).toBe(50)
    expect(parsed.devices?.slice(0, 2)).toEqual([
      { name: 'bench-1', behaviour: 'fail-verify', onlineAtMinute: undefined },
      { name: 'late-1', behaviour: 'offline', onlineAtMinute: 3 }
    ])
    expect(parsed.devices?.filter((d) => d.behaviour === 'fail-download').map((d) => d.name)).toEqual(['fleet-0005', 'fleet-0010'])
  })

  it('--devices COUNT gives that many succeeding devices; nothing gives the defaults', () => {
    expect(options(['--devices', '3']).devices?.map((d) => [d.name, d.behaviour])).toEqual([
      ['fleet-0001', 'succeed'],
      ['fleet-0002', 'succeed'],
      ['fleet-0003', 'succeed']
    ])
    expect(options([]).devices).toBeUndefined()
    expect(
      resolveSettings({})
        .devices.map((d) => d.name)
        .slice(0, 3)
    ).toEqual(['test-device-1', 'test-device-2', 'fleet-0001'])
  })

  it('--fleet-mix, --churn, +N after-upgrade minutes and --device-list-ttl-ms', () => {
    const parsed = options([
      '--device',
      'canary-1:rollback+4',
      '--fleet-mix',
      '200:fail-install=1,reject=2,offline-after-upgrade=0.5:3',
      '--churn',
      '5:2',
      '--device-list-ttl-ms',
      '1000'
    ])
    expect(parsed.devices?.[0]).toEqual({ name: 'canary-1', behaviour: 'rollback', afterUpgradeMinutes: 4, onlineAtMinute: undefined })
    expect(parsed.devices?.filter((d) => d.behaviour === 'reject')).toHaveLength(4)
    expect(parsed.devices?.find((d) => d.behaviour === 'offline-after-upgrade')?.afterUpgradeMinutes).toBe(3)
    expect(parsed.churn).toEqual({ percent: 5, spanMinutes: 2 })
    expect(parsed.deviceListTtlMs).toBe(1000)
    expect(resolveSettings(parsed).churn).toEqual({ percent: 5, spanMinutes: 2 })
  })

  it.each([
    [['--devices', '3', '--fleet', '3:0'], 'not several'],
    [['--fleet', '3:0', '--fleet-mix', '3:reject=10'], 'not several'],
    [['--fleet', '3'], '--fleet'],
    [['--device', 'x'], 'DeviceName'],
    [['--minute-ms', 'fast'], '--minute-ms'],
    [['--churn', '91'], '--churn'],
    [['--device', 'dev-1:succeed+2'], 'afterUpgradeMinutes']
  ])('refuses %j', (argv, message) => {
    expect(() => options(argv)).toThrow(message)
  })

  it('minuteMs must be at least 1', () => {
    expect(() => resolveSettings({ minuteMs: 0 })).toThrow('minuteMs')
  })
})
