import { describe, expect, it } from '@jest/globals'
import { describeFleet, fleetSpecs } from '../../emulator/devices/fleet.js'
import { parseDeviceArg, parseFleetArg } from '../../emulator/devices/spec-args.js'
import { grayCount, readGrayPercent } from '../../emulator/jobs/rules.js'
import { FAILURE_DESCS, stateAt, TIMEOUT_DESC, type Timeline } from '../../emulator/jobs/timeline.js'

const M = 1000
const P = 10 * M

function timeline(overrides: Partial<Timeline>): Timeline {
  return { behaviour: 'succeed', createdAt: 0, pushAt: P, minuteMs: M, needConfirm: false, ...overrides }
}

/** [minute after the push, status, progress, desc fragment] */
type Row = [number, string, number, string?]

describe('a task over the scaled clock', () => {
  it.each<[string, Partial<Timeline>, Row[]]>([
    [
      'succeed',
      {},
      [
        [-1, 'QUEUED', 0],
        [0, 'NOTIFIED', 0],
        [1, 'IN_PROGRESS', 20],
        [2, 'IN_PROGRESS', 40],
        [5, 'IN_PROGRESS', 100],
        [6, 'SUCCEEDED', 100],
        [60, 'SUCCEEDED', 100]
      ]
    ],
    [
      'fail-download',
      { behaviour: 'fail-download' },
      [
        [1, 'IN_PROGRESS', 20],
        [2, 'FAILED', 20, 'step -2'],
        [30, 'FAILED', 20, 'step -2']
      ]
    ],
    [
      'fail-verify',
      { behaviour: 'fail-verify' },
      [
        [5, 'IN_PROGRESS', 100],
        [6, 'FAILED', 100, 'step -3']
      ]
    ],
    [
      'fail-install',
      { behaviour: 'fail-install' },
      [
        [5, 'IN_PROGRESS', 100],
        [6, 'FAILED', 100, 'step -4: flash write']
      ]
    ],
    [
      'reject',
      { behaviour: 'reject' },
      [
        [0, 'NOTIFIED', 0],
        [1, 'FAILED', 0, 'step -1: upgrade rejected by the device'],
        [30, 'FAILED', 0, 'rejected']
      ]
    ],
    [
      'stall without a timeout',
      { behaviour: 'stall' },
      [
        [2, 'IN_PROGRESS', 40],
        [1000, 'IN_PROGRESS', 40]
      ]
    ],
    [
      'stall with TimeoutInMinutes 3 (from the first report)',
      { behaviour: 'stall', timeoutMinutes: 3 },
      [
        [3, 'IN_PROGRESS', 40],
        [4, 'FAILED', 40, 'timeout']
      ]
    ],
    [
      'succeed, but slower than the timeout',
      { timeoutMinutes: 2 },
      [
        [2, 'IN_PROGRESS', 40],
        [3, 'FAILED', 40, 'timeout']
      ]
    ],
    [
      'never online',
      { behaviour: 'offline', pushAt: Infinity },
      [
        [0, 'QUEUED', 0],
        [100_000, 'QUEUED', 0]
      ]
    ],
    [
      'NeedConfirm',
      { needConfirm: true },
      [
        [0, 'CONFIRM', 0],
        [10, 'CONFIRM', 0]
      ]
    ],
    [
      'fail-download retried once after 10 minutes',
      { behaviour: 'fail-download', retry: { intervalMinutes: 10, count: 1 } },
      [
        [2, 'QUEUED', 0, 'retry 1 of 1'],
        [11, 'QUEUED', 0],
        [12, 'NOTIFIED', 0],
        [13, 'IN_PROGRESS', 20],
        [14, 'FAILED', 20, 'step -2'],
        [99, 'FAILED', 20]
      ]
    ]
  ])('%s', (_label, overrides, rows) => {
    const t = timeline(overrides)
    for (const [minute, status, progress, desc] of rows) {
      const state = stateAt(t, P + minute * M)
      expect([minute, state.status, state.progress]).toEqual([minute, status, progress])
      if (desc !== undefined) expect(state.desc).toContain(desc)
    }
  })

  it('each failing behaviour reports a TaskDesc of its own class', () => {
    const descs = (['fail-download', 'fail-verify', 'fail-install', 'reject'] as const).map((behaviour) => stateAt(timeline({ behaviour }), P + 60 * M).desc)
    expect(descs).toEqual([FAILURE_DESCS.download, FAILURE_DESCS.verify, FAILURE_DESCS.install, FAILURE_DESCS.rejected])
    expect(new Set(Object.values(FAILURE_DESCS).map((d) => d.split(':')[0])).size).toBe(Object.keys(FAILURE_DESCS).length)
  })

  it('a timeout is not retried', () => {
    const state = stateAt(timeline({ behaviour: 'stall', timeoutMinutes: 2, retry: { intervalMinutes: 0, count: 5 } }), P + 100 * M)
    expect([state.status, state.desc]).toEqual(['FAILED', TIMEOUT_DESC])
  })
})

describe('gray share', () => {
  it.each([
    ['10', 200, 20],
    ['10', 5, 1],
    ['33.333', 3, 1],
    ['55.5', 10, 5],
    ['100', 7, 7],
    ['0.001', 100_000, 1],
    ['10', 0, 0]
  ])('%s %% of %i devices is %i (rounded down, at least one)', (percent, count, expected) => {
    expect(grayCount(count, readGrayPercent(percent))).toBe(expected)
  })

  it.each(['0', '0.000', '100.001', '101', '10.1234', '-5', 'ten', '1e1'])('refuses GrayPercent %s', (percent) => {
    expect(() => readGrayPercent(percent)).toThrow(/GrayPercent/)
  })
})

describe('fleet specs', () => {
  it('N:FAIL_PERCENT fails that share, spread evenly', () => {
    const specs = parseFleetArg('20:25')
    const failing = specs.flatMap((s, i) => (s.behaviour === 'fail-download' ? [i] : []))
    expect(failing).toEqual([3, 7, 11, 15, 19])
    expect(fleetSpecs(200, 5).filter((s) => s.behaviour !== 'succeed')).toHaveLength(10)
    expect(specs[0]?.name).toBe('fleet-0001')
  })

  it('describes a fleet in one line', () => {
    expect(describeFleet(fleetSpecs(20, 10))).toBe('20 (18 succeed, 2 fail-download): fleet-0001, fleet-0002, fleet-0003, …')
    expect(describeFleet([{ name: 'only-1', behaviour: 'stall' }])).toBe('1 (1 stall): only-1')
  })

  it.each(['0:5', '10:101', '10', 'x:1'])('refuses --fleet %s', (arg) => {
    expect(() => parseFleetArg(arg)).toThrow('--fleet')
  })

  it.each([
    ['dev-1', { name: 'dev-1', behaviour: undefined, onlineAtMinute: undefined }],
    ['dev-2:stall', { name: 'dev-2', behaviour: 'stall', onlineAtMinute: undefined }],
    ['late-1:offline@5', { name: 'late-1', behaviour: 'offline', onlineAtMinute: 5 }]
  ])('--device %s', (arg, expected) => {
    expect(parseDeviceArg(arg)).toEqual(expected)
  })

  it.each(['ab', 'dev-1:explode', 'dev 1'])('refuses --device %s', (arg) => {
    expect(() => parseDeviceArg(arg)).toThrow()
  })
})
