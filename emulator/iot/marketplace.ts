import { API_VERSION } from './documented-rules.js'
import { BusinessError, gatewayErrors, type RpcReply } from '../server/responses.js'
import type { RpcAuthRequest } from './rpc-auth.js'
import { invalidFormat, type RpcParams } from './rpc-params.js'
import type { Store } from '../state/store.js'

/**
 * The marketplace variant (Tuya's "IoT on Alibaba Cloud" instances): the same operations behind a
 * gateway of its own. What its pages document, and what is the emulator's choice, is listed in
 * emulator/README.md ("The marketplace variant").
 */
export type ApiVariant = 'alibaba' | 'marketplace'
export const API_VARIANTS: readonly ApiVariant[] = ['alibaba', 'marketplace']

/** The versions its common-parameters page names; the parameter itself is optional (the samples leave it out). */
const VERSIONS = [API_VERSION, '2022-01-01']
/** Parameters of Alibaba's API that no marketplace page has: refused, so a client that sends them is caught. */
const FOREIGN_PARAMS = ['IotInstanceId', 'RegionId']

/** Gateway checks before the signature: GET only, the query signature only, Version optional. */
export function checkMarketplaceRequest(request: RpcAuthRequest): void {
  if (request.method !== 'GET') throw gatewayErrors.unsupportedMethod()
  if (request.headers.authorization !== undefined) {
    throw gatewayErrors.incompleteSignature('This gateway accepts only the HMAC-SHA1 query signature (Signature in the query string).')
  }
  const version = request.params.Version
  if (version !== undefined && !VERSIONS.includes(version)) throw gatewayErrors.invalid('Version')
  const foreign = FOREIGN_PARAMS.find((name) => request.params[name] !== undefined)
  if (foreign) throw gatewayErrors.invalid(foreign)
}

/** CreateOTAFirmware takes full packages only ("differential packages will be supported later"), one file each. */
export function checkMarketplaceCreate(params: RpcParams, type: number): void {
  if (type !== 0) throw invalidFormat('Type', String(type))
  if (params.listIndices('MultiFiles').length > 0) throw new BusinessError('iot.check.InvalidFormattedParameter', 'MultiFiles is not supported.')
}

/** The job creates take no `Tag.N` there: no marketplace page has it (CreateOTAVerifyJob's table lists none). */
export function checkMarketplaceJob(action: string, params: RpcParams): void {
  if (/^CreateOTA\w+Job$/.test(action) && params.listIndices('Tag').length > 0) {
    throw new BusinessError('iot.check.InvalidFormattedParameter', 'Tag.N is not supported by this gateway.')
  }
}

const nextIds = new WeakMap<Store, number>()

/** Short decimal ids (`"143"`), counting up for the life of the emulator, as in the samples. */
export function marketplaceFirmwareId(store: Store): string {
  const id = nextIds.get(store) ?? 143
  nextIds.set(store, id + 1)
  return String(id)
}

/** `FirmwareId` → `firmwareId`, `OSSAccessKeyId` → `ossAccessKeyId`: a leading acronym is lowered whole. */
function lowerCamelName(name: string): string {
  return name.replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]+$|^[A-Z]/, (head) => head.toLowerCase())
}

/**
 * Lower-camel keys at every level; a wrapper object whose one field is a list (`FirmwareInfo:
 * {SimpleFirmwareInfo: […]}`) becomes the list itself, as the field tables describe it.
 */
function lowerCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamel)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value).filter(([, v]) => v !== undefined)
  if (entries.length === 1 && Array.isArray(entries[0]?.[1])) return lowerCamel(entries[0][1])
  return Object.fromEntries(entries.map(([k, v]) => [lowerCamelName(k), lowerCamel(v)]))
}

/**
 * An answer as the marketplace writes it: lower-camel JSON with `code` ("" on success), a lower-case
 * `requestId` and `success`. Errors keep their HTTP status and carry `errorMessage` (the emulator's
 * choice: no error body is published).
 */
export function marketplaceReply(reply: RpcReply): RpcReply {
  const { RequestId, Success: _success, Code, ErrorMessage, Message, HostId: _hostId, Recommend: _recommend, ...fields } = reply.body
  const failed = reply.code !== undefined
  const head = failed ? { code: Code, errorMessage: ErrorMessage ?? Message } : { code: '' }
  const rest = Object.fromEntries(Object.entries(fields).map(([name, value]) => [lowerCamelName(name), lowerCamel(value)]))
  return { ...reply, body: { ...head, ...rest, requestId: String(RequestId).toLowerCase(), success: !failed } }
}
