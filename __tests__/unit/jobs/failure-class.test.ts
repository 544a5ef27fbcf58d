import { describe, expect, it } from '@jest/globals'
import { classifyFailure, countFailureClasses } from '../../../src/jobs/failure-class.js'

describe('classifyFailure', () => {
  it.each([
    ['the device has an unfinished upgrade task in another batch', 'busy'],
    ['timeout: no report within TimeoutInMinutes', 'timeout'],
    ['升级超时', 'timeout'],
    ['step -2: download failed', 'download'],
    ['step -3: verification (checksum/signature) failed', 'checksum'],
    ['step -4: flash failed', 'install'],
    ['install failed: partition busy', 'install'],
    ['the device rejected the upgrade', 'rejected'],
    ['step -1: upgrade failed', 'other'],
    [undefined, 'other']
  ])('%j is %s', (TaskDesc, expected) => {
    expect(classifyFailure({ TaskDesc })).toBe(expected)
  })

  it('counts every class, zeros included', () => {
    expect(countFailureClasses([{ TaskDesc: 'step -2: download failed' }, { TaskDesc: 'step -2: download failed' }, { TaskDesc: 'in another batch' }])).toEqual(
      {
        busy: 1,
        timeout: 0,
        download: 2,
        checksum: 0,
        install: 0,
        rejected: 0,
        other: 0
      }
    )
  })
})
