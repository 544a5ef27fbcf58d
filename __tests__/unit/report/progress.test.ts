import { describe, expect, it } from '@jest/globals'
import { createProgressReporter } from '../../../src/report/progress.js'
import { formatBytes } from '../../../src/report/format.js'

describe('progress', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [512 * 1024 * 1024, '512.0 MiB'],
    [1048576000, '1000.0 MiB'],
    [2 * 1024 ** 3, '2.0 GiB']
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text)
  })

  it('prints about one line per 10% with rate and ETA, never per chunk', () => {
    let clock = 0
    const lines: string[] = []
    const report = createProgressReporter(
      1000 * 1024 * 1024,
      () => clock,
      (l) => lines.push(l)
    )
    for (let sent = 0; sent <= 1000; sent++) {
      clock = sent * 10
      report(sent * 1024 * 1024)
    }
    expect(lines).toHaveLength(10)
    expect(lines[0]).toBe('Uploaded 100.0 MiB of 1000.0 MiB (10%), 100.0 MiB/s, about 9 s left')
    expect(lines[9]).toContain('(100%)')
    expect(lines[9]).toContain('done')
  })
})
