import { describe, expect, it } from '@jest/globals'
import { nextDelay, pacedApi, POLL_PACING, pollUntil } from '../../../src/jobs/poll.js'
import { createPacer } from '../../../src/net/pacer.js'
import { fakeApi, fakeClock } from '../../support/jobs-fakes.js'

describe('poll pacing', () => {
  it('starts at a few seconds and backs off to 30 s', () => {
    const delays: number[] = []
    let d: number | undefined
    for (let i = 0; i < 10; i++) delays.push((d = nextDelay(d, POLL_PACING)))
    expect(delays.slice(0, 4)).toEqual([3000, 4500, 6750, 10125])
    expect(delays.at(-1)).toBe(30_000)
    expect(Math.max(...delays)).toBe(30_000)
  })

  it('polls until done, sleeping the backed-off delays', async () => {
    const clock = fakeClock()
    let n = 0
    const end = await pollUntil(async () => ({ done: ++n === 4, value: n }), clock.now() + 3_600_000, clock, POLL_PACING)
    expect(end).toEqual({ value: 4, timedOut: false })
    expect(clock.sleeps).toEqual([3000, 4500, 6750])
  })

  it('polls one last time at the deadline, then reports the time out', async () => {
    const clock = fakeClock()
    const start = clock.now()
    const seen: number[] = []
    const end = await pollUntil(async () => (seen.push(clock.now() - start), { done: false, value: 'x' }), start + 10_000, clock, POLL_PACING)
    expect(end.timedOut).toBe(true)
    expect(seen).toEqual([0, 3000, 7500, 10_000])
  })

  it('never starts two calls of a run less than a second apart', async () => {
    const clock = fakeClock()
    const starts: number[] = []
    const api = pacedApi(
      fakeApi({ queryJob: async () => (starts.push(clock.now()), {} as never), listTasksByJob: async () => (starts.push(clock.now()), {} as never) }),
      createPacer(1000 / POLL_PACING.callSpacingMs, clock.now, clock.sleep)
    )
    for (let i = 0; i < 5; i++) {
      await api.queryJob('J')
      await api.listTasksByJob('J', 1, 1)
    }
    expect(starts).toHaveLength(10)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1000)
  })
})
