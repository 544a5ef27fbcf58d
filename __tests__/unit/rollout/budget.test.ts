import { describe, expect, it } from '@jest/globals'
import { checkBudget } from '../../../src/rollout/budget.js'
import { createProgressGate, progressLine } from '../../../src/rollout/progress.js'
import { zeroCounts } from '../../../src/jobs/tasks.js'

const counts = (c: Partial<ReturnType<typeof zeroCounts>>) => ({ ...zeroCounts(), ...c })
const BUDGET = { maxFailurePercent: 10, minFinishedDevices: 10 }

describe('checkBudget', () => {
  it.each([
    ['below the minimum finished: never exceeded', counts({ SUCCEEDED: 5, FAILED: 4 }), 100, 0, BUDGET, { finished: 9, needed: 10, exceeded: false }],
    ['at the minimum, above the budget', counts({ SUCCEEDED: 8, FAILED: 2 }), 100, 0, BUDGET, { finished: 10, failedPercent: 20, exceeded: true }],
    ['exactly the budget holds', counts({ SUCCEEDED: 9, FAILED: 1 }), 100, 0, BUDGET, { failedPercent: 10, exceeded: false }],
    ['fewer devices than the minimum: all of them are needed', counts({ SUCCEEDED: 3, FAILED: 1 }), 4, 0, BUDGET, { needed: 4, exceeded: true }],
    ['fewer devices, not all finished', counts({ SUCCEEDED: 2, FAILED: 1, IN_PROGRESS: 1 }), 4, 0, BUDGET, { needed: 4, exceeded: false }],
    ['busy elsewhere is not counted', counts({ SUCCEEDED: 10, FAILED: 5 }), 100, 5, BUDGET, { failed: 0, excluded: 5, finished: 10, exceeded: false }],
    ['busy elsewhere leaves the rest counted', counts({ SUCCEEDED: 10, FAILED: 7 }), 100, 5, BUDGET, { failed: 2, finished: 12, exceeded: true }],
    ['cancelled tasks count neither way', counts({ SUCCEEDED: 2, CANCELED: 8 }), 10, 0, BUDGET, { finished: 2, needed: 2, exceeded: false }],
    [
      'a zero budget halts on the first failure once enough finished',
      counts({ SUCCEEDED: 9, FAILED: 1 }),
      100,
      0,
      { maxFailurePercent: 0, minFinishedDevices: 10 },
      { exceeded: true }
    ],
    ['a 100% budget never halts', counts({ FAILED: 50 }), 50, 0, { maxFailurePercent: 100, minFinishedDevices: 10 }, { exceeded: false }]
  ])('%s', (_what, c, total, busy, budget, expected) => {
    expect(checkBudget(c, total, busy, budget)).toMatchObject(expected)
  })
})

describe('progress', () => {
  it('logs the first time, then after a tenth more devices and a minute, whichever comes later', () => {
    const gate = createProgressGate()
    expect(gate(0, 1000, 0)).toBe(true)
    expect(gate(500, 1000, 30_000)).toBe(false) // many devices, but under a minute
    expect(gate(500, 1000, 60_000)).toBe(true)
    expect(gate(550, 1000, 200_000)).toBe(false) // long enough, but under a tenth
    expect(gate(600, 1000, 200_000)).toBe(true)
  })

  it('writes counts per status, leaving zeros out', () => {
    expect(progressLine('J', 'IN_PROGRESS', counts({ SUCCEEDED: 110, FAILED: 10, QUEUED: 880 }), 1000)).toBe(
      'Job J (IN_PROGRESS): 120 of 1000 finished (12%): QUEUED 880, SUCCEEDED 110, FAILED 10'
    )
  })
})
