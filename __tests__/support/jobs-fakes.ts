import type { IotApi } from '../../src/platform/client.js'
import type { OtaTask, TaskPage } from '../../src/platform/models.js'
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

/** An IotApi whose every operation rejects unless the test gives it. */
export function fakeApi(overrides: Partial<IotApi> = {}): IotApi & { calls: string[] } {
  const calls: string[] = []
  const reject = (name: string) => async () => {
    throw new Error(`unexpected call ${name}`)
  }
  const names: (keyof IotApi)[] = [
    'generateUploadUrl',
    'createFirmware',
    'listFirmware',
    'queryFirmware',
    'deleteFirmware',
    'listModules',
    'createVerifyJob',
    'createStaticUpgradeJob',
    'createDynamicUpgradeJob',
    'queryJob',
    'listTasksByJob',
    'listJobsByFirmware',
    'cancelTasksByJob',
    'cancelStrategyByJob',
    'cancelTasksByDevice'
  ]
  const api = { calls } as Record<string, unknown>
  for (const name of names) {
    const impl = (overrides[name] ?? reject(name)) as (...args: unknown[]) => Promise<unknown>
    api[name] = (...args: unknown[]) => {
      calls.push(name)
      return impl(...args)
    }
  }
  return api as unknown as IotApi & { calls: string[] }
}

export interface LogLines {
  info: string[]
  warning: string[]
}

export function fakeDeps(api: IotApi, clock = fakeClock(), overrides: Partial<JobDeps> = {}): JobDeps & { lines: LogLines } {
  const lines: LogLines = { info: [], warning: [] }
  return {
    api,
    clock,
    minuteMs: 60_000,
    pacing: POLL_PACING,
    log: {
      info: (m) => lines.info.push(m),
      warning: (m) => lines.warning.push(m),
      debug: () => undefined,
      group: (_name, fn) => fn()
    },
    lines,
    postDeviceList: async () => Promise.reject(new Error('unexpected device-list upload')),
    readWorkspaceFile: async (path) => Promise.reject(new Error(`unexpected read of ${path}`)),
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

/** A package as QueryOTAFirmware reads it, with the Status the test gives. */
export function firmware(FirmwareId: string, Status: number, VerifyProgress = 0) {
  return { FirmwareId, FirmwareName: `fw-${FirmwareId}`, DestVersion: '1.2.3', ModuleName: 'default', Status, VerifyProgress }
}

/**
 * A create whose answer is lost: it takes effect (`effect`), then, as the client does after an
 * unknown outcome, only the lookup it was given can say what it made. Fails when the lookup finds nothing.
 */
export function losingAnswer<R>(effect: () => void): (params: unknown, lookup: () => Promise<R | undefined>) => Promise<R> {
  return async (_params, lookup) => {
    effect()
    const found = await lookup()
    if (found === undefined) throw new Error('the lookup did not find what the create made')
    return found
  }
}
