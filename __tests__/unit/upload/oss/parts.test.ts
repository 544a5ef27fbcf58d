import { describe, expect, it } from '@jest/globals'
import { completionList, partRanges, remainingParts, storedBytes } from '../../../../src/upload/oss/parts.js'

const MIB = 1024 * 1024

describe('partRanges', () => {
  it('cuts a file into parts of the given size, the last one shorter', () => {
    expect(partRanges(110 * MIB, 16 * MIB)).toHaveLength(7)
    expect(partRanges(110 * MIB, 16 * MIB).at(-1)).toEqual({ number: 7, start: 96 * MIB, end: 110 * MIB })
    expect(partRanges(10, 4)).toEqual([
      { number: 1, start: 0, end: 4 },
      { number: 2, start: 4, end: 8 },
      { number: 3, start: 8, end: 10 }
    ])
  })

  it('makes no empty last part when the size is a multiple of the part size', () => {
    expect(partRanges(32 * MIB, 16 * MIB).map((p) => p.end - p.start)).toEqual([16 * MIB, 16 * MIB])
  })

  it('1,000 MB goes up in 63 parts of 16 MiB', () => {
    expect(partRanges(1000 * 1000 * 1000, 16 * MIB)).toHaveLength(60)
    expect(partRanges(1000 * MIB, 16 * MIB)).toHaveLength(63)
  })
})

describe('which parts remain', () => {
  const parts = partRanges(10, 4)

  it('leaves out the parts OSS has stored, so they are never sent again', () => {
    expect(remainingParts(parts, new Map()).map((p) => p.number)).toEqual([1, 2, 3])
    expect(remainingParts(parts, new Map([[2, '"B"']])).map((p) => p.number)).toEqual([1, 3])
    expect(
      remainingParts(
        parts,
        new Map([
          [1, 'a'],
          [2, 'b'],
          [3, 'c']
        ])
      )
    ).toEqual([])
  })

  it('counts the stored bytes for the progress lines', () => {
    expect(storedBytes(parts, new Map([[3, 'c']]))).toBe(2)
    expect(
      storedBytes(
        parts,
        new Map([
          [1, 'a'],
          [3, 'c']
        ])
      )
    ).toBe(6)
  })

  it('lists every part in order for CompleteMultipartUpload, whatever order they finished in', () => {
    const done = new Map([
      [3, 'c'],
      [1, 'a'],
      [2, 'b']
    ])
    expect(completionList(parts, done)).toEqual([
      { number: 1, etag: 'a' },
      { number: 2, etag: 'b' },
      { number: 3, etag: 'c' }
    ])
  })

  it('refuses to complete with a part missing (OSS would make a shorter object)', () => {
    expect(() =>
      completionList(
        parts,
        new Map([
          [1, 'a'],
          [3, 'c']
        ])
      )
    ).toThrow('part 2 of 3 was not uploaded')
  })
})
