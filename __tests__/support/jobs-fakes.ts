import type { JobsApi, OtaTask, TaskPage } from '../../src/jobs/api.js'
import type { JobDeps } from '../../src/jobs/deps.js'
import type { Clock } from '../../src/jobs/poll.js'
import { POLL_PACING } from '../../src/jobs/poll.js'

/** A clock whose sleep moves time on at once, and remembers each wait. */
export function fakeClock(start = Date.parse('2026-06-01T00:00:00Z')): Clock & { sleeps: number[] } {
  let t = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms)
      t += ms
    }
  }
}

/** A JobsApi whose every operation rejects unless the test gives it. */
export function fakeApi(overrides: Partial<JobsApi> = {}): JobsApi & { calls: string[] } {
  const calls: string[] = []
  const reject = (name: string) => async () => {
    throw new Error(`unexpected call ${name}`)
  }
  const names: (keyof JobsApi)[] = [
    'createVerifyJob',
    'createStaticUpgradeJob',
    'createDynamicUpgradeJob',
    'queryJob',
    'listTasksByJob',
    'listJobsByFirmware',
    'cancelTasksByJob',
    'cancelStrategyByJob',
    'queryFirmware'
  ]
  const api = { calls } as Record<string, unknown>
  for (const name of names) {
    const impl = (overrides[name] ?? reject(name)) as (...args: unknown[]) => Promise<unknown>
    api[name] = (...args: unknown[]) => {
      calls.push(name)
      return impl(...args)
    }
  }
  return api as unknown as JobsApi & { calls: string[] }
}

export interface LogLines {
  info: string[]
  warning: string[]
}

export function fakeDeps(api: JobsApi, clock = fakeClock(), overrides: Partial<JobDeps> = {}): JobDeps & { lines: LogLines } {
  const lines: LogLines = { info: [], warning: [] }
  return {
    api,
    clock,
    minuteMs: 60_000,
    pacing: POLL_PACING,
    retry: (_operation, fn) => fn(),
    isAmbiguous: () => false,
    log: {
      info: (m) => lines.info.push(m),
      warning: (m) => lines.warning.push(m),
      debug: () => undefined,
      group: (_name, fn) => fn()
    },
    lines,
    ...overrides
  }
}

export function task(DeviceName: string, TaskStatus: string, Progress = 0, TaskDesc?: string): OtaTask {
  return { TaskId: `T-${DeviceName}`, DeviceName, TaskStatus, Progress, TaskDesc }
}

/** ListOTATaskByJob over an in-memory task list, with the paging and status filter the API documents. */
export function pageOf(tasks: readonly OtaTask[], page: number, pageSize: number, status?: string): TaskPage {
  const rows = status ? tasks.filter((t) => t.TaskStatus === status) : tasks
  return {
    Tasks: rows.slice((page - 1) * pageSize, page * pageSize),
    Total: rows.length,
    CurrentPage: page,
    PageSize: pageSize,
    PageCount: Math.ceil(rows.length / pageSize)
  }
}
