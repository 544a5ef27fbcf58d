/** The rollout action's two modes behind one run: one batch job, or a plan in stages (`stages`). */
import type { JobDeps } from '../jobs/deps.js'
import type { Report } from '../report/report.js'
import type { RolloutInputs } from './inputs.js'
import type { PlanOutcome } from './plan/outcome.js'
import { planReport } from './plan/report.js'
import { runPlan } from './plan/run-plan.js'
import { rolloutPackage, type RolloutOutcome } from './rollout-package.js'
import { rolloutReport } from './summary.js'

export type RolloutRun = { readonly mode: 'job'; readonly outcome: RolloutOutcome } | { readonly mode: 'plan'; readonly outcome: PlanOutcome }

type Inputs = Omit<RolloutInputs, 'connection'>

export async function rollout(inputs: Inputs, deps: JobDeps): Promise<RolloutRun> {
  const { plan } = inputs
  if (plan !== undefined) return { mode: 'plan', outcome: await runPlan({ ...inputs, plan }, deps) }
  return { mode: 'job', outcome: await rolloutPackage(inputs, deps) }
}

export function rolloutRunReport(run: RolloutRun, inputs: Inputs): Report {
  return run.mode === 'plan' ? planReport(run.outcome, inputs.firmwareId, inputs.plan?.operation ?? 'advance') : rolloutReport(run.outcome, inputs)
}
