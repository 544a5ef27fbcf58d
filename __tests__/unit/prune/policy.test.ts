import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { FirmwareSummary, JobSummary } from '../../../src/platform/models.js'
import { isPrerelease, planPrune, readJobs, type JobFacts, type RetentionPolicy } from '../../../src/prune/policy.js'
import { markerTags } from '../../../src/rollout/plan/tags.js'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86_400_000

/** A package `days` old; Status 0 (unverified) unless given. */
function pkg(id: string, days: number, DestVersion = '1.0.0', ModuleName = 'default', Status = 0): FirmwareSummary {
  return { FirmwareId: id, FirmwareName: id, DestVersion, ModuleName, Status, UtcCreate: new Date(NOW - days * DAY).toISOString() }
}

const policy = (overrides: Partial<RetentionPolicy> = {}): RetentionPolicy => ({ keepLast: 2, prereleases: 'keep-last', protect: new Set(), ...overrides })
const noFacts: JobFacts = { read: new Set(), rolledOut: new Set(), running: new Map() }
/** Every package's jobs read: those given rolled out or running, the rest neither. */
function facts(rows: readonly FirmwareSummary[], rolledOut: string[] = [], running: string[] = []): JobFacts {
  const job = (id: string): JobSummary => ({ JobId: `J-${id}`, JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' })
  return { read: new Set(rows.map((r) => r.FirmwareId)), rolledOut: new Set(rolledOut), running: new Map(running.map((id) => [id, job(id)])) }
}

/** The FirmwareIds the plan deletes, in order. */
const deletions = (rows: FirmwareSummary[], p: RetentionPolicy, f: JobFacts = facts(rows)): string[] =>
  planPrune(rows, p, f, NOW)
    .queue.filter((d) => d.keep.length === 0)
    .map((d) => d.pkg.FirmwareId)

describe('isPrerelease', () => {
  it.each([
    ['1.2.3', false],
    ['1.2.3-rc.1', true],
    ['v1.2.3-beta', true],
    ['2-beta', true],
    ['1.2.3.4', false],
    ['2024-11-20', false],
    ['2024-11-20-nightly.3', true],
    ['1.2.3_build.7', false],
    ['1.2.3-rc.1_build.7', true],
    ['nightly', false]
  ])('%s: %s', (version, expected) => {
    expect(isPrerelease(version)).toBe(expected)
  })
})

describe('readJobs', () => {
  const job = (JobType: string, JobStatus: string): JobSummary => ({ JobId: `${JobType}-${JobStatus}`, JobType, JobStatus })
  const marker = (kind: 'pass' | 'halt'): JobSummary => ({
    ...job('UPGRADE_FIRMWARE', 'CANCELED'),
    JobId: kind,
    Tags: markerTags('0123456789abcdef', kind, 1, 1, new Date('2026-12-07T00:00:00Z'), kind === 'halt' ? 'why' : undefined)
  })

  it.each([
    [[], false, undefined],
    [[job('VERIFY_FIRMWARE', 'COMPLETED')], false, undefined],
    [[job('VERIFY_FIRMWARE', 'IN_PROGRESS')], false, 'VERIFY_FIRMWARE-IN_PROGRESS'],
    [[job('UPGRADE_FIRMWARE', 'CANCELED')], true, undefined],
    [[job('UPGRADE_FIRMWARE', 'COMPLETED'), job('UPGRADE_FIRMWARE', 'PLANNED')], true, 'UPGRADE_FIRMWARE-PLANNED'],
    // A state it does not know is taken as in use: a package is kept rather than deleted under a job.
    [[job('UPGRADE_FIRMWARE', 'PAUSED')], true, 'UPGRADE_FIRMWARE-PAUSED'],
    [[job('UPGRADE_FIRMWARE', '')], true, 'UPGRADE_FIRMWARE-'],
    // A rollout plan's marker (a halt recorded before any stage, say) upgraded no device.
    [[marker('halt')], false, undefined],
    [[marker('pass'), job('UPGRADE_FIRMWARE', 'COMPLETED')], true, undefined]
  ])('%j: rolled out %s, in use by %s', (jobs, rolledOut, running) => {
    expect(readJobs(jobs)).toEqual({ rolledOut, running: running === undefined ? undefined : expect.objectContaining({ JobId: running }) })
  })
})

describe('planPrune', () => {
  const wifi = [pkg('w6', 1, '1.4.0-rc.1', 'wifi'), pkg('w5', 10, '1.3.0', 'wifi'), pkg('w4', 20, '1.3.0-rc.2', 'wifi'), pkg('w3', 30, '1.2.0', 'wifi')]
  const ble = [pkg('b3', 5, '2.0.0', 'ble'), pkg('b2', 40, '1.9.0', 'ble'), pkg('b1', 50, '1.8.0-beta', 'ble')]
  const rows = [...wifi, ...ble, pkg('w2', 40, '1.1.0', 'wifi'), pkg('w1', 50, '1.0.0', 'wifi')]

  it.each([
    ['keep-last per module, the oldest first', policy(), ['b1', 'w1', 'w2', 'w3', 'w4']],
    ['keep-last 1', policy({ keepLast: 1 }), ['b1', 'w1', 'b2', 'w2', 'w3', 'w4', 'w5']],
    ['keep-days keeps the young ones too', policy({ keepDays: 25 }), ['b1', 'w1', 'w2', 'w3']],
    ['keep-days counts whole days back from now', policy({ keepDays: 30 }), ['b1', 'w1', 'w2', 'w3']],
    ['prune-first: prereleases first, releases first in the keep-last places', policy({ prereleases: 'prune-first' }), ['b1', 'w4', 'w6', 'w1', 'w2']],
    ['prune-first with keep-days', policy({ prereleases: 'prune-first', keepDays: 7 }), ['b1', 'w4', 'w1', 'w2']],
    ['protect', policy({ protect: new Set(['w1', 'b1', 'unknown']) }), ['w2', 'w3', 'w4']],
    ['keep-last above the count keeps everything', policy({ keepLast: 10 }), []]
  ])('%s', (_name, p, expected) => {
    expect(deletions(rows, p)).toEqual(expected)
  })

  it('keeps each module’s newest verified or rolled-out package, the rollback target, and packages in use', () => {
    const withStatus = rows.map((r) => (r.FirmwareId === 'w1' ? { ...r, Status: 1 } : r))
    const f = facts(withStatus, ['w3', 'b1'], ['w2'])
    const plan = planPrune(withStatus, policy(), f, NOW)
    expect(plan.modules.map((m) => [m.moduleName, m.rollbackTarget])).toEqual([
      ['ble', 'b1'],
      ['wifi', 'w3']
    ])
    expect(plan.queue.map((d) => [d.pkg.FirmwareId, d.keep])).toEqual([
      ['b1', ['rollback-target']],
      ['w1', []],
      ['w2', ['running-job']],
      ['w3', ['rollback-target']],
      ['w4', []]
    ])
  })

  it('a rollback target only holds while newer packages’ jobs are unread: it names the one to read first', () => {
    const f: JobFacts = { read: new Set(['w1', 'w2']), rolledOut: new Set(['w1']), running: new Map() }
    const plan = planPrune(rows, policy(), f, NOW)
    const w1 = plan.queue.find((d) => d.pkg.FirmwareId === 'w1')
    // The newest package not yet read, newer than w1: w6 (w2 was read and is no target).
    expect(w1).toMatchObject({ keep: ['rollback-target'], confirmTarget: 'w6' })
    // Once every newer one is read, w1 is the target for sure.
    const all = planPrune(rows, policy(), { ...f, read: new Set(rows.map((r) => r.FirmwareId)) }, NOW)
    expect(all.queue.find((d) => d.pkg.FirmwareId === 'w1')).toMatchObject({ keep: ['rollback-target'], confirmTarget: undefined })
  })

  it('a verified package is a rollback target without reading its jobs; a target kept by the policy needs no confirmation', () => {
    const verified = rows.map((r) => (r.FirmwareId === 'w5' ? { ...r, Status: 1 } : r))
    const plan = planPrune(verified, policy(), noFacts, NOW)
    expect(plan.modules.find((m) => m.moduleName === 'wifi')?.rollbackTarget).toBe('w5')
    expect(plan.modules.flatMap((m) => m.decisions).filter((d) => d.confirmTarget !== undefined)).toEqual([])
  })

  it('counts a package without a readable UtcCreate as created now: the newest, never older than keep-days', () => {
    const rows2 = [pkg('a', 100), pkg('b', 90), { ...pkg('c', 200), UtcCreate: undefined }, { ...pkg('d', 200), UtcCreate: 'yesterday' }]
    expect(deletions(rows2, policy({ keepLast: 1, keepDays: 30 }))).toEqual(['a', 'b'])
    expect(deletions(rows2, policy({ keepLast: 1 }))).toEqual(['a', 'b', 'c'])
  })
})

/** Any product's packages: ids p0…, a few modules, ages up to a year, some prereleases, some verified. */
const packages = fc
  .array(
    fc.record({
      module: fc.constantFrom('default', 'wifi', 'ble'),
      days: fc.integer({ min: 0, max: 365 }),
      prerelease: fc.boolean(),
      verified: fc.boolean()
    }),
    { maxLength: 40 }
  )
  .map((specs) => specs.map((s, i) => pkg(`p${i}`, s.days, s.prerelease ? '1.0.0-rc.1' : '1.0.0', s.module, s.verified ? 1 : 0)))

const policies = fc.record({
  keepLast: fc.integer({ min: 1, max: 6 }),
  keepDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  prereleases: fc.constantFrom('keep-last' as const, 'prune-first' as const),
  protect: fc.constant(new Set<string>())
})

/** Facts over some of the packages: each read or not, rolled out or not, in use or not. */
const factsOf = (rows: FirmwareSummary[]) =>
  fc
    .array(fc.record({ read: fc.boolean(), rolledOut: fc.boolean(), running: fc.boolean() }), { minLength: rows.length, maxLength: rows.length })
    .map((flags): JobFacts => ({
      read: new Set(rows.filter((_, i) => flags[i]!.read).map((r) => r.FirmwareId)),
      rolledOut: new Set(rows.filter((_, i) => flags[i]!.read && flags[i]!.rolledOut).map((r) => r.FirmwareId)),
      running: new Map(
        rows
          .filter((_, i) => flags[i]!.read && flags[i]!.running)
          .map((r) => [r.FirmwareId, { JobId: 'J', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' }])
      )
    }))

const scenario = packages.chain((rows) =>
  fc.tuple(fc.constant(rows), policies, factsOf(rows), fc.subarray(rows.map((r) => r.FirmwareId))).map(([r, p, f, protect]) => ({
    rows: r,
    policy: { ...p, protect: new Set(protect) },
    facts: f
  }))
)

describe('planPrune, for any packages, policy and facts', () => {
  it('never deletes a protected package, one in use, or a module’s newest verified or rolled-out package', () => {
    fc.assert(
      fc.property(scenario, ({ rows, policy: p, facts: f }) => {
        const gone = new Set(deletions(rows, p, f))
        for (const id of p.protect) expect(gone.has(id)).toBe(false)
        for (const id of f.running.keys()) expect(gone.has(id)).toBe(false)
        for (const module of new Set(rows.map((r) => r.ModuleName))) {
          const newestTarget = rows
            .filter((r) => r.ModuleName === module && (r.Status === 1 || f.rolledOut.has(r.FirmwareId)))
            .sort((a, b) => Date.parse(b.UtcCreate!) - Date.parse(a.UtcCreate!))[0]
          if (newestTarget && gone.has(newestTarget.FirmwareId)) {
            // Only when a package as new was rolled out too, and won the tie.
            expect(rows.some((r) => r !== newestTarget && r.UtcCreate === newestTarget.UtcCreate && r.ModuleName === module)).toBe(true)
          }
        }
      })
    )
  })

  it('always keeps keep-last per module (all of a smaller module), and every package within keep-days', () => {
    fc.assert(
      fc.property(scenario, ({ rows, policy: p, facts: f }) => {
        const gone = new Set(deletions(rows, p, f))
        for (const module of new Set(rows.map((r) => r.ModuleName))) {
          const all = rows.filter((r) => r.ModuleName === module)
          expect(all.filter((r) => !gone.has(r.FirmwareId)).length).toBeGreaterThanOrEqual(Math.min(p.keepLast, all.length))
        }
        if (p.keepDays !== undefined) for (const r of rows) if (NOW - Date.parse(r.UtcCreate!) < p.keepDays * DAY) expect(gone.has(r.FirmwareId)).toBe(false)
      })
    )
  })

  it('deletes what it deletes from what is left the same way: a package another run deleted never makes it delete one it kept', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ rows, policy: p, facts: f }, pick) => {
        const gone = deletions(rows, p, f)
        if (gone.length === 0) return
        const deletedElsewhere = gone[pick % gone.length]!
        const after = deletions(
          rows.filter((r) => r.FirmwareId !== deletedElsewhere),
          p,
          f
        )
        expect(after).toEqual(gone.filter((id) => id !== deletedElsewhere))
      })
    )
  })

  it('goes through prereleases first with prune-first, then the oldest first', () => {
    fc.assert(
      fc.property(scenario, ({ rows, policy: p, facts: f }) => {
        const queue = planPrune(rows, { ...p, prereleases: 'prune-first' }, f, NOW).queue
        const firstRelease = queue.findIndex((d) => !d.prerelease)
        if (firstRelease >= 0) expect(queue.slice(firstRelease).every((d) => !d.prerelease)).toBe(true)
        for (const group of [queue.filter((d) => d.prerelease), queue.filter((d) => !d.prerelease)]) {
          for (let i = 1; i < group.length; i++) expect(group[i]!.created).toBeGreaterThanOrEqual(group[i - 1]!.created)
        }
      })
    )
  })
})
