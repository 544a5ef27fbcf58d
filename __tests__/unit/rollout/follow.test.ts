import { describe, expect, it } from '@jest/globals'
import { ApiError } from '../../../src/net/api-error.js'
import type { CancelFlags } from '../../../src/platform/models.js'
import { countTasks } from '../../../src/jobs/tasks.js'
import { followRollout } from '../../../src/rollout/follow.js'
import { fakeDeps } from '../../support/jobs-fakes.js'
import { fleetApi, fleetPage } from '../../support/rollout-fleet.js'

const HOUR = 3_600_000
const plan = (deps: { clock: { now(): number } }, over = {}) => ({ jobId: 'J1', dynamic: false, scheduled: false, deadline: deps.clock.now() + HOUR, ...over })
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
    const api = fleetApi([{ counts: { SUCCEEDED: 5, QUEUED: 50 } }, { counts: { SUCCEEDED: 8, FAILED: 4, QUEUED: 43 } }], {
      cancelTasksByJob: async (_j, f) => void flags.push(f)
    })
    const deps = fakeDeps(api)
    const followed = await followRollout(plan(deps, { budget: BUDGET }), deps)
    expect(followed.ended).toBe('halted')
    expect(followed.budget).toMatchObject({ finished: 12, failed: 4, exceeded: true })
    expect(flags).toEqual([{ CancelUnconfirmedTask: true, CancelQueuedTask: true, CancelNotifiedTask: true, CancelInProgressTask: true }])
    expect(api.calls).not.toContain('cancelStrategyByJob')
    expect(followed.failedTasks).toHaveLength(4)
    expect(deps.lines.warning.join('\n')).toMatch('Halted job J1')
  })

  it('a dynamic job halts its strategy first, then its tasks; a scheduled one its scheduled tasks too', async () => {
    const flags: CancelFlags[] = []
    const api = fleetApi([{ counts: { SUCCEEDED: 5, FAILED: 5, QUEUED: 5 } }], { cancelTasksByJob: async (_j, f) => void flags.push(f) })
    const deps = fakeDeps(api)
    await followRollout(plan(deps, { budget: BUDGET, dynamic: true, scheduled: true }), deps)
    expect(api.calls.filter((c) => c.startsWith('cancel'))).toEqual(['cancelStrategyByJob', 'cancelTasksByJob'])
    expect(flags[0]).toMatchObject({ CancelScheduledTask: true })
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
    const api = fleetApi([{ counts: { SUCCEEDED: 5, FAILED: 5, QUEUED: 5 } }], {
      cancelTasksByJob: async () => {
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
