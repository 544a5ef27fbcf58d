import { describe, expect, it } from '@jest/globals'
import { zeroCounts } from '../../../../src/jobs/tasks.js'
import { judgeStage, soakEnd } from '../../../../src/rollout/plan/gates.js'

const progress = (counts: Partial<ReturnType<typeof zeroCounts>>, extra = {}) => {
  const c = { ...zeroCounts(), ...counts }
  return { counts: c, total: Object.values(c).reduce((a, b) => a + b, 0), earlierSucceeded: 0, busy: 0, devices: 100, completed: false, ...extra }
}

describe('judgeStage', () => {
  const gates = { minSuccessPercent: 95, budget: { maxFailurePercent: 10, minFinishedDevices: 10 } }

  it.each([
    ['95 of 100 succeeded: passed', progress({ SUCCEEDED: 95, QUEUED: 5 }), { passed: true, overBudget: false, unfinished: 5 }],
    ['94 succeeded: not yet', progress({ SUCCEEDED: 94, IN_PROGRESS: 6 }), { passed: false, unfinished: 6 }],
    ['earlier generations count toward the share', progress({ SUCCEEDED: 45, FAILED: 5 }, { earlierSucceeded: 50 }), { passed: true, succeeded: 95 }],
    // The platform gives no task to a device on the version already: counted once the jobs are complete, not while tasks may still come.
    [
      'skipped devices of a complete job run the version',
      progress({ SUCCEEDED: 93, FAILED: 2 }, { completed: true }),
      { passed: true, succeeded: 98, alreadyUpgraded: 5 }
    ],
    ['skipped devices wait for the job to complete', progress({ SUCCEEDED: 93, FAILED: 2 }), { passed: false, succeeded: 93, alreadyUpgraded: 0 }],
    ['a complete job of no task: the whole cohort ran it', progress({}, { completed: true }), { passed: true, succeeded: 100 }],
    [
      'after a resume, skipped = cohort − tasks − earlier successes',
      progress({ SUCCEEDED: 40, FAILED: 5 }, { earlierSucceeded: 50, completed: true }),
      { succeeded: 95, alreadyUpgraded: 5 }
    ],
    ['over the budget', progress({ SUCCEEDED: 8, FAILED: 2, QUEUED: 90 }), { overBudget: true, failed: 2 }],
    ['busy devices never count', progress({ SUCCEEDED: 8, FAILED: 2, QUEUED: 90 }, { busy: 2 }), { overBudget: false, failed: 0 }],
    ['all final below the share', progress({ SUCCEEDED: 90, FAILED: 10 }), { passed: false, unfinished: 0, successPercent: 90 }]
  ])('%s', (_name, p, expected) => {
    expect(judgeStage(p, gates)).toMatchObject(expected)
  })

  it('without a budget never halts, and an empty cohort passes', () => {
    expect(judgeStage(progress({ FAILED: 100 }), { minSuccessPercent: 95 })).toMatchObject({ overBudget: false, passed: false })
    expect(judgeStage(progress({}, { devices: 0 }), { minSuccessPercent: 95 })).toMatchObject({ passed: true })
  })
})

describe('soakEnd', () => {
  it('counts the soak in the platform’s minutes from the pass', () => {
    expect(soakEnd('2026-12-07T10:00:00.000Z', 60, 60_000)).toBe(Date.parse('2026-12-07T11:00:00.000Z'))
    expect(soakEnd('2026-12-07T10:00:00.000Z', 60, 100)).toBe(Date.parse('2026-12-07T10:00:06.000Z'))
  })
})
