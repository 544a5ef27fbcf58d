import { describe, expect, it } from '@jest/globals'
import type { JobDetail } from '../../../src/platform/models.js'
import type { RolloutScope } from '../../../src/rollout/inputs.js'
import { findRolloutStart, firmwareGate, sameSelection, waitForEarlierStages } from '../../../src/rollout/reuse.js'
import { fakeApi, fakeDeps, firmware } from '../../support/jobs-fakes.js'
import { fleetPage, jobDetail } from '../../support/rollout-fleet.js'

const scope = (over: Partial<RolloutScope> = {}, downloadProtocol: 'HTTPS' | 'MQTT' = 'HTTPS') => ({
  selection: 'all' as const,
  devices: [],
  srcVersions: [],
  dynamic: false,
  downloadProtocol,
  ...over
})

describe('firmwareGate', () => {
  it.each([
    [-1, undefined],
    [1, undefined],
    [0, /has not been verified/],
    [2, /still being verified/],
    [3, /failed its verification/]
  ])('Status %d', (Status, expected) => {
    const error = firmwareGate(firmware('F', Status), 'HTTPS')
    if (expected === undefined) expect(error).toBeUndefined()
    else {
      expect(error?.message).toMatch(expected)
      expect(error?.hint).toMatch('verify action')
      expect(error?.input).toBe('firmware-id')
    }
  })
})

describe('firmwareGate and the download protocol', () => {
  const several = { ...firmware('F', 1), MultiFiles: [{ Name: 'a.bin' }, { Name: 'b.bin' }] }
  it.each<[string, ReturnType<typeof firmware> & { MultiFiles?: { Name: string }[] }, 'HTTPS' | 'MQTT', boolean]>([
    ['several files over HTTPS', several, 'HTTPS', false],
    ['several files over MQTT', several, 'MQTT', true],
    ['one file over MQTT', firmware('F', 1), 'MQTT', false]
  ])('%s', (_what, pkg, protocol, refused) => {
    const error = firmwareGate(pkg, protocol)
    expect(error?.input).toBe(refused ? 'download-protocol' : undefined)
    expect(error?.message).toBe(
      refused ? `Input 'download-protocol' is "MQTT": package F holds 2 files (a.bin, b.bin), and MQTT downloads carry a single file.` : undefined
    )
  })

  it('findRolloutStart refuses MQTT for a package of several files before listing its jobs', async () => {
    const api = fakeApi({ queryFirmware: async () => several })
    await expect(findRolloutStart('F', scope({}, 'MQTT'), fakeDeps(api))).rejects.toMatchObject({ input: 'download-protocol' })
    expect(api.calls).toEqual(['queryFirmware'])
  })
})

describe('sameSelection', () => {
  it.each<[string, Partial<JobDetail>, Partial<RolloutScope>, boolean, string[]]>([
    ['all = ALL', {}, {}, true, []],
    ['all with the same versions, in any order', { SrcVersions: ['1', '2'] }, { srcVersions: ['2', '1'] }, true, []],
    ['other versions', { SrcVersions: ['1'] }, { srcVersions: ['2'] }, false, []],
    ['gray 5 = GRAY "5.00"', { TargetSelection: 'GRAY', GrayPercent: '5.00' }, { selection: 'gray', grayPercent: '5' }, true, []],
    ['gray 5 is not gray 10', { TargetSelection: 'GRAY', GrayPercent: '10.00' }, { selection: 'gray', grayPercent: '5' }, false, []],
    ['all is not gray', { TargetSelection: 'GRAY', GrayPercent: '5.00' }, {}, false, []],
    ['static is not dynamic', { SelectionType: 'DYNAMIC' }, {}, false, []],
    ['dynamic, same versions', { SelectionType: 'DYNAMIC', SrcVersions: ['1'] }, { dynamic: true, srcVersions: ['1'] }, true, []],
    ['group by id', { TargetSelection: 'GROUP', GroupId: 'g1' }, { selection: 'group', groupId: 'g1' }, true, []],
    ['another group', { TargetSelection: 'GROUP', GroupId: 'g2' }, { selection: 'group', groupId: 'g1' }, false, []],
    ['same devices', { TargetSelection: 'SPECIFIC' }, { selection: 'devices', devices: ['a', 'b'] }, true, ['b', 'a']],
    ['other devices', { TargetSelection: 'SPECIFIC' }, { selection: 'devices', devices: ['a', 'b'] }, false, ['a']],
    ['a verify job', { JobType: 'VERIFY_FIRMWARE' }, {}, false, []]
  ])('%s: %s', (_what, job, given, expected, devices) => {
    expect(sameSelection(jobDetail(job), scope(given), devices)).toBe(expected)
  })
})

describe('findRolloutStart', () => {
  it('refuses an unverified package before listing jobs', async () => {
    const api = fakeApi({ queryFirmware: async () => firmware('F', 0, 0) })
    await expect(findRolloutStart('F', scope(), fakeDeps(api))).rejects.toThrow(/verify action|verified/)
    expect(api.calls).toEqual(['queryFirmware'])
  })

  it('follows a running job with the same selection; others running are earlier stages', async () => {
    const details: Record<string, JobDetail> = {
      G: jobDetail({ JobId: 'G', TargetSelection: 'GRAY', GrayPercent: '5.00' }),
      A: jobDetail({ JobId: 'A' })
    }
    const api = fakeApi({
      queryFirmware: async () => firmware('F', 1, 100),
      listJobsByFirmware: async () => [
        { JobId: 'V', JobStatus: 'COMPLETED', JobType: 'VERIFY_FIRMWARE' },
        { JobId: 'G', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE', SelectionType: 'STATIC', UtcCreate: '2026-01-01' },
        { JobId: 'A', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE', SelectionType: 'STATIC', UtcCreate: '2026-01-02' }
      ],
      queryJob: async (id) => details[id]!
    })
    expect(await findRolloutStart('F', scope(), fakeDeps(api))).toEqual({ kind: 'follow', jobId: 'A' })
    const next = await findRolloutStart('F', scope({ selection: 'gray', grayPercent: '20' }), fakeDeps(api))
    expect(next.kind === 'create' && next.earlier.map((j) => j.JobId)).toEqual(['A', 'G'])
  })
})

describe('waitForEarlierStages', () => {
  it('waits until the earlier stage has no device pushed or upgrading, saying so', async () => {
    let polls = 0
    const api = fakeApi({
      queryJob: async () => (polls++, jobDetail({ JobId: 'G' })),
      listTasksByJob: async (_j, page, size, status) => fleetPage(polls < 3 ? { IN_PROGRESS: 2, QUEUED: 3 } : { QUEUED: 3, SUCCEEDED: 2 }, page, size, status)
    })
    const deps = fakeDeps(api)
    await waitForEarlierStages([{ JobId: 'G', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' }], 0, deps)
    expect(polls).toBe(3)
    expect(deps.lines.info[0]).toMatch('Earlier stage(s) of this package still running: G')
  })

  it('gives up after the wait, naming the stage', async () => {
    const api = fakeApi({ queryJob: async () => jobDetail({ JobId: 'G' }), listTasksByJob: async (_j, p, s, st) => fleetPage({ IN_PROGRESS: 1 }, p, s, st) })
    const deps = fakeDeps(api)
    await expect(waitForEarlierStages([{ JobId: 'G', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' }], 0, deps)).rejects.toThrow(
      /G of this package still have devices upgrading after 60 minutes/
    )
  })
})
