import { describe, expect, it } from '@jest/globals'
import { startOnServerClock, uploadsToAbort, type OpenUpload } from '../../../../src/upload/oss/open-uploads.js'

const KEY = 'ota/default/1.2.3/big.bin'
const at = (iso: string): number => Date.parse(iso)

describe('startOnServerClock', () => {
  it("moves the start by the runner clock's offset from OSS, read from the Date header", () => {
    // The runner is 5.4 s ahead of OSS.
    const answeredAt = at('2025-06-01T10:00:05.400Z')
    expect(startOnServerClock(at('2025-06-01T09:59:50.400Z'), answeredAt, 'Sun, 01 Jun 2025 10:00:00 GMT')).toBe(at('2025-06-01T09:59:45.000Z'))
  })

  it('rounds down to the second: the Date header counts whole seconds', () => {
    expect(startOnServerClock(at('2025-06-01T10:00:00.900Z'), at('2025-06-01T10:00:10.000Z'), 'Sun, 01 Jun 2025 10:00:10 GMT')).toBe(
      at('2025-06-01T10:00:00.000Z')
    )
  })

  it('takes the runner clock as it is without a readable Date header', () => {
    expect(startOnServerClock(at('2025-06-01T10:00:00.500Z'), at('2025-06-01T10:01:00Z'), undefined)).toBe(at('2025-06-01T10:00:00Z'))
    expect(startOnServerClock(at('2025-06-01T10:00:00.500Z'), at('2025-06-01T10:01:00Z'), 'yesterday')).toBe(at('2025-06-01T10:00:00Z'))
  })
})

describe('uploadsToAbort', () => {
  const since = at('2025-06-01T10:00:00Z')
  const upload = (uploadId: string, initiated: string, key = KEY): OpenUpload => ({ key, uploadId, initiated })

  it('aborts the uploads of the key this run initiated, not the one that completed', () => {
    const listed = [upload('LOST', '2025-06-01T10:00:01.000Z'), upload('DONE', '2025-06-01T10:00:02.000Z'), upload('LOST2', '2025-06-01T10:00:03Z')]
    expect(uploadsToAbort(listed, { key: KEY, since, completed: 'DONE' })).toEqual(['LOST', 'LOST2'])
  })

  it("leaves alone uploads initiated before the run started: someone else's", () => {
    const listed = [upload('OLD', '2025-06-01T09:59:59.000Z'), upload('MINE', '2025-06-01T10:00:00.000Z')]
    expect(uploadsToAbort(listed, { key: KEY, since })).toEqual(['MINE'])
  })

  it("counts whole seconds: an upload initiated in the second the run started is the run's", () => {
    expect(uploadsToAbort([upload('MINE', '2025-06-01T10:00:00.999Z')], { key: KEY, since })).toEqual(['MINE'])
    expect(uploadsToAbort([upload('MINE', '2025-06-01T10:00:00Z')], { key: KEY, since: since + 700 })).toEqual(['MINE'])
  })

  it('leaves alone longer keys the prefix also lists, and uploads it cannot date', () => {
    const listed = [upload('OTHER', '2025-06-01T10:00:05Z', `${KEY}.sig`), upload('UNDATED', 'soon')]
    expect(uploadsToAbort(listed, { key: KEY, since })).toEqual([])
  })
})
