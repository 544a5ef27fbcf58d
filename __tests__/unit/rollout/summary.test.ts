import { describe, expect, it } from '@jest/globals'
import { progressBar } from '../../../src/report/markdown.js'
import { zeroCounts } from '../../../src/jobs/tasks.js'
import type { RolloutScope } from '../../../src/rollout/inputs.js'
import type { RolloutOutcome } from '../../../src/rollout/rollout-package.js'
import { buildRolloutOutputs, describeSelection, renderRolloutSummary } from '../../../src/rollout/summary.js'

const SCOPE: RolloutScope = { selection: 'gray', grayPercent: '5', devices: [], srcVersions: ['1.0.0'], dynamic: false }
const outcome = (over: Partial<RolloutOutcome> = {}): RolloutOutcome => ({
  result: 'completed',
  jobId: 'J1',
  origin: 'created',
  jobStatus: 'COMPLETED',
  counts: { ...zeroCounts(), SUCCEEDED: 18, FAILED: 2 },
  total: 20,
  failedTasks: [
    { TaskId: 't', DeviceName: 'dev-9', TaskStatus: 'FAILED', Progress: 20, TaskDesc: 'download failed', SrcVersion: '1.0.0', DestVersion: '1.1.0' }
  ],
  cancelled: [],
  stillRunning: [],
  stillRunningCount: 0,
  ...over
})

describe('progressBar', () => {
  it.each([
    [0, 10, '`[--------------------]` 0%'],
    [5, 10, '`[##########----------]` 50%'],
    [10, 10, '`[####################]` 100%'],
    [0, 0, '`[--------------------]` 0%']
  ])('%d of %d', (done, total, expected) => {
    expect(progressBar(done, total)).toBe(expected)
  })
})

describe('renderRolloutSummary', () => {
  it('shows the selection, the job, the counts with a bar and the failed devices', () => {
    const text = renderRolloutSummary('F', SCOPE, undefined, outcome())
    expect(text).toContain('### OTA rollout of package F: completed')
    expect(text).toContain('Selection: gray 5% of the devices on 1.0.0, static job. Job `J1`, created by this run (COMPLETED).')
    expect(text).toContain('`[####################]` 100% 20 of 20 device(s) finished')
    expect(text).toContain('| SUCCEEDED | 18 |\n| FAILED | 2 |\n')
    expect(text).toContain('| dev-9 | 1.0.0 → 1.1.0 | 20% | download failed |')
    expect(text).toContain('(the first 1; 1 more)')
  })

  it('on a halt says what failed and what was cancelled', () => {
    const text = renderRolloutSummary(
      'F',
      SCOPE,
      5,
      outcome({
        result: 'halted',
        budget: { finished: 20, failed: 2, excluded: 3, needed: 10, failedPercent: 10, exceeded: true },
        cancelled: ['the pending and in-progress tasks'],
        stillRunning: [],
        stillRunningCount: 0
      })
    )
    expect(text).toContain('**Halted:** 2 of 20 finished devices failed (10.0%), over the budget of 5% (3 device(s) busy in another batch not counted).')
    expect(text).toContain('Cancelled, as the platform confirms: the pending and in-progress tasks.')
  })

  it.each([
    [{ result: 'started' as const, jobStatus: undefined }, /not followed/],
    [{ result: 'following-ended' as const, jobStatus: 'IN_PROGRESS' }, /Following ended/],
    [{ origin: 'followed' as const }, /started earlier with the same selection/]
  ])('%j', (over, expected) => {
    expect(renderRolloutSummary('F', SCOPE, undefined, outcome(over))).toMatch(expected)
  })

  it.each<[RolloutScope, string]>([
    [{ ...SCOPE, selection: 'all', srcVersions: [] }, 'all devices, static job'],
    [{ ...SCOPE, selection: 'devices', devices: ['a', 'b'], srcVersions: [] }, '2 named device(s), static job'],
    [{ ...SCOPE, selection: 'group', groupId: 'g1', srcVersions: [], dynamic: true }, 'group g1, dynamic job (devices that qualify later join)']
  ])('describes %j', (scope, expected) => {
    expect(describeSelection(scope)).toBe(expected)
  })
})

describe('buildRolloutOutputs', () => {
  it('gives the counts per final status, and all of them in json', () => {
    const outputs = buildRolloutOutputs(outcome())
    expect(outputs).toMatchObject({ 'job-id': 'J1', result: 'completed', succeeded: '18', failed: '2', canceled: '0' })
    expect(JSON.parse(outputs.json!)).toMatchObject({ total: 20, jobStatus: 'COMPLETED', counts: { SUCCEEDED: 18, QUEUED: 0 } })
  })
})
