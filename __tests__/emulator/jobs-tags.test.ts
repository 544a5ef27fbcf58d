import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { JobError } from '../../emulator/jobs/errors.js'
import { checkTags, TAG_LIMITS, type Tag } from '../../emulator/jobs/tags.js'
import { jobsBench, names, PK, unverifiable } from '../support/jobs-bench.js'

const fw = { FirmwareId: 'fw-1', ProductKey: PK }
const tagParams = (tags: [string, string][]) =>
  Object.fromEntries(
    tags.flatMap(([k, v], i) => [
      [`Tag.${i + 1}.Key`, k],
      [`Tag.${i + 1}.Value`, v]
    ])
  )
const codeOf = (tags: Tag[]) => {
  try {
    checkTags(tags)
    return 'accepted'
  } catch (error) {
    return (error as JobError).code
  }
}

describe('job tag rules', () => {
  it.each<[string, [string, string][], string]>([
    ['a key with dots and digits', [['gh.run.42', 'x']], 'accepted'],
    ['ten tags', Array.from({ length: 10 }, (_, i): [string, string] => [`k${i}`, 'v']), 'accepted'],
    ['a 30-character key and a 1024-character value', [['k'.repeat(30), 'v'.repeat(1024)]], 'accepted'],
    ['11 tags', Array.from({ length: 11 }, (_, i): [string, string] => [`k${i}`, 'v']), 'iot.system.IllegalRequest'],
    ['a key with an underscore', [['git_sha', 'x']], 'iot.check.InvalidFormattedParameter'],
    ['a key with a dash', [['my-team', 'x']], 'iot.check.InvalidFormattedParameter'],
    ['a key with a colon', [['a:b', 'x']], 'iot.check.InvalidFormattedParameter'],
    ['an empty key', [['', 'x']], 'iot.check.InvalidFormattedParameter'],
    ['an empty value', [['k', '']], 'iot.check.InvalidFormattedParameter'],
    ['a 31-character key', [['k'.repeat(31), 'x']], 'iot.ota.JobTagIsTooLong'],
    ['a 1025-character value', [['k', 'v'.repeat(1025)]], 'iot.ota.JobTagIsTooLong'],
    [
      '4097 characters in all',
      [...Array.from({ length: 4 }, (_, i): [string, string] => [`k${i}`, 'v'.repeat(1022)]), ['kk', 'v'.repeat(1)]],
      'iot.ota.JobTagIsTooLong'
    ],
    [
      'a key twice',
      [
        ['team', 'a'],
        ['team', 'b']
      ],
      'iot.system.IllegalRequest'
    ]
  ])('%s: %s', (_label, tags, code) => {
    expect(codeOf(tags.map(([Key, Value]) => ({ Key, Value })))).toBe(code)
  })

  it('property: accepted exactly when every documented rule holds', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'Z', '7', '.', '_', '-'), minLength: 0, maxLength: 34 })
    const value = fc.string({ minLength: 0, maxLength: 1100 })
    fc.assert(
      fc.property(fc.array(fc.record({ Key: key, Value: value }), { maxLength: 12 }), (tags) => {
        const valid =
          tags.length <= TAG_LIMITS.count &&
          tags.every((t) => /^[A-Za-z0-9.]{1,30}$/.test(t.Key) && t.Value.length >= 1 && t.Value.length <= 1024) &&
          new Set(tags.map((t) => t.Key)).size === tags.length &&
          tags.reduce((n, t) => n + t.Key.length + t.Value.length, 0) <= 4096
        expect(codeOf(tags) === 'accepted').toBe(valid)
      })
    )
  })
})

describe('job tags on the wire', () => {
  const tags: [string, string][] = [
    ['gh.run', '42'],
    ['stage', 'canary']
  ]

  it('every create takes them, and QueryOTAJob and ListOTAJobByFirmware return them as Tags.OtaTagDTO', () => {
    const bench = jobsBench([{ name: 'dev-0001' }, { name: 'dev-0002' }], [unverifiable(), unverifiable({ FirmwareId: 'fw-2' })])
    const verifying = jobsBench([{ name: 'dev-0001' }])
    const verify = verifying.ok('CreateOTAVerifyJob', { ...fw, ...names(['dev-0001']), ...tagParams(tags) }).Data.JobId
    const fixed = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'SPECIFIC', ...names(['dev-0001']), ...tagParams(tags) }).Data.JobId
    const dynamic = bench.ok('CreateOTADynamicUpgradeJob', { ...fw, FirmwareId: 'fw-2', 'SrcVersion.1': '1.0.0', ...tagParams([['stage', 'all']]) }).Data.JobId
    const dto = [
      { Key: 'gh.run', Value: '42' },
      { Key: 'stage', Value: 'canary' }
    ]
    expect(verifying.ok('QueryOTAJob', { JobId: verify }).Data.Tags).toEqual({ OtaTagDTO: dto })
    expect(bench.ok('QueryOTAJob', { JobId: fixed }).Data.Tags).toEqual({ OtaTagDTO: dto })
    expect(bench.ok('QueryOTAJob', { JobId: dynamic }).Data.Tags).toEqual({ OtaTagDTO: [{ Key: 'stage', Value: 'all' }] })
    const listed = bench.ok('ListOTAJobByFirmware', { FirmwareId: 'fw-1', CurrentPage: '1', PageSize: '10' }).Data.SimpleOTAJobInfo
    expect(listed.map((j: { Tags: unknown }) => j.Tags)).toEqual([{ OtaTagDTO: dto }])
  })

  it.each<[string, Record<string, string>, string]>([
    ['a key without its value', { 'Tag.1.Key': 'team' }, 'iot.system.IllegalRequest'],
    ['a value without its key', { 'Tag.1.Value': 'x' }, 'iot.system.IllegalRequest'],
    ['pairs with a gap', { 'Tag.1.Key': 'a', 'Tag.1.Value': 'x', 'Tag.3.Key': 'b', 'Tag.3.Value': 'y' }, 'iot.check.InvalidFormattedParameter']
  ])('refuses %s', (_label, params, code) => {
    const bench = jobsBench([{ name: 'dev-0001' }], [unverifiable()])
    expect(bench.refused('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL', ...params })).toBe(code)
  })
})
