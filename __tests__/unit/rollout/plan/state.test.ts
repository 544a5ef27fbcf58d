import { describe, expect, it } from '@jest/globals'
import type { JobSummary } from '../../../../src/platform/models.js'
import { missingParts, planState } from '../../../../src/rollout/plan/state.js'
import { markerTags, planId, readPlanJob, stageTags, TAG, type PlanJob } from '../../../../src/rollout/plan/tags.js'

const PLAN = planId('F', [1, 10, 100])
let n = 0
const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute)).toISOString()

function job(tags: JobSummary['Tags'], minute: number, JobStatus = 'IN_PROGRESS'): PlanJob {
  return readPlanJob({ JobId: `J${++n}`, JobStatus, JobType: 'UPGRADE_FIRMWARE', UtcCreate: at(minute), Tags: tags }, PLAN) as PlanJob
}
const stage = (s: number, minute: number, extra: Partial<Parameters<typeof stageTags>[0]> = {}) =>
  job(stageTags({ plan: PLAN, stage: s, part: 1, parts: 1, gen: 1, devices: 10, fleet: 100, edge: 'ab', ...extra }), minute)
const marker = (kind: 'pass' | 'halt', s: number, minute: number, gen = 1) =>
  job(markerTags(PLAN, kind, s, gen, new Date(at(minute)), 'why'), minute, 'CANCELED')

describe('the tags of a plan job', () => {
  it('use keys the platform takes (1 to 30 of A-Za-z0-9.), at most 10 a job, within 4,096 characters', () => {
    for (const tags of [
      stageTags({ plan: PLAN, stage: 20, part: 9, parts: 9, gen: 3, devices: 10_000, fleet: 1_000_000, edge: 'f'.repeat(16) }),
      markerTags(PLAN, 'halt', 1, 1, new Date(), 'x'.repeat(5000))
    ]) {
      expect(tags.length).toBeLessThanOrEqual(10)
      for (const t of tags) expect(t.Key).toMatch(/^[A-Za-z0-9.]{1,30}$/)
      for (const t of tags) expect(t.Value.length).toBeGreaterThanOrEqual(1)
      for (const t of tags) expect(t.Value.length).toBeLessThanOrEqual(1024)
      expect(tags.reduce((sum, t) => sum + t.Key.length + t.Value.length, 0)).toBeLessThanOrEqual(4096)
    }
  })

  it('read back into the plan job they describe; another plan or an untagged job is not one', () => {
    expect(stage(2, 1, { part: 2, parts: 3, gen: 2 })).toMatchObject({
      kind: 'stage',
      stage: 2,
      part: 2,
      parts: 3,
      gen: 2,
      devices: 10,
      fleet: 100,
      edge: 'ab'
    })
    expect(readPlanJob({ JobId: 'X', JobStatus: 'COMPLETED', JobType: 'UPGRADE_FIRMWARE', Tags: [{ Key: TAG.plan, Value: 'other' }] }, PLAN)).toBeUndefined()
    expect(readPlanJob({ JobId: 'Y', JobStatus: 'COMPLETED', JobType: 'UPGRADE_FIRMWARE' }, PLAN)).toBeUndefined()
  })

  it('name the plan after the package and its stage list', () => {
    expect(planId('F', [1, 10, 100])).toBe(PLAN)
    expect(planId('F', [1, 10, 50, 100])).not.toBe(PLAN)
    expect(planId('G', [1, 10, 100])).not.toBe(PLAN)
  })
})

describe('planState', () => {
  it('before the first stage: nothing current, nothing halted', () => {
    expect(planState([1, 10, 100], [])).toMatchObject({ current: 0, halt: undefined })
  })

  it('the current stage is the highest with a job, and a pass marker of its generation dates its pass', () => {
    const state = planState([1, 10, 100], [stage(1, 0), marker('pass', 1, 5), stage(2, 70)])
    expect(state.current).toBe(2)
    expect(state.stages[0]).toMatchObject({ passedAt: at(5), gen: 1 })
    expect(state.stages[1]).toMatchObject({ passedAt: undefined, devices: 10 })
  })

  it('a halt holds until a newer stage job (a resume), whose generation the stage then follows', () => {
    const first = stage(2, 10)
    const halted = planState([1, 10, 100], [stage(1, 0), first, marker('halt', 2, 20)])
    expect(halted.halt).toMatchObject({ stage: 2, at: at(20), reason: 'why' })
    const resumed = planState([1, 10, 100], [stage(1, 0), first, marker('halt', 2, 20), marker('pass', 2, 15), stage(2, 30, { gen: 2 })])
    expect(resumed.halt).toBeUndefined()
    expect(resumed.stages[1]).toMatchObject({ gen: 2, passedAt: undefined })
    expect(resumed.stages[1]?.earlier.map((j) => j.jobId)).toEqual([first.jobId])
  })

  it('a stage job another run created after the halt does not lift it: it is a stray, to be cancelled', () => {
    const racing = stage(3, 25)
    const state = planState([1, 10, 100], [stage(1, 0), stage(2, 10), marker('halt', 2, 20), racing])
    expect(state.halt).toMatchObject({ stage: 2, gen: 1 })
    expect(state.halt?.strays.map((j) => j.jobId)).toEqual([racing.jobId])
    // A stage job of the halted stage of the same generation (a part created late) does not lift it either.
    expect(planState([1, 10, 100], [stage(1, 0), stage(2, 10), marker('halt', 2, 20), stage(2, 30, { part: 2, parts: 2 })]).halt).toBeDefined()
  })

  it('lists markers a run left scheduled (not cancelled), which any later run cancels', () => {
    const open = job(markerTags(PLAN, 'pass', 1, 1, new Date(at(5)), undefined), 5, 'PLANNED')
    expect(planState([1, 100], [stage(1, 0), open, marker('pass', 1, 6)]).openMarkers.map((j) => j.jobId)).toEqual([open.jobId])
  })

  it('knows the parts a stage still lacks', () => {
    const state = planState([50, 100], [stage(1, 0, { part: 1, parts: 3 }), stage(1, 1, { part: 3, parts: 3 })])
    expect(missingParts(state.stages[0]!)).toEqual([2])
  })
})
