import { describe, expect, it } from '@jest/globals'
import type { JobSummary } from '../../../src/platform/models.js'
import type { FirmwareState } from '../../../src/jobs/package-state.js'
import { firmware } from '../../support/jobs-fakes.js'
import { decideVerifyStart } from '../../../src/verify/reuse.js'

const fw = (Status: number): FirmwareState => firmware('F', Status)
const job = (JobId: string, JobStatus: string, UtcCreate: string, JobType = 'VERIFY_FIRMWARE'): JobSummary => ({ JobId, JobStatus, JobType, UtcCreate })

describe('decideVerifyStart', () => {
  it.each([
    ['NeedToVerify=false: not needed, no job', fw(-1), [], { kind: 'not-needed' }],
    [
      'verified: the newest completed verify job',
      fw(1),
      [job('V1', 'COMPLETED', '2026-01-01'), job('V2', 'COMPLETED', '2026-02-01'), job('U1', 'COMPLETED', '2026-03-01', 'UPGRADE_FIRMWARE')],
      { kind: 'verified', jobId: 'V2' }
    ],
    ['verified without a job in the list', fw(1), [], { kind: 'verified', jobId: undefined }],
    [
      'verifying: the unfinished verify job is followed',
      fw(2),
      [job('V1', 'COMPLETED', '2026-01-01'), job('V2', 'IN_PROGRESS', '2026-02-01')],
      { kind: 'follow', jobId: 'V2' }
    ],
    ['unverified with a planned verify job', fw(0), [job('V3', 'PLANNED', '2026-02-01')], { kind: 'follow', jobId: 'V3' }],
    ['verifying, no unfinished job listed: the newest verify job', fw(2), [job('V1', 'COMPLETED', '2026-01-01')], { kind: 'follow', jobId: 'V1' }],
    ['unverified: create', fw(0), [], { kind: 'create' }],
    ['failed verification: a new attempt is created', fw(3), [job('V1', 'COMPLETED', '2026-01-01')], { kind: 'create' }],
    ['an unfinished upgrade job is not a verification', fw(0), [job('U1', 'IN_PROGRESS', '2026-01-01', 'UPGRADE_FIRMWARE')], { kind: 'create' }]
  ])('%s', (_what, firmware, jobs, expected) => {
    expect(decideVerifyStart(firmware, jobs)).toMatchObject(expected)
  })

  it('remembers the jobs that existed before creating', () => {
    const start = decideVerifyStart(fw(3), [job('V1', 'COMPLETED', '2026-01-01')])
    expect(start.kind === 'create' && [...start.known]).toEqual(['V1'])
  })
})
