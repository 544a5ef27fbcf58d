import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { PLATFORM_BUCKET } from '../oss/bucket-names.js'
import type { EmulatorContext } from '../server/context.js'
import { BusinessError, GatewayError } from '../server/responses.js'
import { randomHex } from '../state/ids.js'
import type { FirmwareRecord, StoredObject } from '../state/store.js'
import { createOtaFirmware } from './create-ota-firmware.js'
import type { SignMethod } from './documented-rules.js'
import { RpcParams } from './rpc-params.js'

/**
 * A package to put in the account as if CreateOTAFirmware had made it at `UtcCreate`, with a file
 * uploaded through GenerateOTAUploadURL: so that retention (a prune of packages "created 40 days
 * ago") can be tested without waiting. Field names are the API's.
 */
export interface SeedFirmware {
  FirmwareName: string
  DestVersion: string
  /** When the package was created, ISO 8601 (`2024-05-01T00:00:00.000Z`), not in the future; default now. */
  UtcCreate?: string
  ProductKey?: string
  ModuleName?: string
  Type?: 0 | 1
  SrcVersion?: string
  SignMethod?: SignMethod
  /** Default true, as for CreateOTAFirmware. */
  NeedToVerify?: boolean
  FirmwareDesc?: string
  Udi?: string
  /** The file's bytes as UTF-8 text; default a line naming the package. */
  content?: string
}

const TEXT_FIELDS = [
  'FirmwareName',
  'DestVersion',
  'UtcCreate',
  'ProductKey',
  'ModuleName',
  'SrcVersion',
  'SignMethod',
  'FirmwareDesc',
  'Udi',
  'content'
] as const

function fail(detail: string, value: unknown): never {
  throw new Error(`Invalid seed package ${JSON.stringify(value)}: ${detail}`)
}

/** Checks a seed package that came from outside (HTTP, options) and drops unknown properties. */
export function parseSeedFirmware(value: unknown): SeedFirmware {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected an object', value)
  const v = value as Record<string, unknown>
  const seed: Record<string, unknown> = {}
  for (const name of TEXT_FIELDS) {
    if (v[name] === undefined) continue
    if (typeof v[name] !== 'string') fail(`${name} must be a string`, value)
    seed[name] = v[name]
  }
  if (typeof seed.FirmwareName !== 'string' || typeof seed.DestVersion !== 'string') fail('FirmwareName and DestVersion are required', value)
  if (v.Type !== undefined && v.Type !== 0 && v.Type !== 1) fail('Type must be 0 or 1', value)
  if (v.NeedToVerify !== undefined && typeof v.NeedToVerify !== 'boolean') fail('NeedToVerify must be true or false', value)
  if (seed.UtcCreate !== undefined && Number.isNaN(Date.parse(seed.UtcCreate as string))) fail('UtcCreate must be an ISO 8601 time', value)
  return { ...seed, ...(v.Type !== undefined && { Type: v.Type }), ...(v.NeedToVerify !== undefined && { NeedToVerify: v.NeedToVerify }) } as SeedFirmware
}

/** Stores the file as PostObject would, under a key and URL as GenerateOTAUploadURL hands them out. */
function storeSeedFile(context: EmulatorContext, content: Buffer): string {
  const key = `ota/${randomHex(16)}/${randomHex(16).toUpperCase()}.bin`
  const object: StoredObject = {
    bucket: PLATFORM_BUCKET,
    key,
    size: content.length,
    md5: createHash('md5').update(content).digest('hex'),
    sha256: createHash('sha256').update(content).digest('hex'),
    path: context.store.objectPath(key)
  }
  mkdirSync(dirname(object.path), { recursive: true })
  writeFileSync(object.path, content)
  context.store.objects.set(key, object)
  const url = `${context.urls.bucket(PLATFORM_BUCKET)}/${key}`
  context.store.uploadUrls.set(url, key)
  return url
}

/** CreateOTAFirmware's parameters for a seed package, as a client would send them. */
function createParams(seed: SeedFirmware, firmwareUrl: string): RpcParams {
  const { content: _content, UtcCreate: _utcCreate, Type, NeedToVerify, ...texts } = seed
  const values: Record<string, string> = { ...texts, FirmwareUrl: firmwareUrl }
  if (Type !== undefined) values.Type = String(Type)
  if (NeedToVerify !== undefined) values.NeedToVerify = String(NeedToVerify)
  return new RpcParams(values)
}

/** Creates one seed package through CreateOTAFirmware's own rules (names, versions, modules, quota) at its UtcCreate. */
function seedOne(context: EmulatorContext, seed: SeedFirmware, now: number): FirmwareRecord {
  const at = seed.UtcCreate === undefined ? now : Date.parse(seed.UtcCreate)
  if (at > now) throw new Error(`Seed package ${seed.FirmwareName}: UtcCreate ${seed.UtcCreate} is in the future.`)
  const url = storeSeedFile(context, Buffer.from(seed.content ?? `seeded package ${seed.FirmwareName} ${seed.DestVersion}\n`, 'utf8'))
  const [account] = context.settings.accounts.values()
  try {
    const created = createOtaFirmware({ action: 'CreateOTAFirmware', params: createParams(seed, url), account: account!, now: at, context }) as {
      Data: { FirmwareId: string }
    }
    return structuredClone(context.store.firmwares.get(created.Data.FirmwareId)!)
  } catch (error) {
    context.store.forgetUpload(url)
    if (error instanceof BusinessError || error instanceof GatewayError) throw new Error(`Seed package ${seed.FirmwareName}: ${error.code}: ${error.message}`)
    throw error
  }
}

/** Puts the packages in the account, all or none; returns them as created. */
export function seedFirmwares(context: EmulatorContext, seeds: readonly SeedFirmware[], now = Date.now()): FirmwareRecord[] {
  const created: FirmwareRecord[] = []
  try {
    for (const seed of seeds) created.push(seedOne(context, parseSeedFirmware(seed), now))
  } catch (error) {
    for (const firmware of created) {
      context.store.firmwares.delete(firmware.FirmwareId)
      if (firmware.FirmwareUrl !== undefined) context.store.forgetUpload(firmware.FirmwareUrl)
    }
    throw error
  }
  return created
}
