import type { Behaviour } from '../devices/fleet.js'

/** ListOTATaskByJob's TaskStatus values (documented). */
export const TASK_STATUSES = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** The unfinished ones, as ListOTAUnfinishedTaskByDevice counts them. */
export const UNFINISHED_STATUSES: ReadonlySet<TaskStatus> = new Set(['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'])

export interface TaskState {
  status: TaskStatus
  /** The last step the device reported, 0 to 100. */
  progress: number
  desc: string
  /** When the state last changed (UtcModified). */
  changedAt: number
}

/** What a device reports, minute by minute, after it got the push; then how it ends. */
interface Script {
  steps: readonly number[]
  end: { kind: 'succeed' } | { kind: 'fail'; desc: string } | { kind: 'silent' }
}

export const TIMEOUT_DESC = 'timeout: no upgrade result reported within TimeoutInMinutes of the first progress report'

/**
 * The TaskDesc of each way a task fails, so that a client can tell them apart: the device's
 * negative step and what it means (Link SDK: -1 upgrade failed, -2 download, -3 checksum or
 * signature, -4 flash write), a timeout, or the platform's one-batch rule.
 */
export const FAILURE_DESCS = {
  rejected: 'step -1: upgrade rejected by the device',
  download: 'step -2: download failed',
  verify: 'step -3: verification (checksum/signature) failed',
  install: 'step -4: flash write (burn) failed',
  timeout: TIMEOUT_DESC,
  busy: 'the device has an unfinished task in job'
} as const

const FULL = [20, 40, 60, 80, 100]
const SUCCEED: Script = { steps: FULL, end: { kind: 'succeed' } }
const SCRIPTS: Record<Behaviour, Script> = {
  succeed: SUCCEED,
  // An `offline` device that comes online behaves as a good one.
  offline: SUCCEED,
  'fail-download': { steps: [20], end: { kind: 'fail', desc: FAILURE_DESCS.download } },
  'fail-verify': { steps: FULL, end: { kind: 'fail', desc: FAILURE_DESCS.verify } },
  'fail-install': { steps: FULL, end: { kind: 'fail', desc: FAILURE_DESCS.install } },
  // Refused before downloading anything: the first report is the negative step.
  reject: { steps: [], end: { kind: 'fail', desc: FAILURE_DESCS.rejected } },
  stall: { steps: [20, 40], end: { kind: 'silent' } },
  // What these do after the upgrade is the device's presence and version, not the task's.
  'offline-after-upgrade': SUCCEED,
  rollback: SUCCEED
}

/** Everything a task's course depends on; its state is a pure function of this and the instant. */
export interface Timeline {
  behaviour: Behaviour
  createdAt: number
  /** The first push (after the schedule, the pacing slot and the device coming online); Infinity for never. */
  pushAt: number
  minuteMs: number
  timeoutMinutes?: number
  retry?: { intervalMinutes: number; count: number }
  /** CONFIRM until an app confirms it; the emulator has no ConfirmOTATask, so for ever. */
  needConfirm: boolean
}

interface Attempt {
  state: TaskState
  /** When a negative step ended it (retried if retries are left); timeouts are never retried. */
  failedAt?: number
}

function attemptAt(t: Timeline, pushAt: number, now: number): Attempt {
  const m = t.minuteMs
  const { steps, end } = SCRIPTS[t.behaviour]
  const reported = (at: number) => steps[Math.min(steps.length, Math.floor((at - pushAt) / m)) - 1] ?? 0
  // The timeout clock starts at the first progress report, one minute after the push.
  const deadline = t.timeoutMinutes === undefined ? Infinity : pushAt + m + t.timeoutMinutes * m
  const endAt = end.kind === 'silent' ? Infinity : pushAt + (steps.length + 1) * m
  if (deadline < endAt && now >= deadline) {
    return { state: { status: 'FAILED', progress: reported(deadline - 1), desc: TIMEOUT_DESC, changedAt: deadline } }
  }
  if (now >= endAt && end.kind === 'succeed') return { state: { status: 'SUCCEEDED', progress: 100, desc: '', changedAt: endAt } }
  if (now >= endAt && end.kind === 'fail') return { state: { status: 'FAILED', progress: reported(endAt), desc: end.desc, changedAt: endAt }, failedAt: endAt }
  const minutes = Math.floor((now - pushAt) / m)
  if (minutes < 1) return { state: { status: 'NOTIFIED', progress: 0, desc: '', changedAt: pushAt } }
  const last = Math.min(minutes, steps.length)
  return { state: { status: 'IN_PROGRESS', progress: reported(now), desc: '', changedAt: pushAt + last * m } }
}

/** The task's state at `now`: queued until pushed, then the behaviour's script, retried after a negative step. */
export function stateAt(t: Timeline, now: number): TaskState {
  if (t.needConfirm) return { status: 'CONFIRM', progress: 0, desc: '', changedAt: t.createdAt }
  let pushAt = t.pushAt
  let waiting: TaskState = { status: 'QUEUED', progress: 0, desc: '', changedAt: t.createdAt }
  const attempts = 1 + (t.retry?.count ?? 0)
  for (let attempt = 1; ; attempt++) {
    if (now < pushAt) return waiting
    const { state, failedAt } = attemptAt(t, pushAt, now)
    if (failedAt === undefined || attempt >= attempts || t.retry === undefined) return state
    pushAt = failedAt + t.retry.intervalMinutes * t.minuteMs
    waiting = { status: 'QUEUED', progress: 0, desc: `${state.desc}; retry ${attempt} of ${t.retry.count} queued`, changedAt: failedAt }
  }
}

export function isFinal(status: TaskStatus): boolean {
  return !UNFINISHED_STATUSES.has(status)
}

/** Progress as ListOTATaskByJob writes it: `"40.00"`. */
export function progressText(progress: number): string {
  return progress.toFixed(2)
}
