import { describe, expect, it } from '@jest/globals'
import { ApiError } from '../../../src/net/api-error.js'
import type { CancelFlags } from '../../../src/platform/models.js'
import { countTasks } from '../../../src/jobs/tasks.js'
import { followRollout } from '../../../src/rollout/follow.js'
import { fakeDeps } from '../../support/jobs-fakes.js'
import { cancelUnfinished, fleetApi, fleetPage, type Counts } from '../../support/rollout-fleet.js'

const HOUR = 3_600_000
const plan = (deps: { clock: { now(): number } }, over = {}) => ({
  jobId: 'J1',
  firmwareId: 'F',
  productKey: 'P',
  dynamic: false,
  scheduled: false,
  deadline: deps.clock.now() + HOUR,
  ...over
})
const BUDGET = { maxFailurePercent: 10, minFinishedDevices: 10 }

describe('countTasks', () => {
  it('counts one page locally when it holds every task', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 30, QUEUED: 20 } }])
    const counted = await countTasks(fakeDeps(api), 'J1')
    expect(counted).toMatchObject({ total: 50, counts: { SUCCEEDED: 30, QUEUED: 20, FAILED: 0 } })
    expect(api.calls).toEqual(['listTasksByJob'])
  })

  it('reads a one-row page per status for 100,000 devices, never the pages', async () => {
    const seen: [number, number, string?][] = []
    const counts = { SUCCEEDED: 60_000, FAILED: 1000, IN_PROGRESS: 9000, QUEUED: 30_000 }
    const api = fleetApi([{ counts }], {
      listTasksByJob: async (_j, page, size, status) => (seen.push([page, size, status]), fleetPage(counts, page, size, status))
    })
    const counted = await countTasks(fakeDeps(api), 'J1')
    expect(counted.total).toBe(100_000)
    expect(counted.counts).toEqual({ CONFIRM: 0, QUEUED: 30_000, NOTIFIED: 0, IN_PROGRESS: 9000, SUCCEEDED: 60_000, FAILED: 1000, CANCELED: 0 })
    expect(seen).toHaveLength(8)
    expect(seen.slice(1).every(([page, size]) => page === 1 && size === 1)).toBe(true)
  })
})

describe('followRollout', () => {
  it('follows a static job to completion, logging progress rather than every poll', async () => {
    const api = fleetApi([
      { counts: { QUEUED: 200 } },
      { counts: { QUEUED: 100, IN_PROGRESS: 100 } },
      { counts: { IN_PROGRESS: 100, SUCCEEDED: 100 } },
      { counts: { SUCCEEDED: 199, FAILED: 1 }, status: 'COMPLETED' }
    ])
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps), deps)
    expect(followed).toMatchObject({ ended: 'completed', jobStatus: 'COMPLETED', total: 200, cancelled: [] })
    expect(followed.failedTasks.map((t) => t.DeviceName)).toEqual(['dev-FAILED-0'])
    expect(deps.lines.info).toEqual([
      'Job J1 (IN_PROGRESS): 0 of 200 finished (0%): QUEUED 200',
      'Job J1 (COMPLETED): 200 of 200 finished (100%): SUCCEEDED 199, FAILED 1'
    ])
  })

  it('a static job whose every task is final is complete even before its status says so', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 5 } }])
    const deps = fakeDeps(api)
    expect((await followRollout(plan(deps), deps)).ended).toBe('completed')
  })

  it('reports the status QueryOTAJob gives once asked again after the last devices finished', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 5 } }, { counts: { SUCCEEDED: 5 }, status: 'COMPLETED' }])
    const deps = fakeDeps(api)
    expect(await followRollout(plan(deps), deps)).toMatchObject({ ended: 'completed', jobStatus: 'COMPLETED' })
    expect(api.calls.filter((c) => c === 'queryJob')).toHaveLength(2)
  })

  it('ends the following at the deadline with the counts so far', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 5, QUEUED: 5 } }])
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { deadline: deps.clock.now() + 120_000 }), deps)
    expect(followed).toMatchObject({ ended: 'following-ended', counts: { SUCCEEDED: 5, QUEUED: 5 } })
  })
})

