import { ApiError } from '../../src/net/api-error.js'
import { isAmbiguous } from '../../src/net/transient.js'
import { createIotClient, type IotApi } from '../../src/platform/client.js'
import type { FirmwareDetail, UploadTicket } from '../../src/platform/models.js'
import { createRetrier } from '../../src/platform/retrier.js'
import type { RpcCall } from '../../src/platform/rpc-caller.js'
import type { PublishDeps } from '../../src/publish/publish.js'
import type { FirmwareUploader } from '../../src/upload/uploader.js'

/** The digest and size the fake platform fills in when CreateOTAFirmware leaves them out, as the emulator does. */
export const PLATFORM_MD5 = '0123456789abcdef0123456789abcdef'

type Handler = (query: Readonly<Record<string, string>>) => Promise<unknown>

export function uploadTicket(n: number): UploadTicket {
  return { Host: 'https://bucket', Key: `ota/${n}.bin`, OSSAccessKeyId: 'oss', Policy: 'p', Signature: 's', FirmwareUrl: `https://bucket/ota/${n}.bin` }
}

/**
 * An in-memory platform at the wire, under the real client: each publish operation answers as the
 * API does (list rows without FirmwareUrl and MultiFiles, QueryOTAFirmware's URLs signed); a test replaces an
 * operation's handler with `on` to make it fail, and may call the platform's own `create` from it.
 */
export function fakePlatform(rows: FirmwareDetail[] = []) {
  const calls: string[] = []
  const created: Record<string, string>[] = []
  let tickets = 0
  const create: Handler = async (params) => {
    created.push({ ...params })
    const FirmwareId = `fw${created.length}`
    const { FirmwareName = '', DestVersion = '', ModuleName = 'default', FirmwareUrl, SignMethod } = params
    const FirmwareSign = params.FirmwareSign ?? PLATFORM_MD5
    const FirmwareSize = Number(params.FirmwareSize ?? 100)
    rows.push({ FirmwareId, FirmwareName, DestVersion, ModuleName, FirmwareUrl, FirmwareSign, FirmwareSize, SignMethod, UtcCreate: 't1' })
    return { Data: { FirmwareId, UtcCreate: 't1' } }
  }
  const handlers: Record<string, Handler> = {
    GenerateOTAUploadURL: async () => ({ Data: uploadTicket(++tickets) }),
    CreateOTAFirmware: create,
    // Without DestVersion: the account's count (its Total) before a new package.
    ListOTAFirmware: async (q) => {
      const matching = rows.filter((row) => q.DestVersion === undefined || row.DestVersion === q.DestVersion)
      return {
        PageCount: 1,
        Total: matching.length,
        FirmwareInfo: { SimpleFirmwareInfo: matching.map(({ FirmwareUrl: _hidden, MultiFiles: _also, ...row }) => row) }
      }
    },
    QueryOTAFirmware: async (q) => {
      const row = rows.find((r) => r.FirmwareId === q.FirmwareId)
      if (!row) throw new ApiError('QueryOTAFirmware', 'iot.ota.FirmwareNotFound', 'gone', 200)
      const signed = (url: string | undefined) => url && `${url}?Expires=1&Signature=x`
      return { FirmwareInfo: { ...row, FirmwareUrl: signed(row.FirmwareUrl), MultiFiles: row.MultiFiles?.map((f) => ({ ...f, Url: signed(f.Url) })) } }
    },
    // The plan's module exists; module-check.test.ts covers the check itself.
    ListOTAModuleByProduct: async () => ({ Data: [{ ModuleName: 'default' }, { ModuleName: 'wifi' }] })
  }
  const call: RpcCall = async (action, _method, query) => {
    calls.push(action)
    const handler = handlers[action]
    if (handler === undefined) throw new Error(`not expected: ${action}`)
    return (await handler(query)) as never
  }
  const on = (action: string, handler: Handler): void => void (handlers[action] = handler)
  return { call, calls, created, rows, on, create }
}

export type FakePlatform = ReturnType<typeof fakePlatform>

/**
 * A publish's dependencies around a fake platform (none: a dry run without credentials), under the
 * real client and the real retry without waits; log lines are kept.
 */
export function publishDeps(
  platform: FakePlatform | undefined,
  uploader: (iot: IotApi | undefined) => FirmwareUploader | undefined,
  overrides: Partial<PublishDeps> & { maxAttempts?: number } = {}
): PublishDeps & { warnings: string[]; infos: string[] } {
  const warnings: string[] = []
  const infos: string[] = []
  const { maxAttempts = 5, ...rest } = overrides
  const log = {
    info: (m: string) => void infos.push(m),
    warning: (m: string) => void warnings.push(m),
    debug: () => undefined,
    group: <T>(_name: string, fn: () => Promise<T>) => fn()
  }
  const policy = { maxAttempts, baseDelayMs: 1, maxDelayMs: 1, deadline: Number.POSITIVE_INFINITY, now: () => 0, sleep: async () => undefined, random: () => 0 }
  const retry = createRetrier(policy, log)
  const iot = platform && createIotClient({ call: platform.call, retry, isAmbiguous, log })
  return {
    iot,
    uploader: uploader(iot),
    digestFile: async () => ({ size: 100, digests: { MD5: PLATFORM_MD5 } }),
    retry,
    log,
    dryRun: false,
    onVersionConflict: 'fail',
    packageQuota: 500,
    warnings,
    infos,
    ...rest
  }
}
