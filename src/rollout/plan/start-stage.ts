/**
 * Starting a stage: its cohort from the fleet read now, in parts of at most 10,000 devices (a
 * device-list file's documented limit), each part one static SPECIFIC job tagged with the plan.
 * Up to 200 devices go by name; more through a device-list file. A create whose answer was lost is
 * found by its tags before anything is sent again: one job per part, always.
 */
import { ROLLOUT_DEVICES_MAX } from '../../platform/job-rules.js'
import type { StaticJobParams } from '../../platform/models.js'
import { inParts, rankFleet, stageCohort, type Ranked } from './cohorts.js'
import type { PlanContext, PlanDeps } from './context.js'
import { readFleet } from './fleet.js'
import { planJobLookup, readPlan } from './records.js'
import { missingParts, type PlanState } from './state.js'
import { stageTags, type PlanJob, type StageJobTags } from './tags.js'

/** Devices in one device-list file, and so in one job: the documented limit (a larger one is said to fail at create). */
export const LIST_FILE_DEVICES_MAX = 10_000

/** The edge of the last stage before `stage` that recorded one (a stage with no device records none). */
function previousEdge(state: PlanState, stage: number): string | undefined {
  for (let k = stage - 1; k >= 1; k--) {
    const edge = state.stages[k - 1]?.edge
    if (edge) return edge
  }
  return undefined
}

/**
 * The cohort of a stage in a fleet ranked now, and its edge: its recorded range when it has one
 * (a resume, or parts still to create), else the devices above the previous stage's edge.
 */
export function cohortOf(ctx: PlanContext, state: PlanState, ranked: readonly Ranked[], stage: number): { names: string[]; edge: string } {
  const record = state.stages[stage - 1]
  const share = ctx.settings.shares[stage - 1] ?? 100
  const cohort = stageCohort(ranked, share, previousEdge(state, stage), record?.gen ? record.edge : undefined)
  return { names: cohort.map((d) => d.name), edge: cohort.at(-1)?.hash ?? '' }
}

/** Where the part's devices go: by name up to 200, else a device-list file uploaded with the platform's form. */
async function targetsOf(names: readonly string[], deps: PlanDeps): Promise<Pick<StaticJobParams, 'TargetDeviceName' | 'DnListFileUrl'>> {
  if (names.length <= ROLLOUT_DEVICES_MAX) return { TargetDeviceName: names }
  const ticket = await deps.api.generateDeviceListUrl()
  // One DeviceName a line, nothing else (no header, no quotes: a DeviceName needs none).
  await deps.postDeviceList(ticket, Buffer.from(`${names.join('\n')}\n`, 'utf8'))
  deps.log.info(`Uploaded the device list of ${names.length} devices for this part.`)
  return { DnListFileUrl: ticket.FileUrl }
}

/** The part's job: the plan's stage job with exactly these stage, part and generation tags. */
const isPart =
  (tags: StageJobTags) =>
  (j: PlanJob): boolean =>
    j.kind === 'stage' && j.stage === tags.stage && j.part === tags.part && j.gen === tags.gen

/**
 * Creates a part's job, unless the plan, read again right before, has it already (another run made
 * it meanwhile) or was halted meanwhile (undefined: nothing created; only a resume's generation
 * may start on a halted plan).
 */
async function createPart(ctx: PlanContext, names: readonly string[], tags: StageJobTags, deps: PlanDeps): Promise<string | undefined> {
  const fresh = await readPlan(ctx, deps)
  const made = fresh.jobs.find(isPart(tags))
  if (made) return made.jobId
  if (fresh.halt && !(tags.stage === fresh.halt.stage && tags.gen > fresh.halt.gen)) return undefined
  const targets = await targetsOf(names, deps)
  const params: StaticJobParams = { ...ctx.job, TargetSelection: 'SPECIFIC', ...targets, Tag: stageTags(tags) }
  const created = await deps.api.createStaticUpgradeJob(params, planJobLookup(ctx, isPart(tags), deps))
  deps.log.info(`Stage ${tags.stage} part ${tags.part}/${tags.parts}: job ${created.JobId} for ${names.length} device(s).`)
  deps.onJob?.(created.JobId)
  return created.JobId
}

export interface StartedStage {
  readonly stage: number
  readonly devices: number
  readonly jobIds: readonly string[]
  /** The plan was halted by another run before a part was created: nothing more was. */
  readonly haltedMeanwhile?: boolean
}

/**
 * Starts stage `from` (generation `gen`: 1, or the resume that restarts it) in the fleet (the names
 * of fleet-file the run read, else the product's devices), creating only the parts that have no job yet. A stage whose cohort is empty (a fleet smaller than the stages) is passed
 * over for the next; undefined when no stage from `from` on has a device left.
 */
export async function startStage(
  ctx: PlanContext,
  state: PlanState,
  at: { readonly from: number; readonly gen: number; readonly fleetFile: readonly string[] | undefined },
  deps: PlanDeps
): Promise<StartedStage | undefined> {
  const { from, gen } = at
  const fleet = await readFleet(ctx.productKey, at.fleetFile, deps)
  const ranked = rankFleet(ctx.firmwareId, fleet)
  let stage = from
  let cohort = cohortOf(ctx, state, ranked, stage)
  while (cohort.names.length === 0 && stage < ctx.settings.shares.length) cohort = cohortOf(ctx, state, ranked, ++stage)
  if (cohort.names.length === 0) return undefined
  const { names, edge } = cohort
  const record = state.stages[stage - 1]
  const sameGen = record !== undefined && record.gen === gen
  // Parts still to create are cut as the first run cut them: the same number, of nearly equal length.
  const partCount = sameGen && record.parts > 0 ? record.parts : Math.ceil(names.length / LIST_FILE_DEVICES_MAX)
  const parts = inParts(names, partCount)
  const missing = sameGen ? missingParts(record) : parts.map((_, i) => i + 1)
  deps.log.info(`Stage ${stage} of ${ctx.settings.shares.length}: ${names.length} of ${fleet.length} devices, in ${parts.length} job(s).`)
  const jobIds = sameGen ? record.jobs.map((j) => j.jobId) : []
  for (const part of missing) {
    if ((parts[part - 1] ?? []).length === 0) {
      deps.log.warning(`Stage ${stage} part ${part}/${parts.length}: no device is left in it (the fleet shrank since the stage started); not created.`)
      continue
    }
    const tags = { plan: ctx.plan, stage, part, parts: parts.length, gen, devices: names.length, fleet: fleet.length, edge }
    const jobId = await createPart(ctx, parts[part - 1] ?? [], tags, deps)
    if (jobId === undefined) return { stage, devices: names.length, jobIds, haltedMeanwhile: true }
    jobIds.push(jobId)
  }
  return { stage, devices: names.length, jobIds }
}
