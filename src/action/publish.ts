/** Entry of the publish action (the repository root's action.yml): read, decide, publish, report. */
import { runAction } from './lifecycle.js'
import { publishAction } from './publish-action.js'

await runAction(publishAction)
