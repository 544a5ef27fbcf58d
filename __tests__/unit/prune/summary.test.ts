import { describe, expect, it } from '@jest/globals'
import type { FirmwareSummary, JobSummary } from '../../../src/platform/models.js'
import { planPrune, type JobFacts, type RetentionPolicy } from '../../../src/prune/policy.js'
import type { PruneOutcome } from '../../../src/prune/prune.js'
import { buildPruneOutputs, pruneReport, renderPruneSummary } from '../../../src/prune/summary.js'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86_400_000
const pkg = (id: string, days: number, ModuleName = 'wifi', Status = 0, DestVersion = `1.0.${100 - days}`): FirmwareSummary => ({
  FirmwareId: id,
  FirmwareName: id,
  DestVersion,
  ModuleName,
  Status,
  UtcCreate: new Date(NOW - days * DAY).toISOString()
})
const policy: RetentionPolicy = { keepLast: 1, keepDays: 3, prereleases: 'keep-last', protect: new Set(['p-prot']) }
const inputs = { productKey: 'a1uctKe1234', policy, maxDeletions: 2 }
const job: JobSummary = { JobId: 'J-busy', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' }

/** After a run: what is left, planned with what the run read. */
function outcome(left: FirmwareSummary[], deleted: FirmwareSummary[], overrides: Partial<PruneOutcome> = {}, facts?: Partial<JobFacts>): PruneOutcome {
  const known: JobFacts = { read: new Set(left.map((p) => p.FirmwareId)), rolledOut: new Set(), running: new Map(), ...facts }
  const plan = planPrune(left, policy, known, NOW)
  const deletions = deleted.map((p) => ({ decision: { pkg: p, created: Date.parse(p.UtcCreate!), prerelease: false, keep: [] }, how: 'deleted' as const }))
  return { dryRun: false, before: left.length + deleted.length, deletions, vanished: [], plan, running: known.running, accountPackages: 412, ...overrides }
}

describe('the prune summary', () => {
  const left = [
    pkg('p-new', 1),
    pkg('p-young', 2),
    pkg('p-prot', 40),
    pkg('p-busy', 50),
    pkg('p-verified', 60, 'wifi', 1),
    pkg('p-later', 70),
    pkg('b-1', 5, 'ble')
  ]
  const ran = outcome(left, [pkg('p-old', 80), pkg('b-0', 90, 'ble')], {}, { running: new Map([['p-busy', job]]) })
  const text = renderPruneSummary(inputs, ran)

  it('says the policy, then per module what went and why the rest stays', () => {
    expect(text).toContain('### OTA prune of product a1uctKe1234: 2 deleted\n\n')
    expect(text).toContain(
      "Policy: keep the newest 1 of each module, and every package created within the last 3 day(s); never a package a job still uses, each module's rollback target, the 1 protected; at most 2 deletion(s) a run."
    )
    expect(text).toContain(
      '| Module | Deleted | Kept | Why kept |\n|---|---|---|---|\n| ble | 1 | 1 | 1 newest |\n| wifi | 1 | 6 | 1 newest, 1 recent, 1 protected, 1 rollback target, 1 in use by a job, 1 left for a later run |\n'
    )
  })

  it('lists what went, and what the policy alone would delete with why it stays', () => {
    expect(text).toContain(
      '**Deleted:**\n\n| Package | Module | Created |\n|---|---|---|\n| `p-old` 1.0.20 | wifi | 2026-03-13 |\n| `b-0` 1.0.10 | ble | 2026-03-03 |\n'
    )
    expect(text).toContain('**Kept although the policy alone would delete them:**')
    expect(text).toContain("| `p-later` 1.0.30 | wifi | left for a later run ('max-deletions') |")
    expect(text).toContain('| `p-verified` 1.0.40 | wifi | rollback target (verified) |')
    expect(text).toContain('| `p-busy` 1.0.50 | wifi | job `J-busy` IN_PROGRESS |')
    expect(text).toContain('| `p-prot` 1.0.60 | wifi | protected |')
    expect(text).toContain("1 package(s) the policy deletes are left for the next run ('max-deletions': 2).")
    expect(text).toMatch(/The account holds \*\*412\*\* of its 500 OTA packages \(82 %\)\.\n$/)
  })

  it('calls a rolled-out target so, a dry run a dry run, and counts what others deleted meanwhile', () => {
    const rolled = outcome([pkg('p-new', 1), pkg('p-rolled', 60)], [], { dryRun: true, vanished: [pkg('x', 9)] }, { rolledOut: new Set(['p-rolled']) })
    const dry = renderPruneSummary(inputs, { ...rolled, deletions: [{ ...ran.deletions[0]!, how: 'dry-run' }] })
    expect(dry).toContain('### OTA prune of product a1uctKe1234: dry run, 1 would be deleted')
    expect(dry).toContain('| Module | Would delete | Kept | Why kept |')
    expect(dry).toContain('**Would delete:**')
    expect(dry).toContain('| `p-rolled` 1.0.40 | wifi | rollback target (rolled out) |')
    expect(dry).toContain('1 package(s) were deleted by another run or a person while this one ran.')
  })

  it('shows the first 100 deleted and counts the rest; says when there is nothing, or no count', () => {
    const many = outcome(
      [],
      Array.from({ length: 130 }, (_, i) => pkg(`p${i}`, 10 + i)),
      { accountPackages: undefined }
    )
    const big = renderPruneSummary({ ...inputs, maxDeletions: 500 }, many)
    expect(big.match(/^\| `p\d+` /gm)).toHaveLength(100)
    expect(big).toContain('and 30 more (output `deleted-ids`).')
    expect(big).toContain("The account's package count could not be read.")
    const none = renderPruneSummary({ ...inputs, moduleName: 'ble' }, outcome([], [], { before: 0 }))
    expect(none).toBe(
      "### OTA prune of product a1uctKe1234, module ble: 0 deleted\n\nPolicy: keep the newest 1 of module ble, and every package created within the last 3 day(s); never a package a job still uses, each module's rollback target, the 1 protected; at most 2 deletion(s) a run.\n\nNo packages of this module.\n\nThe account holds **412** of its 500 OTA packages (82 %).\n"
    )
  })
})

describe('the prune outputs', () => {
  it('counts and lists what went, counts what stays, and gives every kept package its reasons in json', () => {
    const ran = outcome([pkg('p-new', 1), pkg('p-prot', 40)], [pkg('p-old', 80)])
    const outputs = buildPruneOutputs(ran)
    expect(outputs).toMatchObject({ result: 'pruned', deleted: '1', 'deleted-ids': '["p-old"]', kept: '2', 'account-packages': '412' })
    expect(JSON.parse(outputs.json!)).toEqual({
      result: 'pruned',
      deleted: '1',
      'deleted-ids': ['p-old'],
      kept: '2',
      'account-packages': '412',
      keptPackages: [
        { firmwareId: 'p-new', moduleName: 'wifi', destVersion: '1.0.99', utcCreate: '2026-05-31T00:00:00.000Z', why: ['newest', 'recent'] },
        { firmwareId: 'p-prot', moduleName: 'wifi', destVersion: '1.0.60', utcCreate: '2026-04-22T00:00:00.000Z', why: ['protected'] }
      ]
    })
    expect(buildPruneOutputs({ ...ran, dryRun: true, accountPackages: undefined })).toMatchObject({ result: 'dry-run', 'account-packages': '' })
  })

  it('announces the run in a notice', () => {
    const report = pruneReport(outcome([pkg('p-new', 1)], [pkg('p-old', 80)]), inputs)
    expect(report.notice).toEqual({ title: 'OTA prune', message: 'Deleted 1 package(s) of product a1uctKe1234, kept 1; the account holds 412 of 500.' })
    expect(report.result).toBe('pruned')
    expect(report.failure).toBeUndefined()
  })
})
