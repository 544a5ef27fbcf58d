import { describe, expect, it } from '@jest/globals'
import { fleetMix } from '../../emulator/devices/fleet-mix.js'
import { jobsBench, names, PK, unverifiable } from '../support/jobs-bench.js'

const fw = { FirmwareId: 'fw-1', ProductKey: PK }
const specific = (list: string[], params: Record<string, string> = {}) => ({ ...fw, TargetSelection: 'SPECIFIC', ...names(list), ...params })

describe('after a successful upgrade', () => {
  it('an offline-after-upgrade device goes offline N minutes after SUCCEEDED and takes no push any more', () => {
    const bench = jobsBench(
      [{ name: 'canary-1', behaviour: 'offline-after-upgrade', afterUpgradeMinutes: 3 }, { name: 'steady-1' }],
      [unverifiable(), unverifiable({ FirmwareId: 'fw-2', DestVersion: '3.0.0' })]
    )
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', specific(['canary-1', 'steady-1'])).Data
    bench.at(6)
    expect(bench.tasks(JobId).map((t) => t.TaskStatus)).toEqual(['SUCCEEDED', 'SUCCEEDED'])
    expect(bench.presence('canary-1').status).toBe('ONLINE')
    bench.at(8)
    expect(bench.presence('canary-1').status).toBe('ONLINE')
    bench.at(9)
    expect(bench.presence('canary-1')).toEqual({ status: 'OFFLINE', changedAt: bench.model.clock.minute(9), lastOnlineAt: bench.model.clock.minute(0) })
    expect(bench.presence('steady-1').status).toBe('ONLINE')
    // The task stays SUCCEEDED; the next job's push never reaches the device.
    const next = bench.ok('CreateOTAStaticUpgradeJob', { ...specific(['canary-1', 'steady-1']), FirmwareId: 'fw-2' }).Data.JobId
    bench.at(60)
    expect(bench.tasks(JobId).map((t) => t.TaskStatus)).toEqual(['SUCCEEDED', 'SUCCEEDED'])
    expect(bench.tasks(next).map((t) => [t.DeviceName, t.TaskStatus])).toEqual([
      ['canary-1', 'QUEUED'],
      ['steady-1', 'SUCCEEDED']
    ])
  })

  it('a rollback device reports its old version again N minutes after SUCCEEDED; the task stays SUCCEEDED and a new job takes it again', () => {
    const bench = jobsBench([{ name: 'canary-1', behaviour: 'rollback', afterUpgradeMinutes: 2 }, { name: 'steady-1' }], [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', specific(['canary-1', 'steady-1'])).Data
    bench.at(7)
    expect([bench.version('canary-1'), bench.version('steady-1')]).toEqual(['2.0.0', '2.0.0'])
    bench.at(8)
    expect([bench.version('canary-1'), bench.version('steady-1')]).toEqual(['1.0.0', '2.0.0'])
    expect(bench.tasks(JobId).map((t) => t.TaskStatus)).toEqual(['SUCCEEDED', 'SUCCEEDED'])
    expect(bench.presence('canary-1').status).toBe('ONLINE')
    const again = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL' }).Data.JobId
    expect(bench.tasks(again).map((t) => [t.DeviceName, t.SrcVersion])).toEqual([['canary-1', '1.0.0']])
  })

  it('a disabled device is DISABLE and its task waits QUEUED', () => {
    const bench = jobsBench([{ name: 'off-1', disabled: true }], [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', specific(['off-1'])).Data
    bench.at(100)
    expect(bench.presence('off-1').status).toBe('DISABLE')
    expect(bench.tasks(JobId)[0]?.TaskStatus).toBe('QUEUED')
  })
})

describe('background churn', () => {
  const churned = () => {
    const bench = jobsBench(fleetMix(1000, { 'offline-after-upgrade': 10 }, 2), [unverifiable()], { percent: 20, spanMinutes: 2 })
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL' }).Data
    return { bench, JobId }
  }

  it('delays the pushes of the devices it has offline; they upgrade once back', () => {
    const { bench, JobId } = churned()
    const queued = bench.count(JobId, 'QUEUED')
    expect(queued).toBeGreaterThan(150)
    expect(queued).toBeLessThan(250)
    bench.at(60)
    expect(bench.count(JobId, 'SUCCEEDED')).toBe(1000)
  })

  it('takes upgraded and not-upgraded devices offline alike', () => {
    const bench = jobsBench(fleetMix(1000, { 'offline-after-upgrade': 10 }, 2), [unverifiable()], { percent: 20, spanMinutes: 2 })
    const steady = bench.model.fleet.devices(PK).filter((d) => d.behaviour === 'succeed')
    const upgraded = steady.slice(0, 200).map((d) => d.name)
    const others = steady.slice(200).map((d) => d.name)
    const gone = bench.model.fleet.devices(PK).filter((d) => d.behaviour === 'offline-after-upgrade')
    bench.ok('CreateOTAStaticUpgradeJob', specific(upgraded))
    bench.ok('CreateOTAStaticUpgradeJob', specific(gone.map((d) => d.name)))
    bench.at(61)
    expect(upgraded.every((n) => bench.version(n) === '2.0.0')).toBe(true)
    const offline = (list: string[]) => list.filter((n) => bench.presence(n).status === 'OFFLINE').length / list.length
    expect(Math.abs(offline(upgraded) - 0.2)).toBeLessThan(0.07)
    expect(Math.abs(offline(others) - 0.2)).toBeLessThan(0.05)
    // The devices that go offline after their upgrade are all offline by now.
    expect(gone.every((d) => bench.presence(d.name).status === 'OFFLINE')).toBe(true)
  })
})
