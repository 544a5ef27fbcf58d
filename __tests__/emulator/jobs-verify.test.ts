import { describe, expect, it } from '@jest/globals'
import { jobsBench, MINUTE, names, PK, T0, unverifiable } from '../support/jobs-bench.js'

const devices = [
  { name: 'good-1' },
  { name: 'good-2' },
  { name: 'bad-dl', behaviour: 'fail-download' as const },
  { name: 'away-1', behaviour: 'offline' as const },
  { name: 'stuck-1', behaviour: 'stall' as const }
]
const base = { FirmwareId: 'fw-1', ProductKey: PK }

describe('CreateOTAVerifyJob and the package status', () => {
  it('goes 0 → 2 → 1 as every device succeeds, VerifyProgress counting finished devices', () => {
    const bench = jobsBench(devices)
    expect(bench.verification()).toEqual({ Status: 0, VerifyProgress: 0 })
    const { Data } = bench.ok('CreateOTAVerifyJob', { ...base, ...names(['good-1', 'good-2']), TimeoutInMinutes: '30' })
    expect(Data.JobId).toHaveLength(26)
    const at = (minute: number) => {
      bench.at(minute)
      return bench.verification()
    }
    expect(at(0)).toEqual({ Status: 2, VerifyProgress: 0 })
    expect(bench.tasks(Data.JobId).map((t) => [t.DeviceName, t.TaskStatus, t.Progress, t.Timeout])).toEqual([
      ['good-1', 'NOTIFIED', '0.00', '30'],
      ['good-2', 'NOTIFIED', '0.00', '30']
    ])
    bench.at(2)
    expect(bench.tasks(Data.JobId).map((t) => t.Progress)).toEqual(['40.00', '40.00'])
    expect(at(6)).toEqual({ Status: 1, VerifyProgress: 100 })
    const job = bench.ok('QueryOTAJob', { JobId: Data.JobId }).Data
    expect(job).toMatchObject({
      JobStatus: 'COMPLETED',
      JobType: 'VERIFY_FIRMWARE',
      SelectionType: 'STATIC',
      TargetSelection: 'SPECIFIC',
      TimeoutInMinutes: 30
    })
    expect(job.UtcEndTime).toBe(new Date(T0 + 6 * MINUTE).toISOString())
    expect(bench.refused('CreateOTAVerifyJob', { ...base, ...names(['good-1']) })).toBe('iot.system.IllegalRequest')
  })

  it('fails (3) once every device has finished and one failed, and may be verified again', () => {
    const bench = jobsBench(devices)
    const { Data } = bench.ok('CreateOTAVerifyJob', { ...base, ...names(['good-1', 'bad-dl']) })
    bench.at(2)
    expect(bench.tasks(Data.JobId).find((t) => t.DeviceName === 'bad-dl')).toMatchObject({ TaskStatus: 'FAILED', TaskDesc: expect.stringContaining('step -2') })
    expect(bench.verification()).toEqual({ Status: 2, VerifyProgress: 50 })
    bench.at(6)
    expect(bench.verification()).toEqual({ Status: 3, VerifyProgress: 100 })
    expect(bench.ok('CreateOTAVerifyJob', { ...base, ...names(['good-2']) }).Data.JobId).not.toBe(Data.JobId)
  })

  it('an offline device stays QUEUED for ever; a stalled one fails by the timeout from its first report', () => {
    const bench = jobsBench(devices)
    const { Data } = bench.ok('CreateOTAVerifyJob', { ...base, ...names(['away-1', 'stuck-1']), TimeoutInMinutes: '5' })
    bench.at(5)
    expect(bench.tasks(Data.JobId).map((t) => t.TaskStatus)).toEqual(['QUEUED', 'IN_PROGRESS'])
    bench.at(6)
    expect(bench.tasks(Data.JobId).map((t) => [t.TaskStatus, t.Progress])).toEqual([
      ['QUEUED', '0.00'],
      ['FAILED', '40.00']
    ])
    bench.at(100_000)
    expect(bench.tasks(Data.JobId)[0]?.TaskStatus).toBe('QUEUED')
    expect(bench.ok('QueryOTAJob', { JobId: Data.JobId }).Data.JobStatus).toBe('IN_PROGRESS')
  })

  it('a package created with NeedToVerify=false reads -1 and is not verified', () => {
    const bench = jobsBench(devices, [unverifiable()])
    expect(bench.verification(unverifiable())).toEqual({ Status: -1, VerifyProgress: 0 })
    expect(bench.refused('CreateOTAVerifyJob', { ...base, ...names(['good-1']) })).toBe('iot.system.IllegalRequest')
  })

  const eleven = Array.from({ length: 11 }, (_, i) => `dev-${i}`)
  it.each<[string, Record<string, string>, string]>([
    ['no FirmwareId', { ProductKey: PK, ...names(['good-1']) }, 'MissingFirmwareId'],
    ['no ProductKey', { FirmwareId: 'fw-1', ...names(['good-1']) }, 'MissingProductKey'],
    ['no device', base, 'MissingTargetDeviceName'],
    ['11 devices', { ...base, ...names(eleven) }, 'iot.ota.TooManyOtaTask'],
    ['a device twice', { ...base, ...names(['good-1', 'good-1']) }, 'iot.system.IllegalRequest'],
    ['an unknown device', { ...base, ...names(['nobody-1']) }, 'iot.ota.DeviceNotExist'],
    ['a gap in the list', { ...base, 'TargetDeviceName.2': 'good-1' }, 'iot.check.InvalidFormattedParameter'],
    ['TimeoutInMinutes 0', { ...base, ...names(['good-1']), TimeoutInMinutes: '0' }, 'iot.ota.InvalidTimeout'],
    ['TimeoutInMinutes 1441', { ...base, ...names(['good-1']), TimeoutInMinutes: '1441' }, 'iot.ota.InvalidTimeout'],
    ['DownloadProtocol FTP', { ...base, ...names(['good-1']), DownloadProtocol: 'FTP' }, 'iot.check.InvalidFormattedParameter'],
    ['NeedPush yes', { ...base, ...names(['good-1']), NeedPush: 'yes' }, 'iot.check.InvalidFormattedParameter'],
    ['an unknown package', { ...base, FirmwareId: 'fw-x', ...names(['good-1']) }, 'iot.ota.FirmwareNotFound'],
    ['another product', { ...base, ProductKey: 'a1Other', ...names(['good-1']) }, 'iot.ota.FirmwareAndProductKeyMismatch'],
    ['a tag without value', { ...base, ...names(['good-1']), 'Tag.1.Key': 'team' }, 'iot.system.IllegalRequest'],
    ['a tag key with a dash', { ...base, ...names(['good-1']), 'Tag.1.Key': 'my-team', 'Tag.1.Value': 'x' }, 'iot.check.InvalidFormattedParameter']
  ])('refuses %s', (_label, params, code) => {
    expect(jobsBench(devices).refused('CreateOTAVerifyJob', params)).toBe(code)
  })

  it('ten devices are the documented most', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ name: `dev-${i}` }))
    expect(jobsBench(ten).ok('CreateOTAVerifyJob', { ...base, ...names(ten.map((d) => d.name)) }).Data.JobId).toBeDefined()
  })
})
