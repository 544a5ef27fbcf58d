/**
 * Starting a stage: its cohort from the fleet read now, in parts of at most 10,000 devices (a
 * device-list file's documented limit), each part one static SPECIFIC job tagged with the plan.
 * Up to 200 devices go by name; more through a device-list file. A create whose answer was lost is
 * found by its tags before anything is sent again: one job per part, always.
 */
import { ROLLOUT_DEVICES_MAX } from '../../platform/job-rules.js'
import type { CreatedJob, StaticJobParams } from '../../platform/models.js'
import { inChunks, rankFleet, stageCuts } from './cohorts.js'
import type { PlanContext, PlanDeps } from './context.js'
import { readFleet } from './fleet.js'
import { missingParts, type PlanState } from './state.js'
import { readPlanJob, stageTags, type StageJobTags } from './tags.js'

/** Devices in one device-list file, and so in one job: the documented limit (a larger one is said to fail at create). */
export const LIST_FILE_DEVICES_MAX = 10_000

/** The cohort of a stage in a fleet read now: its device names and the rank hash of its last one. */
export function cohortOf(ctx: PlanContext, fleet: readonly string[], stage: number): { names: string[]; edge: string } {
  const ranked = rankFleet(ctx.firmwareId, fleet)
  const cut = stageCuts(ctx.settings.shares, ranked.length)[stage - 1]
  const cohort = cut === undefined ? [] : ranked.slice(cut.from, cut.to)
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

/** The lookup of a lost create: the plan's job with exactly these stage, part and generation tags. */
function partLookup(ctx: PlanContext, tags: StageJobTags, deps: PlanDeps): () => Promise<CreatedJob | undefined> {
  return async () => {
    const found = (await deps.api.listJobsByFirmware(ctx.firmwareId)).find((job) => {
      const p = readPlanJob(job, ctx.plan)
      return p?.kind === 'stage' && p.stage === tags.stage && p.part === tags.part && p.gen === tags.gen
    })
    return found && { JobId: found.JobId, UtcCreate: found.UtcCreate ?? '' }
  }
}

async function createPart(ctx: PlanContext, names: readonly string[], tags: StageJobTags, deps: PlanDeps): Promise<string> {
  const targets = await targetsOf(names, deps)
  const params: StaticJobParams = { ...ctx.job, TargetSelection: 'SPECIFIC', ...targets, Tag: stageTags(tags) }
  const created = await deps.api.createStaticUpgradeJob(params, partLookup(ctx, tags, deps))
  deps.log.info(`Stage ${tags.stage} part ${tags.part}/${tags.parts}: job ${created.JobId} for ${names.length} device(s).`)
  deps.onJob?.(created.JobId)
  return created.JobId
}

export interface StartedStage {
  readonly stage: number
  readonly devices: number
  readonly jobIds: readonly string[]
}

/**
 * Starts stage `from` (generation `gen`: 1, or the resume that restarts it), creating only the parts
 * that have no job yet. A stage whose cohort is empty (a fleet smaller than the stages) is passed
 * over for the next; undefined when no stage from `from` on has a device left.
 */
export async function startStage(ctx: PlanContext, state: PlanState, from: number, gen: number, deps: PlanDeps): Promise<StartedStage | undefined> {
  const fleet = await readFleet({ productKey: ctx.productKey, fleetFile: ctx.settings.fleetFile }, deps)
  let stage = from
  let cohort = cohortOf(ctx, fleet, stage)
  while (cohort.names.length === 0 && stage < ctx.settings.shares.length) cohort = cohortOf(ctx, fleet, ++stage)
  if (cohort.names.length === 0) return undefined
  const { names, edge } = cohort
  const parts = inChunks(names, LIST_FILE_DEVICES_MAX)
  const record = state.stages[stage - 1]
  const existing = record && record.gen === gen ? record.jobs : []
  const missing = record && record.gen === gen ? missingParts({ ...record, parts: parts.length }) : parts.map((_, i) => i + 1)
  deps.log.info(`Stage ${stage} of ${ctx.settings.shares.length}: ${names.length} of ${fleet.length} devices, in ${parts.length} job(s).`)
  const jobIds = existing.map((j) => j.jobId)
  for (const part of missing) {
    const tags = { plan: ctx.plan, stage, part, parts: parts.length, gen, devices: names.length, fleet: fleet.length, edge }
    jobIds.push(await createPart(ctx, parts[part - 1] ?? [], tags, deps))
  }
  return { stage, devices: names.length, jobIds }
}
