import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, type EmulatorAccount, type SeedFirmware } from '../../emulator/index.js'
import { expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, PRUNE_ENTRY, runAction, type RunResult } from '../support/local-runner.js'
import { rawRpc } from '../support/rpc-call.js'

/** One OTA minute of the emulator, and of the action (its calls stay 250 ms apart, the emulator's real-time floor). */
const MINUTE_MS = 10
const PK = { fleet: 'a1pruneProd', race: 'a1raceProd0', other: 'a1otherProd' }
const STS_ACCOUNT: EmulatorAccount = {
  accessKeyId: 'STS.NUemulatorPruneKey',
  accessKeySecret: 'sts-prune-secret-never-shown',
  securityToken: 'CAIS-prune-token'
}

const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString()
const pkg = (name: string, module: string, version: string, days: number, productKey = PK.fleet): SeedFirmware => ({
  FirmwareName: name,
  DestVersion: version,
  ProductKey: productKey,
  ...(module !== 'default' && { ModuleName: module }),
  UtcCreate: daysAgo(days),
  // Batch jobs need a package verified or without verification.
  NeedToVerify: false
})

/**
 * Product a1pruneProd, newest first per module. wifi: w7 a prerelease 2 days old, w6, w5 a
 * prerelease, w4, w3 rolled out (its job completed), w2 in use (its job waits for an offline
 * device), w1. ble: b4, b3, b2 (to protect), b1. default: d2, d1. Two packages of another product.
 */
const SEEDS: SeedFirmware[] = [
  pkg('w7', 'wifi', '1.4.0-rc.1', 2),
  pkg('w6', 'wifi', '1.3.0', 40),
  pkg('w5', 'wifi', '1.3.0-rc.2', 45),
  pkg('w4', 'wifi', '1.2.0', 50),
  pkg('w3', 'wifi', '1.1.0', 60),
  pkg('w2', 'wifi', '1.0.1', 70),
  pkg('w1', 'wifi', '1.0.0', 80),
  pkg('b4', 'ble', '2.1.0', 35),
  pkg('b3', 'ble', '2.0.0', 90),
  pkg('b2', 'ble', '1.9.0', 100),
  pkg('b1', 'ble', '1.8.0', 110),
  pkg('d2', 'default', '1.0.0', 10),
  pkg('d1', 'default', '0.9.0', 200),
  ...Array.from({ length: 8 }, (_, i) => pkg(`r${i + 1}`, 'default', `1.0.${i + 1}`, 100 - i, PK.race)),
  pkg('o1', 'default', '3.0.0', 5, PK.other),
  pkg('o2', 'default', '3.0.1', 4, PK.other)
]

const emulator = useEmulator({
  minuteMs: MINUTE_MS,
  modules: { [PK.fleet]: ['wifi', 'ble'] },
  devices: [{ name: 'dev-ok-01' }, { name: 'dev-off-01', behaviour: 'offline' }],
  seedFirmwares: SEEDS,
  accounts: [DEFAULT_ACCOUNT, STS_ACCOUNT]
})

/** FirmwareIds by FirmwareName: the emulator hands out new ones each time it seeds (read before anything is deleted). */
const ids = (): Record<string, string> =>
  Object.fromEntries(
    emulator()
      .state.firmwares()
      .map((f) => [f.FirmwareName, f.FirmwareId])
  )
/** The FirmwareNames of a run's `deleted-ids`. */
function deletedNames(run: RunResult, byName: Record<string, string>): string[] {
  const byId = Object.fromEntries(Object.entries(byName).map(([name, id]) => [id, name]))
  return (JSON.parse(run.outputs['deleted-ids'] ?? '[]') as string[]).map((id) => byId[id] ?? id)
}
const left = (productKey: string): string[] =>
  emulator()
    .state.firmwares()
    .filter((f) => f.ProductKey === productKey)
    .map((f) => f.FirmwareName)
    .sort()
const deletes = () =>
  emulator()
    .state.requests()
    .filter((r) => r.action === 'DeleteOTAFirmware')

