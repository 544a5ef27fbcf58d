import { describe, expect, it } from '@jest/globals'
import { renderFailureSummary } from '../../../src/report/failure.js'

describe('renderFailureSummary', () => {
  it.each([
    [{}, '### OTA publish failed\n'],
    [{ module: 'wifi', version: '1.2.3' }, '### OTA publish failed (module wifi, DestVersion 1.2.3)\n'],
    [{ input: 'files' }, '### OTA publish failed (input `files`)\n'],
    [{ code: 'Forbidden.RAM' }, '### OTA publish failed (code `Forbidden.RAM`)\n']
  ])('failure heading for %j', (context, heading) => {
    const text = renderFailureSummary('It broke.', 'Fix it.', context)
    expect(text.startsWith(heading)).toBe(true)
    expect(text).toContain('It broke.')
    expect(text).toContain('**What to do:** Fix it.')
  })
})
