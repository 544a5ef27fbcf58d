import { describe, expect, it } from '@jest/globals'
import { zeroCounts } from '../../../src/jobs/tasks.js'
import { renderFailureSummary } from '../../../src/report/failure.js'
import { renderSkipSummary, renderSummary } from '../../../src/publish/summary.js'
import { renderRolloutSummary } from '../../../src/rollout/summary.js'
import { renderVerifySummary } from '../../../src/verify/summary.js'
import { planPrune } from '../../../src/prune/policy.js'
import { renderPruneSummary } from '../../../src/prune/summary.js'
import { firmware } from '../../support/jobs-fakes.js'
import { makePlan } from '../../support/plan.js'
import { tableWidths } from '../../support/summary-width.js'

/**
 * The job summary pane of a workflow run beside its list of jobs, on a 1280-pixel window. A table
 * wider than its longest words allow runs off its right edge, so what a person looks for is hidden.
 */
const PANE_WIDTH_PX = 760

/** Long but real values: a 26-character FirmwareId, a 32-character DeviceName, SHA256 digests, prerelease tags. */
const FIRMWARE_ID = 'Zf8nOgRX8D8aXykFBehUGS0100'
const JOB_ID = 'wahVIzGkCMuAUE2gDERM020200'
const DEVICE = 'gateway-shanghai-hq-floor3-00001'
const plan = makePlan({
  productKey: 'a1uctKe1234',
  moduleName: 'bootloader-secondary',
  firmwareName: 'a1uctKe1234-bootloader-secondary-1',
  signMethod: 'SHA256',
  destVersion: '1.2.3-rc.1_build.20261207',
  version: {
    destVersion: '1.2.3-rc.1_build.20261207',
    source: 'ref',
    tag: 'release/bootloader-secondary/v1.2.3-rc.1+build.20261207',
    isPrerelease: true,
    notes: []
  }
})
const artifact = { path: '/ws/a.bin', displayPath: 'firmware/build/esp32s3/release/bootloader.bin', size: 1_048_576_000, suffix: 'bin' as const }
const published = {
  result: 'created' as const,
  firmwareId: FIRMWARE_ID,
  utcCreate: '2026-12-07T04:34:15.197Z',
  size: 1_048_576_000,
  sign: 'f'.repeat(64),
  signMethod: 'SHA256' as const
}
const task = (TaskDesc: string) => ({
  TaskId: 't',
  DeviceName: DEVICE,
  TaskStatus: 'FAILED',
  Progress: 40,
  TaskDesc,
  SrcVersion: '1.2.2-rc.3_build.20261101',
  DestVersion: plan.destVersion
})

