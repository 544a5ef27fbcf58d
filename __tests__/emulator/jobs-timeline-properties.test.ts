import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { grayCount } from '../../emulator/jobs/rules.js'
import { isFinal, stateAt, type TaskStatus, type Timeline } from '../../emulator/jobs/timeline.js'

const M = 100
const RANK: Partial<Record<TaskStatus, number>> = { CONFIRM: 0, QUEUED: 0, NOTIFIED: 1, IN_PROGRESS: 2 }

const timelines = fc.record({
  behaviour: fc.constantFrom('succeed', 'fail-download', 'fail-verify', 'fail-install', 'reject', 'offline', 'stall' as const),
  createdAt: fc.constant(0),
  pushAt: fc.oneof(fc.integer({ min: 0, max: 50 * M }), fc.constant(Infinity)),
  minuteMs: fc.constant(M),
  timeoutMinutes: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  retry: fc.option(fc.record({ intervalMinutes: fc.constantFrom(0, 10, 30), count: fc.constantFrom(1, 2, 5) }), { nil: undefined }),
  needConfirm: fc.boolean()
}) as fc.Arbitrary<Timeline>

describe('task timeline properties', () => {
  it('a final state never changes afterwards (what the memo of finished tasks relies on)', () => {
    fc.assert(
      fc.property(timelines, fc.integer({ min: 0, max: 400 * M }), fc.integer({ min: 0, max: 400 * M }), (t, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a]
        const first = stateAt(t, early)
        if (isFinal(first.status)) expect(stateAt(t, late)).toEqual(first)
      })
    )
  })

  it('without retries, a task only moves forward: waiting, notified, in progress, final; progress never falls', () => {
    const rank = (status: TaskStatus) => (isFinal(status) ? 3 : (RANK[status] ?? 0))
    fc.assert(
      fc.property(timelines, fc.integer({ min: 0, max: 400 * M }), fc.integer({ min: 0, max: 400 * M }), (t, a, b) => {
        const plain = { ...t, retry: undefined }
        const x = stateAt(plain, Math.min(a, b))
        const y = stateAt(plain, Math.max(a, b))
        expect(rank(y.status)).toBeGreaterThanOrEqual(rank(x.status))
        if (x.status === 'IN_PROGRESS' && y.status === 'IN_PROGRESS') expect(y.progress).toBeGreaterThanOrEqual(x.progress)
        expect(y.changedAt).toBeLessThanOrEqual(Math.max(a, b))
      })
    )
  })

  it('the gray count is between 1 and the candidates, and rounds down', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (count, thousandths) => {
        const n = grayCount(count, thousandths)
        expect(n).toBeGreaterThanOrEqual(1)
        expect(n).toBeLessThanOrEqual(count)
        if (n > 1) expect(n * 100_000).toBeLessThanOrEqual(count * thousandths)
      })
    )
  })
})