/** A static job on one device: `dev-ok-01` completes it, `dev-off-01` never comes online (the job stays IN_PROGRESS). */
async function rollOut(firmwareId: string, device: string): Promise<string> {
  const params = { FirmwareId: firmwareId, ProductKey: PK.fleet, TargetSelection: 'SPECIFIC', 'TargetDeviceName.1': device }
  const created = await rawRpc(emulator(), 'CreateOTAStaticUpgradeJob', params)
  const jobId = String((created.json.Data as { JobId?: string } | undefined)?.JobId)
  const want = device === 'dev-ok-01' ? 'COMPLETED' : 'IN_PROGRESS'
  for (let i = 0; i < 100; i++) {
    const job = await rawRpc(emulator(), 'QueryOTAJob', { JobId: jobId })
    if ((job.json.Data as { JobStatus?: string }).JobStatus === want) return jobId
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`job ${jobId} never became ${want}`)
}

function prune(inputs: Record<string, string>, env: Record<string, string> = {}, account: EmulatorAccount = DEFAULT_ACCOUNT): Promise<RunResult> {
  return makeWorkspace({}).then((workspace) =>
    runAction({
      entry: PRUNE_ENTRY,
      inputs: { 'access-key-id': account.accessKeyId, 'access-key-secret': account.accessKeySecret, endpoint: emulator().url, ...inputs },
      workspace,
      env: { OTA_EMULATOR_MINUTE_MS: String(MINUTE_MS), ...env },
      timeoutMs: 60_000
    })
  )
}

