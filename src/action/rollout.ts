/** Entry of the rollout action (rollout/action.yml): a batch upgrade, followed within a failure budget. */
import { parseRolloutInputs } from '../rollout/inputs.js'
import { rolloutFailure, rolloutPackage } from '../rollout/rollout-package.js'
import { buildRolloutOutputs, renderRolloutSummary } from '../rollout/summary.js'
import { runJobAction } from './job-steps.js'

await runJobAction({
  what: 'OTA rollout',
  parse: (read, connection) => parseRolloutInputs(read, connection, new Date()),
  run: rolloutPackage,
  outputs: buildRolloutOutputs,
  summary: (inputs, outcome) => renderRolloutSummary(inputs.firmwareId, inputs, inputs.maxFailurePercent, outcome),
  failure: rolloutFailure,
  success: (o) => `Upgrade job ${o.jobId} for ${o.total} device(s): ${o.result}.`
})
