import { describe, expect, it } from '@jest/globals'
import { deadlineIn, nextDelay, pacingFor, POLL_PACING, pollUntil } from '../../../src/jobs/poll.js'
import { paceFor } from '../../../src/platform/pace.js'
import { fakeClock } from '../../support/jobs-fakes.js'

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
})

describe('the platform minute', () => {
  it('leaves the pacing alone on a real minute', () => {
    expect(pacingFor(60_000)).toEqual(POLL_PACING)
  })

  it('shrinks the waits between polls with a scaled minute', () => {
    expect(pacingFor(50)).toEqual({ ...POLL_PACING, firstDelayMs: 3, maxDelayMs: 25 })
  })

  it.each([
    // minute, call spacing, bulk read spacing, backoff base, backoff max
    [60_000, 1000, 200, 1000, 20_000],
    [6000, 125, 125, 250, 2000],
    [30_000, 500, 125, 500, 10_000],
    [200, 125, 125, 250, 2000],
    [1, 125, 125, 250, 2000]
  ])('paces calls and retries on a %d ms minute as far as the emulator’s real-time 10 QPS allows', (minuteMs, spacing, bulk, base, max) => {
    // Deep QueryDevice pages keep their documented 2 QPS on any clock: the emulator counts them in real time.
    const pace = { jobCallSpacingMs: spacing, bulkCallSpacingMs: bulk, deepQuerySpacingMs: 600, retryBaseDelayMs: base, retryMaxDelayMs: max }
    expect(paceFor(minuteMs)).toEqual(pace)
  })

  it('counts wait-minutes in platform minutes', () => {
    const clock = fakeClock()
    expect(deadlineIn(10, { clock, minuteMs: 60_000 }) - clock.now()).toBe(600_000)
    expect(deadlineIn(10, { clock, minuteMs: 50 }) - clock.now()).toBe(500)
    expect(deadlineIn(2.5, { clock, minuteMs: 60_000 }) - clock.now()).toBe(150_000)
  })
})
