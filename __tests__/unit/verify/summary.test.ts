import { firmware } from '../../support/jobs-fakes.js'
import { describe, expect, it } from '@jest/globals'
import { buildVerifyOutputs, renderVerifySummary } from '../../../src/verify/summary.js'
import type { VerifyOutcome } from '../../../src/verify/verify-package.js'

const outcome = (over: Partial<VerifyOutcome> = {}): VerifyOutcome => ({
  result: 'failed',
  jobId: 'V1',
  firmwareId: 'F',
  origin: 'created',
  firmware: firmware('F', 3, 100),
  timedOut: false,
  neverReported: [],
  waitMinutes: 45,
  devices: [
    { name: 'dev-1', status: 'SUCCEEDED', progress: 100, srcVersion: '1.0.0', destVersion: '1.1.0' },
    { name: 'dev-2', status: 'FAILED', progress: 30, message: 'download | failed', srcVersion: '1.0.0', destVersion: '1.1.0' }
  ],
  ...over
})

describe('renderVerifySummary', () => {
  it('tables every device with its versions and message, and the package status', () => {
    expect(renderVerifySummary('P', outcome())).toBe(
      '### OTA verification of package F (P): failed\n\n' +
        'Verify job `V1`, created by this run.\n' +
        'Package verification status: **3 verification failed** (VerifyProgress 100%).\n\n' +
        '| Device | Status | Progress | Version | Message |\n|---|---|---|---|---|\n' +
        '| dev-1 | SUCCEEDED | 100% | 1.0.0 → 1.1.0 |  |\n' +
        '| dev-2 | FAILED | 30% | 1.0.0 → 1.1.0 | download \\| failed |\n\n' +
        'Next: look at what the failed devices reported, fix the package, publish a new version and verify it.\n'
    )
  })

  it.each([
    [{ result: 'verified' as const, firmware: firmware('F', 1, 100) }, /\*\*1 verified\*\*[\s\S]*Next: start a batch upgrade/],
    [
      { result: 'not-needed' as const, jobId: undefined, devices: [], origin: 'none' as const, firmware: firmware('F', -1, 0) },
      /no verification needed[\s\S]*Next: start a batch upgrade/
    ],
    [{ result: 'started' as const }, /wait: false/],
    [{ timedOut: true, neverReported: ['dev-2'] }, /never reported within 45 minutes: dev-2/],
    [{ origin: 'followed' as const }, /started earlier for this package/]
  ])('%j', (over, expected) => {
    expect(renderVerifySummary('P', outcome(over))).toMatch(expected)
  })
})

describe('buildVerifyOutputs', () => {
  it('counts and maps the devices, and repeats everything in json', () => {
    const outputs = buildVerifyOutputs(outcome())
    expect(outputs).toMatchObject({ 'job-id': 'V1', result: 'failed', succeeded: '1', failed: '1' })
    expect(JSON.parse(outputs.devices!)).toEqual({
      'dev-1': { status: 'SUCCEEDED', progress: 100, message: '' },
      'dev-2': { status: 'FAILED', progress: 30, message: 'download | failed' }
    })
    expect(JSON.parse(outputs.json!)).toMatchObject({ 'job-id': 'V1', devices: { 'dev-2': { status: 'FAILED' } } })
  })

  it('counts a device that never reported as not succeeded, and nothing for a job only started', () => {
    const queued = outcome({ timedOut: true, devices: [{ name: 'd', status: 'QUEUED', progress: 0 }] })
    expect(buildVerifyOutputs(queued).failed).toBe('1')
    expect(buildVerifyOutputs(outcome({ result: 'started', devices: [{ name: 'd', status: 'NO_TASK', progress: 0 }] })).failed).toBe('0')
  })
})
