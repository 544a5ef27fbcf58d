import { describe, expect, it } from '@jest/globals'
import { jobClock, MINUTE_MS_ENV } from '../../../src/action/wiring.js'
import { scaledClock } from '../../../src/jobs/poll.js'
import { fakeClock } from '../../support/jobs-fakes.js'

describe("the follow loops' clock", () => {
  it("plays a minute in an emulator's minute: waits shrink, time read grows by the same factor", async () => {
    const real = fakeClock()
    const clock = scaledClock(100, real)
    const start = clock.now()
    await clock.sleep(60_000)
    expect(real.now() - start).toBe(100)
    expect(clock.now() - start).toBe(60_000)
  })

  it('is the real clock unless the environment variable is set', () => {
    const before = Date.now()
    expect(jobClock({}).now()).toBeGreaterThanOrEqual(before)
    expect(jobClock({ [MINUTE_MS_ENV]: '' }).now()).toBeLessThan(before + 60_000)
  })

  it.each(['0', '60001', '1.5', 'fast', '-5'])('refuses %j, naming the variable and what is allowed', (value) => {
    expect(() => jobClock({ [MINUTE_MS_ENV]: value })).toThrow(`Environment variable ${MINUTE_MS_ENV} is ${JSON.stringify(value)}, but it must be a whole number of milliseconds from 1 to 60000`)
  })
})
