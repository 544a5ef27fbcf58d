/** Entry of the rollout action (rollout/action.yml): a batch upgrade, or a plan in stages, followed within its gates. */
import { parseRolloutInputs } from '../rollout/inputs.js'
import { rollout, rolloutRunReport } from '../rollout/run.js'
import { jobAction } from './job-action.js'
import { runAction } from './lifecycle.js'

await runAction(
  jobAction({
    what: 'OTA rollout',
    kind: 'rollout',
    parse: (read, connection) => parseRolloutInputs(read, connection, new Date()),
    run: rollout,
    report: rolloutRunReport
  })
)
