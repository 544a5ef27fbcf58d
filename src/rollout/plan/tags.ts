/**
 * How a rollout plan keeps its state on the platform: every job it makes carries job tags (keys of
 * `[A-Za-z0-9.]`, values up to 1,024 characters, at most 10 a job). Any later run reads them back
 * from ListOTAJobByFirmware. The tags are pushed to the devices with the upgrade notice, so they
 * hold nothing but the plan's own bookkeeping.
 */
import { createHash } from 'node:crypto'
import type { JobSummary, JobTag } from '../../platform/models.js'

export const TAG = {
  plan: 'ota.plan',
  kind: 'ota.kind',
  stage: 'ota.stage',
  part: 'ota.part',
  gen: 'ota.gen',
  devices: 'ota.devices',
  fleet: 'ota.fleet',
  edge: 'ota.edge',
  reason: 'ota.reason',
  at: 'ota.at'
} as const

/** A tag value is at most 1,024 characters. */
const VALUE_MAX = 1024

/**
 * `stage`: a stage's job (one of its parts, of one generation: a resume makes the next).
 * `pass`: the moment a stage passed its gates (its soak counts from then).
 * `halt`: the plan halted, and why.
 * Markers are static jobs scheduled days ahead and cancelled at once: no device is ever touched.
 */
export type PlanJobKind = 'stage' | 'pass' | 'halt'

/** The plan's identity: the package and its stage list, so another list is another plan. */
export function planId(firmwareId: string, shares: readonly number[]): string {
  return createHash('sha256')
    .update(`${firmwareId}|${shares.join(',')}`)
    .digest('hex')
    .slice(0, 16)
}

export interface StageJobTags {
  readonly plan: string
  readonly stage: number
  readonly part: number
  readonly parts: number
  readonly gen: number
  /** Devices of the stage's cohort (all parts). */
  readonly devices: number
  /** Devices in the fleet when the stage started. */
  readonly fleet: number
  /** The rank hash of the cohort's last device: devices above it are not targeted yet. */
  readonly edge: string
}

export function stageTags(t: StageJobTags): JobTag[] {
  return [
    { Key: TAG.plan, Value: t.plan },
    { Key: TAG.kind, Value: 'stage' },
    { Key: TAG.stage, Value: String(t.stage) },
    { Key: TAG.part, Value: `${t.part}/${t.parts}` },
    { Key: TAG.gen, Value: String(t.gen) },
    { Key: TAG.devices, Value: String(t.devices) },
    { Key: TAG.fleet, Value: String(t.fleet) },
    { Key: TAG.edge, Value: t.edge }
  ]
}

/** A marker: its kind, the stage and generation it speaks of, when, and (a halt) why. */
export function markerTags(plan: string, kind: 'pass' | 'halt', stage: number, gen: number, at: Date, reason?: string): JobTag[] {
  const tags: JobTag[] = [
    { Key: TAG.plan, Value: plan },
    { Key: TAG.kind, Value: kind },
    { Key: TAG.stage, Value: String(stage) },
    { Key: TAG.gen, Value: String(gen) },
    { Key: TAG.at, Value: at.toISOString() }
  ]
  if (reason !== undefined) tags.push({ Key: TAG.reason, Value: reason.length > VALUE_MAX ? `${reason.slice(0, VALUE_MAX - 1)}…` : reason })
  return tags
}

/** A job of the plan, as its tags describe it. */
export interface PlanJob {
  readonly jobId: string
  readonly kind: PlanJobKind
  readonly stage: number
  readonly part: number
  readonly parts: number
  readonly gen: number
  readonly devices?: number
  readonly fleet?: number
  readonly edge?: string
  readonly at?: string
  readonly reason?: string
  readonly jobStatus: string
  readonly utcCreate: string
}

function whole(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined
}

/** The job as a job of plan `plan`, or undefined when it is not one (another plan, or no tags). */
export function readPlanJob(job: JobSummary, plan: string): PlanJob | undefined {
  const tag = (key: string) => job.Tags?.find((t) => t.Key === key)?.Value
  if (tag(TAG.plan) !== plan) return undefined
  const kind = tag(TAG.kind)
  const stage = whole(tag(TAG.stage))
  if ((kind !== 'stage' && kind !== 'pass' && kind !== 'halt') || stage === undefined) return undefined
  const [part, parts] = (tag(TAG.part) ?? '1/1').split('/').map(whole)
  return {
    jobId: job.JobId,
    kind,
    stage,
    part: part ?? 1,
    parts: parts ?? 1,
    gen: whole(tag(TAG.gen)) ?? 1,
    devices: whole(tag(TAG.devices)),
    fleet: whole(tag(TAG.fleet)),
    edge: tag(TAG.edge),
    at: tag(TAG.at),
    reason: tag(TAG.reason),
    jobStatus: job.JobStatus,
    utcCreate: job.UtcCreate ?? ''
  }
}

/** Whether a job is a plan's marker (a pass or a halt recorded as a job cancelled before its time): it upgraded no device. */
export function isPlanMarker(job: Pick<JobSummary, 'Tags'>): boolean {
  const kind = job.Tags?.find((t) => t.Key === TAG.kind)?.Value
  return job.Tags?.some((t) => t.Key === TAG.plan) === true && (kind === 'pass' || kind === 'halt')
}