describe('followRollout under a failure budget', () => {
  it('halts over budget: cancels the unfinished tasks and reports the failed devices', async () => {
    const flags: CancelFlags[] = []
    const snapshots = [{ counts: { SUCCEEDED: 5, QUEUED: 50 } }, { counts: { SUCCEEDED: 8, FAILED: 4, QUEUED: 43 } }]
    const api = fleetApi(snapshots, {
      cancelTasksByJob: async (_j, f) => void (flags.push(f), cancelUnfinished(snapshots[1]!.counts))
    })
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { budget: BUDGET }), deps)
    expect(followed.ended).toBe('halted')
    expect(followed.budget).toMatchObject({ finished: 12, failed: 4, exceeded: true })
    expect(flags).toEqual([{ CancelUnconfirmedTask: true, CancelQueuedTask: true, CancelNotifiedTask: true, CancelInProgressTask: true }])
    expect(api.calls).not.toContain('cancelStrategyByJob')
    expect(followed.failedTasks).toHaveLength(4)
    expect(followed).toMatchObject({ cancelled: [expect.stringMatching(/^43 unfinished task\(s\), now CANCELED/)], stillRunningCount: 0 })
    expect(deps.lines.warning.join('\n')).toMatch('Halted job J1')
  })

  it('a dynamic job has its tasks, then its strategy cancelled; a scheduled one its scheduled tasks too', async () => {
    const flags: CancelFlags[] = []
    const snapshot = { counts: { SUCCEEDED: 5, FAILED: 5, QUEUED: 5 } }
    const api = fleetApi([snapshot], { cancelTasksByJob: async (_j, f) => void (flags.push(f), cancelUnfinished(snapshot.counts)) })
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { budget: BUDGET, dynamic: true, scheduled: true }), deps)
    expect(api.calls.filter((c) => c.startsWith('cancel'))).toEqual(['cancelTasksByJob', 'cancelStrategyByJob'])
    expect(flags[0]).toMatchObject({ CancelScheduledTask: true })
    expect(followed.cancelled).toEqual([
      'the dynamic upgrade strategy (no device joins any more)',
      expect.stringMatching(/^5 unfinished task\(s\), now CANCELED/)
    ])
  })

  it('cancels by device the tasks the job’s cancel left running (a strategy cancelled first), and names what still runs', async () => {
    const snapshot = { counts: { SUCCEEDED: 5, FAILED: 5, QUEUED: 3, IN_PROGRESS: 2 } as Counts }
    const byDevice: string[][] = []
    const api = fleetApi([snapshot], {
      cancelTasksByJob: async () => {
        throw new ApiError('CancelOTATaskByJob', 'iot.ota.JobCanceled', 'The job has already been canceled.', 400)
      },
      // The platform cancels the QUEUED ones by device; the IN_PROGRESS ones run on.
      cancelTasksByDevice: async ({ DeviceName }) => {
        byDevice.push([...DeviceName])
        const queued = DeviceName.filter((name) => name.startsWith('dev-QUEUED-')).length
        snapshot.counts = { ...snapshot.counts, QUEUED: (snapshot.counts.QUEUED ?? 0) - queued, CANCELED: (snapshot.counts.CANCELED ?? 0) + queued }
      }
    })
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { budget: BUDGET, dynamic: true }), deps)
    expect(byDevice.flat()).toEqual(['dev-QUEUED-0', 'dev-QUEUED-1', 'dev-QUEUED-2', 'dev-IN_PROGRESS-0', 'dev-IN_PROGRESS-1'])
    expect(followed.cancelled).toEqual([
      'the dynamic upgrade strategy (no device joins any more)',
      expect.stringMatching(/^3 unfinished task\(s\), now CANCELED/)
    ])
    expect(followed.stillRunningCount).toBe(2)
    expect(followed.stillRunning.map((t) => t.DeviceName)).toEqual(['dev-IN_PROGRESS-0', 'dev-IN_PROGRESS-1'])
    expect(deps.lines.warning.join('\n')).toContain(
      '2 task(s) could not be cancelled and may still upgrade: dev-IN_PROGRESS-0 IN_PROGRESS, dev-IN_PROGRESS-1 IN_PROGRESS'
    )
  })

  it('never counts devices busy in another batch against the budget', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 10, FAILED: 6 }, status: 'COMPLETED' }], {}, () => 'device has an unfinished task in another batch')
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { budget: BUDGET }), deps)
    expect(followed).toMatchObject({ ended: 'completed', failedTasks: [] })
    expect(followed.budget).toMatchObject({ excluded: 6, failed: 0 })
    expect(api.calls).not.toContain('cancelTasksByJob')
  })

  it('follows a 10,000-device job with a bounded number of list calls', async () => {
    const snapshots = Array.from({ length: 11 }, (_, i) => ({ counts: { SUCCEEDED: i * 1000, QUEUED: 10_000 - i * 1000 } }))
    const api = fleetApi(snapshots)
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { budget: BUDGET }), deps)
    expect(followed).toMatchObject({ ended: 'completed', total: 10_000 })
    expect(api.calls.filter((c) => c === 'listTasksByJob').length).toBeLessThanOrEqual(11 * 8)
  })
})

describe('followRollout, a budget exceeded only at the end', () => {
  it('is a halt with nothing left to cancel', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 5, FAILED: 5 }, status: 'COMPLETED' }])
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { budget: BUDGET }), deps)
    expect(followed).toMatchObject({ ended: 'halted', cancelled: [] })
    expect(api.calls).not.toContain('cancelTasksByJob')
  })
})

describe('followRollout, a job that ends while it is halted', () => {
  it('reports nothing cancelled when the platform says the job has finished', async () => {
    const snapshot = { counts: { SUCCEEDED: 5, FAILED: 5, QUEUED: 5 } }
    const api = fleetApi([snapshot], {
      // The last devices finished between the judgement and the cancel.
      cancelTasksByJob: async () => {
        snapshot.counts = { SUCCEEDED: 10, FAILED: 5, QUEUED: 0 }
        throw new ApiError('CancelOTATaskByJob', 'iot.ota.JobHasFinished', 'finished', 200)
      }
    })
    const deps = fakeDeps(api)
    expect(await followRollout(plan(deps, { budget: BUDGET }), deps)).toMatchObject({ ended: 'halted', cancelled: [] })
  })

  it('fails on any other cancel error', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 5, FAILED: 5, QUEUED: 5 } }], {
      cancelTasksByJob: async () => {
        throw new Error('Forbidden.RAM')
      }
    })
    const deps = fakeDeps(api)
    await expect(followRollout(plan(deps, { budget: BUDGET }), deps)).rejects.toThrow('Forbidden.RAM')
  })
})
