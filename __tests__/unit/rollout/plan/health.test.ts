import { describe, expect, it } from '@jest/globals'
import { fakeApi, fakeDeps, pageOf, task } from '../../../support/jobs-fakes.js'
import { checkHealth, judgeHealth, sampleByHash } from '../../../../src/rollout/plan/health.js'
import { deviceHash } from '../../../../src/rollout/plan/cohorts.js'
import type { PlanContext } from '../../../../src/rollout/plan/context.js'
import type { StageRecord } from '../../../../src/rollout/plan/state.js'

const bad = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `d${i}`, why: 'OFFLINE' }))

describe('judgeHealth', () => {
  it.each([
    ['the same churn in both groups', 10, 10, 5, false],
    ['the upgraded devices far worse', 30, 5, 5, true],
    ['just within the margin', 10, 5, 5, false],
    ['just over it', 11, 5, 5, true],
    ['a healthier cohort', 0, 20, 0, false]
  ])('%s: %d%% against %d%%, margin %d', (_name, cohortBad, controlBad, margin, exceeded) => {
    const verdict = judgeHealth('online', { checked: 100, unhealthy: bad(cohortBad) }, { checked: 100, unhealthy: bad(controlBad) }, margin)
    expect(verdict).toMatchObject({ exceeded, excess: cohortBad - controlBad })
  })

  it('never halts on an empty sample', () => {
    expect(judgeHealth('online', { checked: 0, unhealthy: [] }, { checked: 10, unhealthy: [] }, 0).exceeded).toBe(false)
  })
})

describe('sampleByHash', () => {
  it('draws the same sample whatever the order it reads', () => {
    const names = Array.from({ length: 300 }, (_, i) => `dev-${i}`)
    expect(sampleByHash('p', [...names].reverse(), 20)).toEqual(sampleByHash('p', names, 20))
    expect(sampleByHash('p', names, 500)).toHaveLength(300)
  })
})

describe('checkHealth', () => {
  const fleet = Array.from({ length: 1000 }, (_, i) => `fleet-${String(i).padStart(4, '0')}`)
  const ranked = [...fleet].sort((a, b) => (deviceHash('F', a) < deviceHash('F', b) ? -1 : 1))
  const cohort = ranked.slice(0, 500)
  const edge = deviceHash('F', cohort.at(-1)!)
  const record = { stage: 1, share: 50, gen: 1, jobs: [{ jobId: 'J' }], parts: 1, devices: 500, edge, earlier: [] } as unknown as StageRecord
  const ctx = {
    plan: 'p',
    firmwareId: 'F',
    productKey: 'P',
    settings: { health: { check: 'online,version', sample: 100, maxUnhealthyPercent: 5 } }
  } as unknown as PlanContext

  it('checks a sample of each group in a bounded number of calls, versions of the upgraded devices only', async () => {
    const calls: Record<string, number> = {}
    const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1)
    const api = fakeApi({
      listTasksByJob: async (_j, page, size, status) => (
        count('tasks'),
        pageOf(
          cohort.map((d) => task(d, 'SUCCEEDED')),
          page,
          size,
          status
        )
      ),
      queryDevices: async (_pk, page, size) => (
        count('devices'),
        { Devices: fleet.slice((page - 1) * size, page * size).map((DeviceName) => ({ DeviceName })), NextToken: 'n' }
      ),
      deviceStates: async (_pk, names) => (count('states'), names.map((DeviceName, i) => ({ DeviceName, Status: i % 10 === 0 ? 'OFFLINE' : 'ONLINE' }))),
      moduleVersions: async (_pk, name) => (count('versions'), [{ ModuleName: 'default', ModuleVersion: name.endsWith('7') ? '1.0.0' : '1.2.3' }])
    })
    const verdict = await checkHealth(ctx, record, { name: 'default', version: '1.2.3' }, undefined, fakeDeps(api))
    expect(verdict?.cohort.checked).toBe(100)
    expect(verdict?.control.checked).toBe(100)
    // Never a control device from the cohort.
    expect(verdict?.control.unhealthy.every((d) => !cohort.includes(d.name))).toBe(true)
    expect(calls.states).toBe(4)
    expect(calls.versions).toBeLessThanOrEqual(100)
    // Two pages of the stage's successes; device pages until twice the sample is found untargeted (half of each page here).
    expect(calls.tasks).toBe(2)
    expect(calls.devices).toBeLessThanOrEqual(10)
    expect(verdict?.cohort.unhealthy.some((d) => d.why === 'reports 1.0.0 for module default')).toBe(true)
  })

  it('leaves devices never activated or disabled out of both groups, and does not judge against a control group of fewer than 10', async () => {
    const warnings: string[] = []
    const statusOf = (name: string) => (name.endsWith('3') ? 'UNACTIVE' : name.endsWith('5') ? 'DISABLE' : 'ONLINE')
    const api = (controlSize: number) =>
      fakeApi({
        listTasksByJob: async (_j, page, size, status) =>
          pageOf(
            cohort.map((d) => task(d, 'SUCCEEDED')),
            page,
            size,
            status
          ),
        queryDevices: async (_pk, page, size) => {
          const rows = ranked.slice(500, 500 + controlSize).slice((page - 1) * size, page * size)
          return { Devices: rows.map((DeviceName) => ({ DeviceName, DeviceStatus: statusOf(DeviceName) })), Total: controlSize }
        },
        deviceStates: async (_pk, names) => names.map((DeviceName) => ({ DeviceName, Status: statusOf(DeviceName) }))
      })
    const online = { ...ctx, settings: { health: { check: 'online', sample: 100, maxUnhealthyPercent: 5 } } } as unknown as PlanContext
    const deps = { ...fakeDeps(api(300)), log: { ...fakeDeps(api(300)).log, warning: (line: string) => void warnings.push(line) } }
    const verdict = await checkHealth(online, record, { name: 'default', version: '1.2.3' }, undefined, deps)
    // Inactive ones are neither healthy nor unhealthy: not checked at all.
    expect(verdict?.cohort.unhealthy).toEqual([])
    expect(verdict?.control.unhealthy).toEqual([])
    // A fifth of the names end in 3 or 5: about that many fewer checked in each group, never counted unhealthy.
    expect(verdict?.cohort.checked).toBeLessThan(95)
    expect(verdict?.cohort.checked).toBeGreaterThan(60)
    // The control pool leaves them out as QueryDevice lists them: a full sample of active devices.
    expect(verdict?.control.checked).toBe(100)
    const small = { ...fakeDeps(api(9)), log: { ...fakeDeps(api(9)).log, warning: (line: string) => void warnings.push(line) } }
    expect(await checkHealth(online, record, { name: 'default', version: '1.2.3' }, undefined, small)).toBeUndefined()
    expect(warnings.at(-1)).toMatch(/Health of stage 1 not judged: \d+ device\(s\) in the control group .*fewer than 10/)
  })
})
