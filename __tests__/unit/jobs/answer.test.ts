import { describe, expect, it } from '@jest/globals'
import { field, listOf, numberOf, stringsOf, textOf } from '../../../src/platform/answer.js'

describe('answer helpers', () => {
  it.each([
    [{ JobId: 'a' }, 'JobId', 'a'],
    [{ jobId: 'a' }, 'JobId', 'a'],
    [{ JOBID: 'a' }, 'jobId', 'a'],
    [{ other: 'a' }, 'JobId', undefined],
    ['text', 'JobId', undefined],
    [null, 'JobId', undefined]
  ])('field(%j, %s)', (obj, name, expected) => {
    expect(field(obj, name)).toBe(expected)
  })

  it.each([
    [{ v: '40.00' }, 40],
    [{ v: 7 }, 7],
    [{ v: '' }, undefined],
    [{ v: 'n/a' }, undefined],
    [{ v: true }, undefined]
  ])('numberOf(%j)', (obj, expected) => {
    expect(numberOf(obj, 'v')).toBe(expected)
  })

  it('textOf takes numbers as ids and treats empty as absent', () => {
    expect(textOf({ id: 183634077921266 }, 'Id')).toBe('183634077921266')
    expect(textOf({ id: '' }, 'Id')).toBeUndefined()
  })

  it.each([
    ['wrapped under Data', { Data: { SimpleOTATaskInfo: [{ a: 1 }] } }],
    ['bare under data', { data: [{ a: 1 }] }],
    ['one object, wrapped', { Data: { simpleOTATaskInfo: { a: 1 } } }],
    ['wrapped at the top level', { SimpleOTATaskInfo: [{ a: 1 }] }]
  ])('listOf finds rows %s', (_what, answer) => {
    expect(listOf(answer, 'Data', 'SimpleOTATaskInfo')).toEqual([{ a: 1 }])
  })

  it('listOf finds a top-level container and gives [] for none', () => {
    expect(listOf({ firmwareInfo: { simpleFirmwareInfo: [{ a: 1 }] } }, 'FirmwareInfo', 'SimpleFirmwareInfo')).toEqual([{ a: 1 }])
    expect(listOf({ Data: {} }, 'Data', 'SimpleOTATaskInfo')).toEqual([])
    expect(listOf(undefined, 'Data', 'SimpleOTATaskInfo')).toEqual([])
  })

  it('stringsOf reads bare and wrapped lists', () => {
    expect(stringsOf({ SrcVersions: { SrcVersion: ['1', '2'] } }, 'SrcVersions', 'SrcVersion')).toEqual(['1', '2'])
    expect(stringsOf({ srcVersions: ['1'] }, 'SrcVersions', 'SrcVersion')).toEqual(['1'])
    expect(stringsOf({ srcVersions: { srcVersion: '1' } }, 'SrcVersions', 'SrcVersion')).toEqual(['1'])
    expect(stringsOf({}, 'SrcVersions', 'SrcVersion')).toEqual([])
  })
})