describe('the prune action against the emulator', () => {
  it('keeps keep-last and keep-days per module, in-use, rollback-target and protected packages; dry runs plan what a run then deletes', async () => {
    const fleet = ids()
    await rollOut(fleet.w3!, 'dev-ok-01')
    const inUse = await rollOut(fleet.w2!, 'dev-off-01')
    const policy = { 'product-key': PK.fleet, 'keep-last': '2', 'keep-days': '30', protect: `${fleet.b2}` }

    // keep-last counts prereleases like the rest: the release w4 goes, the prerelease w5 too; oldest first.
    const plain = await prune({ ...policy, 'dry-run': 'true' })
    expect(plain.code).toBe(0)
    expect(plain.outputs).toMatchObject({ result: 'dry-run', deleted: '4', kept: '9', 'account-packages': String(SEEDS.length) })
    expect(deletedNames(plain, fleet)).toEqual(['b1', 'w1', 'w4', 'w5'])

    // prune-first: prereleases before any release, releases first in the keep-last places; at most 2.
    const firstTwo = { ...policy, prereleases: 'prune-first', 'max-deletions': '2' }
    const planned = await prune({ ...firstTwo, 'dry-run': 'true' })
    expect(deletedNames(planned, fleet)).toEqual(['w5', 'b1'])
    expect(planned.summary).toContain('### OTA prune of product a1pruneProd: dry run, 2 would be deleted')
    expect(planned.summary).toContain("3 package(s) the policy deletes are left for the next run ('max-deletions': 2).")
    expect(deletes()).toEqual([])

    const done = await prune(firstTwo)
    expect(done.code).toBe(0)
    expect(done.outputs).toMatchObject({ result: 'pruned', deleted: '2', 'deleted-ids': planned.outputs['deleted-ids'] })
    // The same summary but for the heading and the count after the deletes.
    const same = (summary: string) => summary.split('\n').slice(1, -2).join('\n').replaceAll('Would delete', 'Deleted')
    expect(same(done.summary)).toBe(same(planned.summary))
    expect(left(PK.fleet)).not.toContain('w5')

    // The rest, with RUNNER_DEBUG and an STS key: w1 goes; w2 (in use), w3 (rollback target) and b2 (protected) stay.
    const rest = await prune({ ...policy, prereleases: 'prune-first', 'security-token': STS_ACCOUNT.securityToken! }, { RUNNER_DEBUG: '1' }, STS_ACCOUNT)
    expect(rest.stderr).toBe('')
    expect(rest.code).toBe(0)
    expect(deletedNames(rest, fleet)).toEqual(['w1'])
    expect(left(PK.fleet)).toEqual(['b2', 'b3', 'b4', 'd1', 'd2', 'w2', 'w3', 'w4', 'w6', 'w7'])
    expect(rest.outputs).toMatchObject({ deleted: '1', kept: '10', 'account-packages': String(SEEDS.length - 3) })
    expect(rest.summary).toContain('| wifi | 1 | 5 | 2 newest, 1 recent, 1 rollback target, 1 in use by a job |')
    expect(rest.summary).toContain('| ble | 0 | 3 | 2 newest, 1 protected |')
    expect(rest.summary).toContain('| default | 0 | 2 | 2 newest |')
    expect(rest.summary).toContain(`| \`${fleet.w2}\` 1.0.1 | wifi | job \`${inUse}\` IN_PROGRESS |`)
    expect(rest.summary).toContain(`| \`${fleet.w3}\` 1.1.0 | wifi | rollback target (rolled out) |`)
    expect(rest.summary).toContain(`| \`${fleet.b2}\` 1.9.0 | ble | protected |`)
    expect(rest.summary).toContain(`The account holds **${SEEDS.length - 3}** of its 500 OTA packages`)
    expect(rest.stdout).toContain(
      `::notice title=OTA prune::Deleted 1 package(s) of product ${PK.fleet}, kept 10; the account holds ${SEEDS.length - 3} of 500.`
    )
    expect(JSON.parse(rest.outputs.json ?? '{}')).toMatchObject({
      deleted: '1',
      keptPackages: expect.arrayContaining([expect.objectContaining({ firmwareId: fleet.w3, why: ['rollback-target'] })])
    })
    expectNoSecretsShown(rest, [STS_ACCOUNT.accessKeySecret, STS_ACCOUNT.securityToken!])
    // Every delete the platform saw succeeded: none was refused for a job, none sent twice.
    expect(deletes().map((r) => [r.status, r.code])).toEqual([
      [200, undefined],
      [200, undefined],
      [200, undefined]
    ])
  })

  it('two runs at once, one losing a delete answer, delete exactly what the policy allows between them', async () => {
    emulator().faults.add({ kind: 'lost-answer', action: 'DeleteOTAFirmware', count: 1 })
    const inputs = { 'product-key': PK.race, 'keep-last': '3' }
    const [a, b] = await Promise.all([prune(inputs), prune(inputs)])
    expect([a.code, b.code, a.stderr + b.stderr]).toEqual([0, 0, ''])
    // The three newest stay; each of the five others was deleted once.
    expect(left(PK.race)).toEqual(['r6', 'r7', 'r8'])
    const both = [...JSON.parse(a.outputs['deleted-ids'] ?? '[]'), ...JSON.parse(b.outputs['deleted-ids'] ?? '[]')] as string[]
    expect(new Set(both).size).toBe(5)
    // The deletes that took effect (answered, or acted on with the answer lost); two runs at once are throttled now and then, and retry.
    const sent = deletes()
    const done = sent.filter((r) => r.code === undefined && (r.status === 200 || r.status === 0))
    expect(done).toHaveLength(5)
    expect(sent.filter((r) => !done.includes(r) && r.code !== 'Throttling.User' && r.code !== 'iot.ota.FirmwareNotFound')).toEqual([])
    expect(a.stdout + b.stdout).toContain('DeleteOTAFirmware had taken effect before its answer was lost (the package is gone); not sending it again.')
    expect(left(PK.fleet)).toHaveLength(13)
  })

  it('refuses a bad input before any request, naming it', async () => {
    const run = await prune({ 'product-key': PK.fleet, 'keep-last': '0' })
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([
      `::error title=OTA prune failed (input keep-last)::Input 'keep-last' is "0": must be a whole number from 1 to 10000.`
    ])
    expect(run.outputs).toMatchObject({ result: 'failed', deleted: '0', 'deleted-ids': '[]' })
    expect(run.summary).toContain('Nothing was deleted.')
    expect(emulator().state.requests()).toEqual([])
  })
})
