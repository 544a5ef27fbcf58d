/** Entry of the verify action (verify/action.yml): a verification job on test devices, followed to its end. */
import { parseVerifyInputs } from '../verify/inputs.js'
import { buildVerifyOutputs, renderVerifySummary } from '../verify/summary.js'
import { verifyFailure, verifyPackage } from '../verify/verify-package.js'
import { runJobAction } from './job-steps.js'

await runJobAction({
  what: 'OTA verify',
  parse: parseVerifyInputs,
  run: verifyPackage,
  outputs: buildVerifyOutputs,
  summary: (inputs, outcome) => renderVerifySummary(inputs.productKey, outcome),
  failure: verifyFailure,
  success: (o) =>
    o.result === 'not-needed'
      ? `Package ${o.firmwareId} needs no verification (NeedToVerify=false).`
      : `Package ${o.firmwareId}: ${o.result}${o.jobId ? ` (verify job ${o.jobId})` : ''}.`
})
