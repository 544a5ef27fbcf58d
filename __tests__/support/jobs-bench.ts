import { JobModel } from '../../emulator/jobs/jobs.js'
import { RpcParams } from '../../emulator/iot/rpc-params.js'
import { BusinessError, GatewayError } from '../../emulator/server/responses.js'
import type { ChurnOptions } from '../../emulator/devices/churn.js'
import type { DeviceSpec } from '../../emulator/devices/fleet.js'
import { jobErrors } from '../../emulator/jobs/errors.js'
import { jobOperations } from '../../emulator/jobs/operations.js'
import type { FirmwareView } from '../../emulator/jobs/targets.js'

/** The jobs model with a hand-moved clock: a "minute" is MINUTE ms, and nothing waits for real time. */
export const T0 = Date.UTC(2026, 0, 1)
export const MINUTE = 1000
export const PK = 'a1ProductKey'

/** A package needing verification; `unverifiable()` for one that needs none. */
export function firmware(overrides: Partial<FirmwareView> = {}): FirmwareView {
  return { FirmwareId: 'fw-1', ProductKey: PK, ModuleName: 'default', DestVersion: '2.0.0', NeedToVerify: true, Status: 0, ...overrides }
}

export function jobsBench(devices: readonly DeviceSpec[], firmwares: FirmwareView[] = [firmware()], churn?: ChurnOptions) {
  const model = new JobModel({ devices, minuteMs: MINUTE, origin: T0, churn })
  const byId = new Map(firmwares.map((f) => [f.FirmwareId, f]))
  const clock = { now: T0 }
  // DnListFileUrl files by URL, as if uploaded; each serves one job.
  const lists = new Map<string, { text: string; usedBy?: string }>()
  const deviceList = (url: string) => {
    const list = lists.get(url)
    if (!list || list.usedBy !== undefined) throw jobErrors.illegal(`no unused list at ${url}`)
    return { text: list.text, consume: (jobId: string) => (list.usedBy = jobId) }
  }
  const ops = jobOperations(model, { firmware: (id) => byId.get(id), now: () => clock.now, deviceList })
  const call = (action: string, params: Record<string, string>) => {
    const operation = ops.get(action)
    if (!operation) throw new Error(`no operation ${action}`)
    try {
      return operation(new RpcParams(params))
    } catch (error) {
      // Parameters the RPC layer itself refuses (missing, unreadable) come as the emulator's errors.
      if (error instanceof BusinessError || error instanceof GatewayError) return { error: { code: error.code, message: error.message } }
      throw error
    }
  }
  // Answers are read field by field in assertions; their shape is what is under test.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ok = (action: string, params: Record<string, string>): Record<string, any> => {
    const answer = call(action, params)
    if ('error' in answer) throw new Error(`${action} refused: ${answer.error.code} ${answer.error.message}`)
    return answer.body
  }
  const refused = (action: string, params: Record<string, string>): string => {
    const answer = call(action, params)
    if (!('error' in answer)) throw new Error(`${action} was accepted`)
    return answer.error.code
  }
  const device = (name: string) => {
    const found = model.fleet.device(PK, name)
    if (!found) throw new Error(`no device ${name}`)
    return found
  }
  return {
    model,
    ok,
    refused,
    /** Moves the clock to `minutes` scaled minutes after T0. */
    at: (minutes: number) => {
      clock.now = T0 + minutes * MINUTE
    },
    /** QueryOTAFirmware's Status and VerifyProgress now. */
    verification: (view: FirmwareView = firmware()) => model.verification(view, clock.now),
    /** A device list file at `url`, as uploaded for DnListFileUrl. */
    list: (url: string, text: string) => lists.set(url, { text }),
    /** Forgets a package, as DeleteOTAFirmware does. */
    forget: (firmwareId: string) => byId.delete(firmwareId),
    /** Whether a device is online now, since when, and when it last came online. */
    presence: (name: string) => model.presenceOf(device(name), clock.now),
    /** The version a device reports on a module now. */
    version: (name: string, moduleName = 'default') => model.book.versionAt(device(name), moduleName, clock.now),
    /** ListOTATaskByJob's Total for one status. */
    count: (jobId: string, status: string) => ok('ListOTATaskByJob', { JobId: jobId, TaskStatus: status, PageSize: '1' }).Total as number,
    tasks: (jobId: string) => ok('ListOTATaskByJob', { JobId: jobId, PageSize: '100' }).Data.SimpleOTATaskInfo as Record<string, string>[]
  }
}

export const names = (list: string[], key = 'TargetDeviceName') => Object.fromEntries(list.map((n, i) => [`${key}.${i + 1}`, n]))

/** A package created with NeedToVerify=false: batch jobs may start at once. */
export const unverifiable = (overrides: Partial<FirmwareView> = {}) => firmware({ NeedToVerify: false, Status: -1, ...overrides })
