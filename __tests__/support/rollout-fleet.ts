import type { JobDetail, OtaTask, TaskPage } from '../../src/platform/models.js'
import { TASK_STATUSES, type TaskStatus } from '../../src/platform/job-rules.js'
import { fakeApi } from './jobs-fakes.js'
import type { IotApi } from '../../src/platform/client.js'

export type Counts = Partial<Record<TaskStatus, number>>

/** Task rows made up on demand from counts, so a 100,000-device job costs nothing to fake. */
function rows(counts: Counts, status: TaskStatus | undefined, from: number, to: number, desc: (i: number) => string | undefined): OtaTask[] {
  const statuses = status ? [status] : TASK_STATUSES.filter((s) => (counts[s] ?? 0) > 0)
  const out: OtaTask[] = []
  let offset = 0
  for (const s of statuses) {
    const n = counts[s] ?? 0
    for (let i = Math.max(from - offset, 0); i < Math.min(to - offset, n); i++) {
      out.push({ TaskId: `${s}-${i}`, DeviceName: `dev-${s}-${i}`, TaskStatus: s, Progress: 0, TaskDesc: s === 'FAILED' ? desc(i) : undefined })
    }
    offset += n
  }
  return out
}

export function fleetPage(
  counts: Counts,
  page: number,
  size: number,
  status?: string,
  desc: (i: number) => string | undefined = () => 'download failed'
): TaskPage {
  const total = status ? (counts[status as TaskStatus] ?? 0) : Object.values(counts).reduce((a, b) => a + (b ?? 0), 0)
  return {
    Tasks: rows(counts, status as TaskStatus | undefined, (page - 1) * size, page * size, desc),
    Total: total,
    CurrentPage: page,
    PageSize: size,
    PageCount: Math.ceil(total / size)
  }
}

export function jobDetail(over: Partial<JobDetail> = {}): JobDetail {
  return { JobId: 'J1', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE', SelectionType: 'STATIC', TargetSelection: 'ALL', SrcVersions: [], ...over }
}

/** Every unfinished task of the counts turned CANCELED, as a cancel of them all does. */
export function cancelUnfinished(counts: Counts): void {
  for (const status of ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'] as const) {
    counts.CANCELED = (counts.CANCELED ?? 0) + (counts[status] ?? 0)
    counts[status] = 0
  }
}

/**
 * A job whose counts move one snapshot per QueryOTAJob (the last one stays); CancelOTATaskByJob
 * cancels every unfinished task of the snapshot in view (`now()`), unless a test says otherwise.
 */
export function fleetApi(snapshots: { status?: string; counts: Counts }[], extra: Partial<IotApi> = {}, desc?: (i: number) => string | undefined) {
  let poll = -1
  const now = () => snapshots[Math.min(Math.max(poll, 0), snapshots.length - 1)]!
  return Object.assign(
    fakeApi({
      queryJob: async () => {
        poll++
        return jobDetail({ JobStatus: now().status ?? 'IN_PROGRESS' })
      },
      listTasksByJob: async (_j, page, size, status) => fleetPage(now().counts, page, size, status, desc),
      cancelTasksByJob: async () => cancelUnfinished(now().counts),
      cancelStrategyByJob: async () => undefined,
      ...extra
    }),
    { now }
  )
}
