/** Entry of the verify action (verify/action.yml): a verification job on test devices, followed to its end. */
import { parseVerifyInputs } from '../verify/inputs.js'
import { verifyReport } from '../verify/summary.js'
import { verifyPackage } from '../verify/verify-package.js'
import { jobAction } from './job-action.js'
import { runAction } from './lifecycle.js'

await runAction(jobAction({ what: 'OTA verify', kind: 'verify', parse: parseVerifyInputs, run: verifyPackage, report: verifyReport }))
