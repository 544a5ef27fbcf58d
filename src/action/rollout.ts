/** Entry of the rollout action (rollout/action.yml): a batch upgrade, followed within a failure budget. */
import { parseRolloutInputs } from '../rollout/inputs.js'
import { rolloutPackage } from '../rollout/rollout-package.js'
import { rolloutReport } from '../rollout/summary.js'
import { jobAction } from './job-action.js'
import { runAction } from './lifecycle.js'

await runAction(
  jobAction({
    what: 'OTA rollout',
    kind: 'rollout',
    parse: (read, connection) => parseRolloutInputs(read, connection, new Date()),
    run: rolloutPackage,
    report: rolloutReport
  })
)
