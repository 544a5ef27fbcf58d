import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { changedDevices, describeDevice, deviceStates, followVerify, neverReported } from '../../../src/verify/follow.js'
import { fakeApi, fakeClock, fakeDeps, pageOf, task, firmware } from '../../support/jobs-fakes.js'
import type { OtaTask } from '../../../src/platform/models.js'

/** A verify job whose tasks move one snapshot per poll (the last one stays). */
function scripted(snapshots: OtaTask[][]) {
  let poll = 0
  const api = fakeApi({
    listTasksByJob: async (_job, page, size, status) => pageOf(snapshots[Math.min(poll++, snapshots.length - 1)]!, page, size, status),
    queryFirmware: async () => firmware('F', 2, 50)
  })
  return api
}

describe('deviceStates', () => {
  it('lists the devices asked for in order, a device without a task as NO_TASK, then other devices of the job', () => {
    const states = deviceStates(['b', 'a'], [task('a', 'IN_PROGRESS', 40), task('c', 'QUEUED')])
    expect(states.map((d) => [d.name, d.status, d.progress])).toEqual([
      ['b', 'NO_TASK', 0],
      ['a', 'IN_PROGRESS', 40],
      ['c', 'QUEUED', 0]
    ])
    expect(neverReported(states)).toEqual(['b', 'c'])
  })

  it('reports a device again only when what it says changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('QUEUED', 'IN_PROGRESS', 'FAILED'), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 30 }),
        (steps) => {
          const seen = new Map<string, string>()
          const lines = steps.flatMap(([status, progress]) => changedDevices(seen, [{ name: 'd', status, progress }]).map(describeDevice))
          const distinctRuns = steps.filter((s, i) => i === 0 || s[0] !== steps[i - 1]![0] || s[1] !== steps[i - 1]![1]).length
          expect(lines).toHaveLength(distinctRuns)
        }
      )
    )
  })
})

describe('followVerify', () => {
  it('logs a line per change, not per poll, and ends when every device is final', async () => {
    const api = scripted([
      [task('dev-1', 'QUEUED'), task('dev-2', 'QUEUED')],
      [task('dev-1', 'QUEUED'), task('dev-2', 'QUEUED')],
      [task('dev-1', 'IN_PROGRESS', 40), task('dev-2', 'QUEUED')],
      [task('dev-1', 'IN_PROGRESS', 40), task('dev-2', 'IN_PROGRESS', 10)],
      [task('dev-1', 'SUCCEEDED', 100), task('dev-2', 'FAILED', 10, 'report version is not conform')]
    ])
    const deps = fakeDeps(api)
    const followed = await followVerify('J', 'F', ['dev-1', 'dev-2'], deps.clock.now() + 3_600_000, deps)
    expect(followed.timedOut).toBe(false)
    expect(followed.devices.map((d) => d.status)).toEqual(['SUCCEEDED', 'FAILED'])
    expect(deps.lines.info).toEqual([
      'dev-1: QUEUED 0%',
      'dev-2: QUEUED 0%',
      'dev-1: IN_PROGRESS 40%',
      'dev-2: IN_PROGRESS 10%',
      'dev-1: SUCCEEDED 100%',
      'dev-2: FAILED 10% (report version is not conform)'
    ])
    expect(api.calls.filter((c) => c === 'listTasksByJob')).toHaveLength(5)
  })

  it('stops at the deadline with a device still queued', async () => {
    const clock = fakeClock()
    const api = scripted([[task('dev-1', 'SUCCEEDED', 100), task('dev-2', 'QUEUED')]])
    const deps = fakeDeps(api, clock)
    const followed = await followVerify('J', 'F', ['dev-1', 'dev-2'], clock.now() + 5 * 60_000, deps)
    expect(followed.timedOut).toBe(true)
    expect(neverReported(followed.devices)).toEqual(['dev-2'])
    expect(clock.now()).toBe(Date.parse('2026-06-01T00:05:00Z'))
  })

  it('does not end while a device asked for has no task yet', async () => {
    const api = scripted([[task('dev-1', 'SUCCEEDED', 100)], [task('dev-1', 'SUCCEEDED', 100), task('dev-2', 'SUCCEEDED', 100)]])
    const deps = fakeDeps(api)
    const followed = await followVerify('J', 'F', ['dev-1', 'dev-2'], deps.clock.now() + 3_600_000, deps)
    expect(followed.devices.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED'])
    expect(api.calls.filter((c) => c === 'listTasksByJob')).toHaveLength(2)
  })
})
