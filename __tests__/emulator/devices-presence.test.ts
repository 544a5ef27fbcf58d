import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { checkChurn, churnedOffline } from '../../emulator/devices/churn.js'
import { Fleet, type DeviceSpec } from '../../emulator/devices/fleet.js'
import { Presence } from '../../emulator/devices/presence.js'

const M = 1000
const CLOCK = { origin: 0, minuteMs: M }

function device(spec: Partial<DeviceSpec> = {}) {
  const found = new Fleet([{ name: 'dev-0001', ...spec }]).device('pk', 'dev-0001')
  if (!found) throw new Error('no device')
  return found
}

describe('presence without churn', () => {
  const presence = new Presence(CLOCK)

  it.each<[string, Partial<DeviceSpec>, number, number | undefined, Record<string, unknown>]>([
    ['online from the start', {}, 5 * M, undefined, { status: 'ONLINE', changedAt: 0, lastOnlineAt: 0 }],
    ['not yet activated', { onlineAtMinute: 5 }, 5 * M - 1, undefined, { status: 'UNACTIVE', changedAt: 0 }],
    ['activated at minute 5', { onlineAtMinute: 5 }, 9 * M, undefined, { status: 'ONLINE', changedAt: 5 * M, lastOnlineAt: 5 * M }],
    ['offline for ever', { behaviour: 'offline' }, 99 * M, undefined, { status: 'UNACTIVE', changedAt: 0 }],
    ['disabled', { disabled: true }, 99 * M, undefined, { status: 'DISABLE', changedAt: 0 }],
    ['offline-after-upgrade, before its upgrade', { behaviour: 'offline-after-upgrade' }, 50 * M, undefined, { status: 'ONLINE' }],
    [
      'offline-after-upgrade, within N minutes of it',
      { behaviour: 'offline-after-upgrade', afterUpgradeMinutes: 2 },
      11 * M,
      10 * M,
      { status: 'ONLINE', changedAt: 0 }
    ],
    [
      'offline-after-upgrade, N minutes after it',
      { behaviour: 'offline-after-upgrade', afterUpgradeMinutes: 2 },
      12 * M,
      10 * M,
      { status: 'OFFLINE', changedAt: 12 * M, lastOnlineAt: 0 }
    ],
    ['rollback stays online', { behaviour: 'rollback' }, 50 * M, 10 * M, { status: 'ONLINE' }]
  ])('%s', (_label, spec, now, upgradedAt, expected) => {
    const found = presence.presenceAt(device(spec), now, upgradedAt)
    expect(found).toMatchObject(expected)
    if (expected.lastOnlineAt === undefined && expected.status !== 'ONLINE' && expected.status !== 'OFFLINE') expect(found.lastOnlineAt).toBeUndefined()
  })

  it.each<[string, Partial<DeviceSpec>, number, number | undefined, number]>([
    ['online: at once', {}, 3 * M, undefined, 3 * M],
    ['late: at its activation', { onlineAtMinute: 5 }, M, undefined, 5 * M],
    ['never', { behaviour: 'offline' }, M, undefined, Infinity],
    ['disabled: never', { disabled: true }, M, undefined, Infinity],
    ['gone after its upgrade: never', { behaviour: 'offline-after-upgrade' }, 12 * M, 10 * M, Infinity],
    ['not gone yet', { behaviour: 'offline-after-upgrade' }, 10.5 * M, 10 * M, 10.5 * M]
  ])('the next push: %s', (_label, spec, from, upgradedAt, expected) => {
    expect(presence.nextOnline(device(spec), from, upgradedAt)).toBe(expected)
  })
})

describe('churn', () => {
  const fleet = new Fleet(Array.from({ length: 10_000 }, (_, i) => ({ name: `dev-${String(i).padStart(5, '0')}` })))
  const devices = fleet.devices('pk')

  it.each([1, 5, 20, 50])('about %i %% of the fleet is offline in any minute', (percent) => {
    const presence = new Presence(CLOCK, checkChurn({ percent }))
    for (const minute of [0, 7, 1000]) {
      const offline = devices.filter((d) => !presence.isOnline(d, minute * M + 10)).length
      expect(Math.abs(offline / devices.length - percent / 100)).toBeLessThan(0.015)
    }
  })

  it('is the same on every run, per device and span, and spans last spanMinutes', () => {
    const a = new Presence(CLOCK, checkChurn({ percent: 30, spanMinutes: 3 }))
    const b = new Presence(CLOCK, checkChurn({ percent: 30, spanMinutes: 3 }))
    for (const d of devices.slice(0, 200)) {
      for (const minute of [0, 1, 2, 3, 10]) expect(a.isOnline(d, minute * M)).toBe(b.isOnline(d, minute * M))
      expect([a.isOnline(d, 3 * M), a.isOnline(d, 4 * M), a.isOnline(d, 5 * M + 999)]).toEqual(Array(3).fill(a.isOnline(d, 3 * M)))
    }
    expect(churnedOffline(12345, 7, 30)).toBe(churnedOffline(12345, 7, 30))
  })

  it.each([
    [{ percent: 91 }, 'percent'],
    [{ percent: -1 }, 'percent'],
    [{ percent: 5, spanMinutes: 0 }, 'spanMinutes'],
    [{ percent: 5, spanMinutes: 1.5 }, 'spanMinutes']
  ])('refuses %j', (options, message) => {
    expect(() => checkChurn(options)).toThrow(message)
  })

  it('properties: the next push is online, everything before it offline; the status agrees with isOnline and looks back', () => {
    const presence = new Presence(CLOCK, checkChurn({ percent: 40, spanMinutes: 2 }))
    const specs = Array.from({ length: 50 }, (_, i) => ({
      name: `late-${String(i).padStart(3, '0')}`,
      onlineAtMinute: i % 7,
      ...(i % 3 === 0 && { behaviour: 'offline-after-upgrade' as const, afterUpgradeMinutes: i % 4 })
    }))
    const lateDevices = new Fleet(specs).devices('pk')
    const upgraded = fc.option(fc.integer({ min: 7 * M, max: 300 * M }), { nil: undefined })
    fc.assert(
      fc.property(fc.constantFrom(...lateDevices), fc.integer({ min: 0, max: 500 * M }), upgraded, (d, from, upgradedAt) => {
        const online = (t: number) => presence.isOnline(d, t, upgradedAt)
        const next = presence.nextOnline(d, from, upgradedAt)
        expect(next).toBeGreaterThanOrEqual(from)
        if (next < Infinity) expect(online(next)).toBe(true)
        for (let t = from; t < Math.min(next, from + 20 * M); t += M / 2) expect(online(t)).toBe(false)
        const now = presence.presenceAt(d, from, upgradedAt)
        expect(now.status === 'ONLINE').toBe(online(from))
        expect(now.changedAt).toBeLessThanOrEqual(from)
        if (now.lastOnlineAt !== undefined) {
          expect(now.lastOnlineAt).toBeLessThanOrEqual(from)
          expect(online(now.lastOnlineAt)).toBe(true)
        }
        // Nothing changed between changedAt and now.
        for (let t = now.changedAt; t <= from; t += M / 2) if (now.status !== 'UNACTIVE') expect(online(t)).toBe(now.status === 'ONLINE')
      })
    )
  })
})
