import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../../src/contract/action-error.js'
import { CONNECTION } from '../../support/connection.js'
import type { IotApi } from '../../../src/platform/client.js'
import type { FirmwareSummary, JobSummary } from '../../../src/platform/models.js'
import { DELETED } from '../../../src/platform/operations.js'
import { goneLookup } from '../../../src/prune/delete.js'
import { FIRMWARE_NOT_FOUND } from '../../../src/prune/facts.js'
import type { PruneInputs } from '../../../src/prune/inputs.js'
import { newProgress, prunePackages, type PruneDeps } from '../../../src/prune/prune.js'
import { pruneFailure } from '../../../src/prune/summary.js'
import { fakeApi } from '../../support/jobs-fakes.js'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86_400_000
/** Packages p1 (newest) … pN (oldest) of the default module, a day apart. */
const packages = (n: number): FirmwareSummary[] =>
  Array.from({ length: n }, (_, i) => ({
    FirmwareId: `p${i + 1}`,
    FirmwareName: `p${i + 1}`,
    DestVersion: `1.0.${n - i}`,
    ModuleName: 'default',
    Status: 0,
    UtcCreate: new Date(NOW - (i + 1) * DAY).toISOString()
  }))

const inputs = (overrides: Partial<PruneInputs> = {}): PruneInputs => ({
  connection: CONNECTION,
  productKey: 'a1pk',
  policy: { keepLast: 2, prereleases: 'keep-last', protect: new Set() },
  maxDeletions: 50,
  dryRun: false,
  ...overrides
})

