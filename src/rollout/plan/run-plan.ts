/** One run of a rollout plan: the operation asked for, then the plan as the platform holds it. */
import { ActionError } from '../../contract/action-error.js'
import { ROLLOUT_INPUT } from '../../contract/names.js'
import type { RolloutInputs } from '../inputs.js'
import { firmwareGate } from '../reuse.js'
import { readFirmwareState } from '../../jobs/package-state.js'
import { advancePlan, type RunMemory } from './advance.js'
import { planContext, type PlanContext, type PlanDeps } from './context.js'
import { readFleetFile } from './fleet.js'
import type { PlanSettings } from './inputs.js'
import { confirmStage, haltOnRequest, resumePlan, retryFailed } from './operations.js'
import { viewPlan, type PlanOutcome, type RunFacts } from './outcome.js'

type Inputs = Omit<RolloutInputs, 'connection'> & { plan: PlanSettings }

/** The first device of the fleet, read once and only when needed (a marker of a plan with no task yet). */
function firstDevice(ctx: PlanContext, fleetFile: readonly string[] | undefined, deps: PlanDeps): () => Promise<string> {
  let name: Promise<string> | undefined
  return () =>
    (name ??=
      fleetFile !== undefined
        ? Promise.resolve(fleetFile[0] ?? '')
        : deps.api.queryDevices(ctx.productKey, 1, 1).then((page) => page.Devices[0]?.DeviceName ?? ''))
}

/** QueryOTAFirmware's Type of a differential package. */
const DIFF_PACKAGE = 1

/**
 * A differential package upgrades only devices on its SrcVersion: a named device on another is
 * refused at create, and a device-list file's are left out without a word, which the plan's
 * gates would count as upgraded. A plan takes full packages only.
 */
function diffPackageRefusal(firmwareId: string, srcVersion: string | undefined): ActionError {
  return new ActionError(`Package ${firmwareId} is a differential package (from ${srcVersion ?? 'its SrcVersion'}): a rollout plan takes full packages only.`, {
    input: ROLLOUT_INPUT.stages,
    hint: `Publish a full package for the plan, or roll the differential one out as a single job (remove '${ROLLOUT_INPUT.stages}'; 'src-versions' picks its devices).`
  })
}

/** Advance (or resume, then advance): the package must be verified (or need no verification), and a full one. */
async function advanceVerified(ctx: PlanContext, memory: Omit<RunMemory, 'module'>, resume: boolean, deps: PlanDeps): Promise<RunFacts> {
  const firmware = await readFirmwareState(ctx.firmwareId, deps)
  const refusal = firmwareGate(firmware, ctx.job.DownloadProtocol ?? 'HTTPS')
  if (refusal) throw refusal
  if (firmware.Type === DIFF_PACKAGE) throw diffPackageRefusal(ctx.firmwareId, firmware.SrcVersion)
  const module = { name: firmware.ModuleName, version: firmware.DestVersion }
  const resumed = resume ? await resumePlan(ctx, memory.fleetFile, deps) : undefined
  if (resumed && ctx.waitMinutes === 0) return resumed
  const advanced = await advancePlan(ctx, { ...memory, module }, deps)
  return resumed && advanced.result === 'in-progress' ? { ...advanced, result: 'stage-started', message: resumed.message } : advanced
}

export async function runPlan(inputs: Inputs, deps: PlanDeps): Promise<PlanOutcome> {
  const ctx = planContext(inputs)
  // An input: read and checked before any request, whatever the operation.
  const fleetFile = ctx.settings.fleetFile === undefined ? undefined : await readFleetFile(ctx.settings.fleetFile, deps)
  deps.log.info(
    `Rollout plan ${ctx.plan}: stages ${ctx.settings.shares.join(', ')} % of ${fleetFile ? `the ${fleetFile.length} devices of ${ctx.settings.fleetFile}` : 'the product’s devices'}.`
  )
  const memory = { firstDevice: firstDevice(ctx, fleetFile, deps), checked: new Set<string>(), partsTried: new Set<string>(), fleetFile }
  let facts: RunFacts
  switch (ctx.settings.operation) {
    case 'status':
      facts = { result: 'status', failedTasks: [] }
      break
    case 'halt':
      facts = await haltOnRequest(ctx, memory.firstDevice, deps)
      break
    case 'retry-failed':
      facts = await retryFailed(ctx, deps)
      break
    case 'confirm':
      facts = await confirmStage(ctx, deps)
      break
    default:
      facts = await advanceVerified(ctx, memory, ctx.settings.operation === 'resume', deps)
  }
  return viewPlan(ctx, facts, deps)
}