/** A prune of long module names and versions: every reason a package stays, a job in use, a deletion. */
function pruneSummary(): string {
  const at = Date.parse('2026-12-07T00:00:00Z')
  const modules = [plan.moduleName, 'wifi']
  const rows = modules.flatMap((ModuleName, m) =>
    Array.from({ length: 6 }, (_, i) => ({
      FirmwareId: `${FIRMWARE_ID.slice(0, 22)}${m}${i}00`,
      FirmwareName: `fw${m}${i}`,
      DestVersion: `${plan.destVersion}.${i}`,
      ModuleName,
      Status: i === 3 ? 1 : 0,
      UtcCreate: new Date(at - i * 40 * 86_400_000).toISOString()
    }))
  )
  const [busy, gone] = [rows[4]!.FirmwareId, rows[5]!]
  const policy = { keepLast: 1, keepDays: 30, prereleases: 'prune-first' as const, protect: new Set([rows[2]!.FirmwareId]) }
  const job = { JobId: JOB_ID, JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' }
  const facts = { read: new Set(rows.map((r) => r.FirmwareId)), rolledOut: new Set<string>(), running: new Map([[busy, job]]) }
  const pruned = planPrune(
    rows.filter((r) => r !== gone),
    policy,
    facts,
    at
  )
  const deletion = { decision: { pkg: gone, created: at, prerelease: true, keep: [] }, how: 'gone' as const }
  return renderPruneSummary(
    { productKey: 'a1uctKe1234', moduleName: undefined, policy, maxDeletions: 1 },
    { dryRun: true, before: rows.length, deletions: [deletion], vanished: [], plan: pruned, running: facts.running, accountPackages: 499 }
  )
}

/** The most a package holds: 20 files of 32-character names, deep in the build tree, with SHA256 digests. */
const twentyFiles = Array.from({ length: 20 }, (_, i) => ({
  name: `esp32s3-part-${String(i).padStart(2, '0')}-ota-image.bin`,
  path: `firmware/build/esp32s3/release/partitions/esp32s3-part-${String(i).padStart(2, '0')}-ota-image.bin`,
  size: 52_428_800,
  sign: 'e'.repeat(64),
  url: `https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/${'0'.repeat(32)}/${i}.bin`
}))

const SUMMARIES: [string, string][] = [
  ['publish, created', renderSummary(plan, artifact, published)],
  ['publish, a package of 20 files', renderSummary(plan, undefined, { ...published, size: undefined, sign: undefined, files: twentyFiles })],
  ['publish, skipped', renderSkipSummary(plan, 'The tag is for module wifi.')],
  [
    'publish, failed',
    renderFailureSummary('CreateOTAFirmware failed: Forbidden.RAM', 'Grant iot:CreateOTAFirmware.', { module: plan.moduleName, code: 'Forbidden.RAM' })
  ],
  [
    'verify',
    renderVerifySummary('a1uctKe1234', {
      result: 'failed',
      jobId: JOB_ID,
      firmwareId: FIRMWARE_ID,
      origin: 'created',
      firmware: firmware(FIRMWARE_ID, 3, 100),
      timedOut: false,
      neverReported: [],
      waitMinutes: 45,
      devices: [
        { name: DEVICE, status: 'IN_PROGRESS', progress: 100, srcVersion: '1.2.2-rc.3_build.20261101', destVersion: plan.destVersion },
        {
          name: 'test-device-2',
          status: 'FAILED',
          progress: 100,
          message: 'step -3: verification (checksum/signature) failed',
          srcVersion: '1.2.2',
          destVersion: '1.2.3'
        }
      ]
    })
  ],
  [
    'rollout, halted',
    renderRolloutSummary(
      FIRMWARE_ID,
      { selection: 'gray', grayPercent: '33.333', devices: [], srcVersions: ['1.2.2-rc.3_build.20261101'], dynamic: false },
      5,
      {
        result: 'halted',
        jobId: JOB_ID,
        origin: 'created',
        jobStatus: 'IN_PROGRESS',
        counts: { ...zeroCounts(), SUCCEEDED: 90_000, FAILED: 9000, IN_PROGRESS: 1000 },
        total: 100_000,
        failedTasks: [task('step -2: download failed: the device reported a timeout while fetching the package'), task('step -3: verification failed')],
        cancelled: ['the pending and in-progress tasks (CancelUnconfirmedTask, CancelQueuedTask, CancelNotifiedTask, CancelInProgressTask)'],
        stillRunning: [],
        stillRunningCount: 0
      }
    )
  ],
  ['prune, dry run', pruneSummary()]
]

describe('the job summaries fit the summary pane', () => {
  it.each(SUMMARIES)('%s: every table is narrower than the pane', (_name, markdown) => {
    for (const table of tableWidths(markdown)) expect({ ...table, fits: table.minWidthPx <= PANE_WIDTH_PX }).toMatchObject({ fits: true })
  })

  it('the width model sees the nine-column publish table of 1.0 run off the pane', () => {
    const old =
      '| Module | Tag → DestVersion | File | Size | Digest | FirmwareId | UtcCreate | Result | NeedToVerify |\n|---|---|---|---|---|---|---|---|---|\n' +
      '| wifi | v1.2.3 → 1.2.3 | `build/app.bin` | 256.0 KiB | MD5 `fff5d6e34f2779097a7cd1fd63e17939` | `zfSQZsg2NcDi0mxMWfDBBq0100` | 2026-11-25T10:45:59.637Z | created | true |\n'
    expect(tableWidths(old)[0]?.minWidthPx).toBeGreaterThan(PANE_WIDTH_PX)
  })

  it('puts what a person looks for first in the publish summary: result, FirmwareId, DestVersion', () => {
    const [header] = tableWidths(SUMMARIES[0]![1])
    expect(header?.header.split('|').slice(0, 3)).toEqual(['Result', 'FirmwareId', 'DestVersion'])
  })
})