const notFound = () => new ActionError('The specified firmware does not exist.', { code: FIRMWARE_NOT_FOUND })
const running = (id: string): JobSummary => ({ JobId: `J-${id}`, JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' })

/** An account over an in-memory list; `onList` runs before each read of the list (another run, a person). */
function account(rows: FirmwareSummary[], jobs: Record<string, JobSummary[]> = {}, onList: (n: number, live: FirmwareSummary[]) => void = () => undefined) {
  const live = [...rows]
  let lists = 0
  const gone = (id: string) => !live.some((r) => r.FirmwareId === id)
  // The operations as the test may replace them (`on`): the fake reads them at each call.
  const on: Partial<IotApi> = {
    listProductFirmware: async () => (onList(++lists, live), live.map((r) => ({ ...r }))),
    listJobsByFirmware: async (id) => (gone(id) ? Promise.reject(notFound()) : (jobs[id] ?? [])),
    deleteFirmware: async (id) => {
      if (gone(id)) throw notFound()
      live.splice(
        live.findIndex((r) => r.FirmwareId === id),
        1
      )
      return DELETED
    },
    countFirmware: async () => live.length + 100
  }
  const api = fakeApi(on)
  const lines: string[] = []
  const deps: PruneDeps = {
    api,
    now: () => NOW,
    log: { info: (m) => void lines.push(m), warning: (m) => void lines.push(`warning: ${m}`), debug: () => undefined, group: (_n, fn) => fn() }
  }
  return { api, on, live, deps, lines, left: () => live.map((r) => r.FirmwareId) }
}

const ids = (outcome: { deletions: readonly { decision: { pkg: FirmwareSummary }; how: string }[] }) =>
  outcome.deletions.map((d) => `${d.decision.pkg.FirmwareId}:${d.how}`)

describe('prunePackages', () => {
  it('deletes the oldest beyond keep-last, each after reading the list again and the package’s jobs', async () => {
    const a = account(packages(4))
    const outcome = await prunePackages(inputs(), a.deps, newProgress())
    expect(ids(outcome)).toEqual(['p4:deleted', 'p3:deleted'])
    expect(a.left()).toEqual(['p1', 'p2'])
    expect(a.api.calls).toEqual([
      'listProductFirmware',
      'listJobsByFirmware',
      'deleteFirmware',
      'listProductFirmware',
      'listJobsByFirmware',
      'deleteFirmware',
      'listProductFirmware',
      'countFirmware'
    ])
    expect(outcome).toMatchObject({ before: 4, accountPackages: 102, dryRun: false })
  })

  it('deletes less when a kept package disappears meanwhile: the module never falls below keep-last', async () => {
    // After the first delete a person (or another run with another policy) deletes p1, the newest.
    const a = account(packages(5), {}, (n, live) => n === 2 && live.splice(0, 1))
    const outcome = await prunePackages(inputs(), a.deps, newProgress())
    expect(ids(outcome)).toEqual(['p5:deleted', 'p4:deleted'])
    expect(a.left()).toEqual(['p2', 'p3'])
  })

  it('counts a package another run deleted first as deleted, and one gone before its turn as vanished', async () => {
    const a = account(packages(5))
    a.on.deleteFirmware = async () => Promise.reject(notFound())
    const outcome = await prunePackages(inputs({ maxDeletions: 1 }), a.deps, newProgress())
    expect(ids(outcome)).toEqual(['p5:gone'])
    expect(a.lines).toContain(
      'p5 (module default, DestVersion 1.0.1, created 2026-05-27T00:00:00.000Z) was gone already (another run or a person deleted it first): counted as deleted.'
    )

    const b = account(packages(4))
    // p4 is deleted elsewhere right before this run reads its jobs.
    b.on.listJobsByFirmware = async (id) => {
      if (id !== 'p4') return []
      b.live.splice(
        b.live.findIndex((r) => r.FirmwareId === 'p4'),
        1
      )
      throw notFound()
    }
    const second = await prunePackages(inputs(), b.deps, newProgress())
    expect(second.vanished.map((p) => p.FirmwareId)).toEqual(['p4'])
    expect(ids(second)).toEqual(['p3:deleted'])
  })

  it('keeps a package in use, and one whose delete is refused because a job started since its jobs were read', async () => {
    const a = account(packages(5), { p5: [running('p5')] })
    let refused = false
    const del = a.on.deleteFirmware!
    a.on.deleteFirmware = async (id, lookup) => {
      if (id !== 'p4') return del(id, lookup)
      refused = true
      throw new ActionError('DeleteOTAFirmware failed: iot.system.IllegalRequest: unfinished jobs', { code: 'iot.system.IllegalRequest' })
    }
    const jobs = a.on.listJobsByFirmware!
    a.on.listJobsByFirmware = async (id) => (id === 'p4' && refused ? [running('p4')] : jobs(id))
    const outcome = await prunePackages(inputs(), a.deps, newProgress())
    expect(ids(outcome)).toEqual(['p3:deleted'])
    expect(a.left()).toEqual(['p1', 'p2', 'p4', 'p5'])
    expect(outcome.plan.queue.map((d) => [d.pkg.FirmwareId, d.keep])).toEqual([
      ['p5', ['running-job']],
      // In use by a batch upgrade, so rolled out: the newest such package is the rollback target too.
      ['p4', ['rollback-target', 'running-job']]
    ])
    expect(outcome.running.get('p5')?.JobId).toBe('J-p5')
  })

  it('rethrows a refusal that is not about a job, with what was deleted before in the progress', async () => {
    const a = account(packages(5))
    const del = a.on.deleteFirmware!
    a.on.deleteFirmware = async (id, lookup) =>
      id === 'p4' ? Promise.reject(new ActionError('DeleteOTAFirmware failed: Forbidden.RAM', { code: 'Forbidden.RAM' })) : del(id, lookup)
    const progress = newProgress()
    await expect(prunePackages(inputs(), a.deps, progress)).rejects.toMatchObject({ code: 'Forbidden.RAM' })
    expect(ids(progress)).toEqual(['p5:deleted'])
    const failed = pruneFailure('DeleteOTAFirmware failed: Forbidden.RAM', undefined, progress)
    expect(failed.outputs).toEqual({ deleted: '1', 'deleted-ids': '["p5"]' })
    expect(failed.summary).toContain('**Deleted before the failure** (1):')
    expect(failed.summary).toContain('| `p5` 1.0.1 | default | 2026-05-27 |')
    expect(failed.summary).toContain('A re-run reads the packages again and goes on where this one stopped.')
  })

  it('stops at max-deletions; a dry run reads the same, deletes nothing and plans the same', async () => {
    const dry = account(packages(6))
    const planned = await prunePackages(inputs({ dryRun: true, maxDeletions: 3 }), dry.deps, newProgress())
    expect(ids(planned)).toEqual(['p6:dry-run', 'p5:dry-run', 'p4:dry-run'])
    expect(dry.api.calls).not.toContain('deleteFirmware')
    expect(dry.left()).toHaveLength(6)
    const real = account(packages(6))
    const done = await prunePackages(inputs({ maxDeletions: 3 }), real.deps, newProgress())
    expect(ids(done).map((id) => id.replace(':deleted', ':dry-run'))).toEqual(ids(planned))
    expect(real.lines).toContain("Stopped at 'max-deletions' (3): the policy would delete 1 more, which the next run does.")
    expect(done.plan.queue.map((d) => d.pkg.FirmwareId)).toEqual(['p3'])
  })

  it('deletes a rolled-out package only once a newer one is known to be rolled out: the rollback target stays', async () => {
    const rolled = (id: string): JobSummary => ({ JobId: `J-${id}`, JobStatus: 'COMPLETED', JobType: 'UPGRADE_FIRMWARE' })
    const a = account(packages(5), { p5: [rolled('p5')], p3: [rolled('p3')] })
    const outcome = await prunePackages(inputs(), a.deps, newProgress())
    // p3 is the newest rolled out: the rollback target. p5 is older: it goes, after p1, p2 and p4 were read.
    expect(ids(outcome)).toEqual(['p5:deleted', 'p4:deleted'])
    expect(a.left()).toEqual(['p1', 'p2', 'p3'])
    expect(outcome.plan.modules[0]?.rollbackTarget).toBe('p3')
  })

  it('never takes up again a package it deleted, should a list read right after still show it', async () => {
    const a = account(packages(4))
    const del = a.on.deleteFirmware!
    // Each list read after a delete still shows what was deleted (a list that lags behind).
    a.on.deleteFirmware = async (id, lookup) => {
      const done = await del(id, lookup)
      a.live.push(packages(4).find((p) => p.FirmwareId === id)!)
      return done
    }
    const outcome = await prunePackages(inputs(), a.deps, newProgress())
    expect(ids(outcome)).toEqual(['p4:deleted', 'p3:deleted'])
  })

  it('only touches the module asked for', async () => {
    const rows = [...packages(4), ...packages(4).map((r) => ({ ...r, FirmwareId: `w${r.FirmwareId}`, ModuleName: 'wifi' }))]
    const a = account(rows)
    const outcome = await prunePackages(inputs({ moduleName: 'wifi' }), a.deps, newProgress())
    expect(ids(outcome)).toEqual(['wp4:deleted', 'wp3:deleted'])
    expect(outcome.before).toBe(4)
  })
})

describe('goneLookup: whether a delete whose answer was lost took effect', () => {
  it.each([
    ['the package is not found: gone', async () => Promise.reject(notFound()), DELETED],
    ['the package is there: send the delete again', async () => ({ FirmwareId: 'p1' }), undefined]
  ])('%s', async (_name, query, expected) => {
    const api = fakeApi({ queryFirmware: query as never })
    await expect(goneLookup('p1', api)()).resolves.toBe(expected)
  })

  it('lets another failure through', async () => {
    const api = fakeApi({ queryFirmware: async () => Promise.reject(new ActionError('denied', { code: 'Forbidden.RAM' })) })
    await expect(goneLookup('p1', api)()).rejects.toMatchObject({ code: 'Forbidden.RAM' })
  })
})
