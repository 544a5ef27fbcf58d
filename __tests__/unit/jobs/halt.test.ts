import { haltJob } from '../../../src/jobs/halt.js'
import { ApiError } from '../../../src/net/api-error.js'
import { createRetrier } from '../../../src/platform/retrier.js'
import { clientOver, retryTimes } from '../../support/iot-client.js'

const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined, group: <T>(_name: string, fn: () => Promise<T>) => fn() }
const target = { jobId: 'j1', firmwareId: 'f1', productKey: 'pk', dynamic: true, scheduled: false }

/** A job that ended before the halt: every cancel is refused with `code`, and no task is unfinished. */
function endedJob(code: string) {
  return async (action: string) => {
    if (action.startsWith('Cancel')) throw new ApiError(action, code, 'refused', 200)
    if (action === 'ListOTATaskByJob') return { Data: { SimpleOTATaskInfo: [] }, Total: 0 } as never
    throw new Error(`not expected: ${action}`)
  }
}

describe('haltJob on a job that has already ended', () => {
  // The run's retrier explains the platform's errors into ActionErrors that keep the code; both forms mean "already ended".
  const retriers = {
    raw: retryTimes(1),
    explained: createRetrier(
      { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, deadline: Infinity, now: Date.now, sleep: async () => undefined, random: () => 0 },
      quiet,
      'rollout'
    )
  }
  it.each(Object.entries(retriers))('treats JobHasFinished as nothing left to stop (%s errors)', async (_form, retry) => {
    const { api } = clientOver(endedJob('iot.ota.JobHasFinished'), { retry })
    const report = await haltJob(target, { api, log: quiet })
    expect(report).toEqual({ stopped: [], stillRunning: [], stillRunningCount: 0 })
  })

  it.each(Object.entries(retriers))('still fails on any other refusal (%s errors)', async (_form, retry) => {
    const { api } = clientOver(endedJob('iot.ota.JobNotFound'), { retry })
    await expect(haltJob(target, { api, log: quiet })).rejects.toMatchObject({ code: 'iot.ota.JobNotFound' })
  })
})
