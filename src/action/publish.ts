/** Entry of the publish action (the repository root's action.yml): read, decide, publish, report. */
import { parseInputs } from '../config/inputs.js'
import { log, maskCredentials, readInput } from './runner.js'
import { findFirmware, publish, reportFailed, reportPublished, reportSkipped, resolvePlan, type RunState } from './publish-steps.js'

async function run(): Promise<void> {
  const startedAt = Date.now()
  const state: RunState = {}
  try {
    maskCredentials()
    const inputs = (state.inputs = parseInputs(readInput, process.env))
    for (const note of inputs.debugNotes) log.debug(note)
    const plan = (state.plan = await resolvePlan(inputs))
    if (plan.skipReason !== undefined) return await reportSkipped({ ...state, plan }, plan.skipReason)
    const artifact = (state.artifact = await findFirmware(inputs))
    const result = (state.result = await publish(inputs, plan, artifact, startedAt))
    await reportPublished({ ...state, plan, result })
  } catch (error) {
    await reportFailed(state, error)
  }
}

await run()
