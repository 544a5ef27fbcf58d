import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { Fleet, type Behaviour } from '../../emulator/devices/fleet.js'
import { fleetMix } from '../../emulator/devices/fleet-mix.js'
import { addressOf, deviceSecretOf, iotIdOf, registeredAt } from '../../emulator/devices/identity.js'
import { parseChurnArg, parseDeviceArg, parseFleetMixArg } from '../../emulator/devices/spec-args.js'
import { chinaTime, gmt } from '../../emulator/iot/device-time.js'

const countOf = (specs: { behaviour?: Behaviour }[]) => {
  const counts: Record<string, number> = {}
  for (const s of specs) counts[s.behaviour ?? 'succeed'] = (counts[s.behaviour ?? 'succeed'] ?? 0) + 1
  return counts
}

describe('fleetMix', () => {
  it('gives each behaviour its share of 100,000 devices, spread over the whole fleet', () => {
    const specs = fleetMix(100_000, { 'fail-download': 2, rollback: 0.5, 'offline-after-upgrade': 1 }, 3)
    expect(countOf(specs)).toEqual({ succeed: 96_500, 'fail-download': 2000, rollback: 500, 'offline-after-upgrade': 1000 })
    expect(specs[0]?.name).toBe('fleet-000001')
    expect(specs.find((s) => s.behaviour === 'rollback')).toMatchObject({ afterUpgradeMinutes: 3 })
    expect(specs.find((s) => s.behaviour === 'fail-download')?.afterUpgradeMinutes).toBeUndefined()
    // A 1 % canary (the first 1,000 devices) already holds each share.
    expect(countOf(specs.slice(0, 1000))).toEqual({ succeed: 965, 'fail-download': 20, rollback: 5, 'offline-after-upgrade': 10 })
  })

  it('property: every prefix holds each share to within one device, and the same arguments give the same fleet', () => {
    const shares = fc.record({
      reject: fc.integer({ min: 0, max: 30 }),
      stall: fc.integer({ min: 0, max: 30 }),
      'fail-install': fc.integer({ min: 0, max: 30 })
    })
    fc.assert(
      fc.property(shares, fc.integer({ min: 1, max: 400 }), (mix, n) => {
        const specs = fleetMix(400, mix)
        expect(fleetMix(400, mix)).toEqual(specs)
        const counts = countOf(specs.slice(0, n))
        for (const [behaviour, percent] of Object.entries(mix)) expect(Math.abs((counts[behaviour] ?? 0) - (n * percent) / 100)).toBeLessThanOrEqual(1)
      })
    )
  })

  it.each<[Record<string, number>, string]>([
    [{ reject: 60, stall: 50 }, 'more than 100'],
    [{ explode: 5 }, 'not one of'],
    [{ reject: 1.2345 }, 'three decimals'],
    [{ reject: -1 }, 'three decimals']
  ])('refuses %j', (shares, message) => {
    expect(() => fleetMix(10, shares)).toThrow(message)
  })
})

describe('device arguments', () => {
  it.each([
    ['canary-1:rollback+3', { name: 'canary-1', behaviour: 'rollback', afterUpgradeMinutes: 3, onlineAtMinute: undefined }],
    ['canary-2:offline-after-upgrade+2@4', { name: 'canary-2', behaviour: 'offline-after-upgrade', afterUpgradeMinutes: 2, onlineAtMinute: 4 }],
    ['canary-3:reject', { name: 'canary-3', behaviour: 'reject', onlineAtMinute: undefined }]
  ])('--device %s', (arg, expected) => {
    expect(parseDeviceArg(arg)).toEqual(expected)
  })

  it.each(['dev-1:succeed+3', 'dev-1:rollback+x', 'dev-1:rollback@'])('refuses --device %s', (arg) => {
    expect(() => parseDeviceArg(arg)).toThrow()
  })

  it('--fleet-mix and --churn', () => {
    expect(countOf(parseFleetMixArg('1000:fail-install=1.5,reject=2:4'))).toEqual({ succeed: 965, 'fail-install': 15, reject: 20 })
    expect(parseFleetMixArg('10:rollback=10:4').find((s) => s.behaviour === 'rollback')?.afterUpgradeMinutes).toBe(4)
    expect(parseChurnArg('5')).toEqual({ percent: 5, spanMinutes: undefined })
    expect(parseChurnArg('2.5:3')).toEqual({ percent: 2.5, spanMinutes: 3 })
  })

  it.each([
    ['--fleet-mix', '0:reject=1'],
    ['--fleet-mix', '10:reject'],
    ['--fleet-mix', '10:reject=1.2345'],
    ['--fleet-mix', '10:reject=60,stall=60'],
    ['--churn', '95'],
    ['--churn', '5:0'],
    ['--churn', 'some']
  ])('refuses %s %s', (flag, arg) => {
    expect(() => (flag === '--churn' ? parseChurnArg(arg) : parseFleetMixArg(arg))).toThrow(flag)
  })
})

describe('device identity', () => {
  const fleet = new Fleet([{ name: 'dev-0001' }, { name: 'dev-0002', productKey: 'pk' }])
  const [a, b] = fleet.devices('pk')

  it('IotIds are stable and found again; secrets are 32 hex characters, per device and per fleet', () => {
    if (!a || !b) throw new Error('no devices')
    expect(iotIdOf(a)).toMatch(/^[A-Za-z0-9]{20}000100$/)
    expect(iotIdOf(a)).toBe(iotIdOf(new Fleet([{ name: 'dev-0001' }]).devices('pk')[0] ?? a))
    expect(fleet.deviceByIotId(iotIdOf(b))).toBe(b)
    expect(fleet.deviceByIotId('nope')).toBeUndefined()
    const secret = deviceSecretOf(a, fleet.salt)
    expect(secret).toMatch(/^[0-9a-f]{32}$/)
    expect(deviceSecretOf(b, fleet.salt)).not.toBe(secret)
    expect(deviceSecretOf(a, new Fleet([]).salt)).not.toBe(secret)
    expect(addressOf(a)).toMatch(/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/)
  })

  it('property: every IotId is unique and leads back to its device, whatever the products; a forged one to none', () => {
    const productKey = fc.string({ unit: fc.constantFrom(...'a1bZ9k'.split('')), minLength: 4, maxLength: 11 })
    fc.assert(
      fc.property(fc.uniqueArray(productKey, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 300 }), (products, count) => {
        const many = new Fleet(Array.from({ length: count }, (_, i) => ({ name: `dev-${String(i).padStart(4, '0')}` })))
        const devices = products.flatMap((pk) => many.devices(pk))
        const ids = devices.map(iotIdOf)
        expect(new Set(ids).size).toBe(ids.length)
        devices.forEach((d, i) => expect(many.deviceByIotId(ids[i] ?? '')).toBe(d))
        const forged = `${(ids[0] ?? '').slice(0, 9)}x${(ids[0] ?? '').slice(10)}`
        if (forged !== ids[0]) expect(many.deviceByIotId(forged)).toBeUndefined()
      })
    )
  })

  it('devices were registered a second apart, the last just before the start', () => {
    if (!a || !b) throw new Error('no devices')
    expect([registeredAt(a, 2, 10_000), registeredAt(b, 2, 10_000)]).toEqual([8000, 9000])
  })

  it('writes times as the platform does', () => {
    const at = Date.UTC(2019, 1, 20, 2, 16, 9)
    expect(gmt(at)).toBe('Wed, 20-Feb-2019 02:16:09 GMT')
    expect(chinaTime(Date.UTC(2020, 0, 17, 8, 19, 11))).toBe('2020-01-17 16:19:11')
  })
})
