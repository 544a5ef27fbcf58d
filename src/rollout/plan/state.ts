/**
 * A rollout plan's state, rebuilt from the platform's records alone: the package's jobs that carry
 * the plan's tags. Nothing is carried between runs; any run on any runner sees the same plan.
 */
import { UNFINISHED_JOB_STATUSES } from '../../platform/job-rules.js'
import type { PlanJob } from './tags.js'

export interface StageRecord {
  /** 1-based. */
  readonly stage: number
  /** Cumulative share of the fleet, percent. */
  readonly share: number
  /** The newest generation (1, or the number of the resume that made it); 0 before the stage started. */
  readonly gen: number
  /** That generation's jobs, by part. */
  readonly jobs: readonly PlanJob[]
  /** How many parts that generation has in all (some may not be created yet). */
  readonly parts: number
  /** Devices of the stage's cohort. */
  readonly devices: number
  /** Devices in the fleet when the stage started. */
  readonly fleet?: number
  /** The rank hash of the cohort's last device. */
  readonly edge?: string
  /** Jobs of earlier generations: their successes count toward the stage's success gate. */
  readonly earlier: readonly PlanJob[]
  /** When the newest generation passed its gates (its soak counts from then). */
  readonly passedAt?: string
}

export interface PlanState {
  readonly stages: readonly StageRecord[]
  /** The highest stage with a job; 0 before the plan started. */
  readonly current: number
  /**
   * Set while the plan is halted: there is a halt marker, and the stage it halted has no job of a
   * later generation (only a resume makes one). A stage job that a run racing the halt created
   * after it does not lift the halt: it is one of `strays`, which any later run cancels.
   */
  readonly halt?: {
    readonly stage: number
    readonly at: string
    readonly reason: string
    readonly jobId: string
    /** The generation of the halted stage; a resume makes the next. */
    readonly gen: number
    /** Unfinished stage jobs created after the halt marker. */
    readonly strays: readonly PlanJob[]
  }
  /** Markers not cancelled (a run stopped between a marker's create and its cancel): they would upgrade their device when due. */
  readonly openMarkers: readonly PlanJob[]
  /** Every job of the plan, markers included. */
  readonly jobs: readonly PlanJob[]
}

const newer = (a: PlanJob, b: PlanJob): number => a.utcCreate.localeCompare(b.utcCreate) || a.jobId.localeCompare(b.jobId)

function stageRecord(stage: number, share: number, jobs: readonly PlanJob[]): StageRecord {
  const mine = jobs.filter((j) => j.stage === stage)
  const stageJobs = mine.filter((j) => j.kind === 'stage')
  const gen = Math.max(0, ...stageJobs.map((j) => j.gen))
  const current = stageJobs.filter((j) => j.gen === gen).sort((a, b) => a.part - b.part || newer(a, b))
  const first = current[0]
  const pass = mine.filter((j) => j.kind === 'pass' && j.gen === gen).sort(newer)[0]
  return {
    stage,
    share,
    gen,
    jobs: current,
    parts: first?.parts ?? 0,
    devices: first?.devices ?? 0,
    fleet: first?.fleet,
    edge: first?.edge,
    earlier: stageJobs.filter((j) => j.gen < gen),
    passedAt: pass?.at
  }
}

/** The newest halt marker, unless a resume lifted it (a job of the halted stage of a later generation). */
function haltOf(jobs: readonly PlanJob[]): PlanState['halt'] {
  const last = jobs
    .filter((j) => j.kind === 'halt')
    .sort(newer)
    .at(-1)
  if (last === undefined) return undefined
  if (jobs.some((j) => j.kind === 'stage' && j.stage === last.stage && j.gen > last.gen)) return undefined
  const strays = jobs.filter((j) => j.kind === 'stage' && newer(j, last) > 0 && UNFINISHED_JOB_STATUSES.includes(j.jobStatus))
  return { stage: last.stage, gen: last.gen, at: last.at ?? last.utcCreate, reason: last.reason ?? '', jobId: last.jobId, strays }
}

/** The plan's state from its jobs; `shares` are the plan's stages. */
export function planState(shares: readonly number[], jobs: readonly PlanJob[]): PlanState {
  const stages = shares.map((share, i) => stageRecord(i + 1, share, jobs))
  const current = Math.max(0, ...stages.filter((s) => s.jobs.length > 0).map((s) => s.stage))
  const openMarkers = jobs.filter((j) => j.kind !== 'stage' && UNFINISHED_JOB_STATUSES.includes(j.jobStatus))
  return { stages, current, halt: haltOf(jobs), openMarkers, jobs }
}

/** Parts of the stage's newest generation that have no job yet (a run stopped or lost an answer between them). */
export function missingParts(record: StageRecord): number[] {
  const have = new Set(record.jobs.map((j) => j.part))
  return Array.from({ length: record.parts }, (_, i) => i + 1).filter((part) => !have.has(part))
}
