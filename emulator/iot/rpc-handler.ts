import type { IncomingMessage, ServerResponse } from 'node:http'
import { API_VERSION } from './documented-rules.js'
import { finishRequest, pause, type EmulatorContext } from '../server/context.js'
import type { TakenFault } from '../server/faults.js'
import { flattenHeaders, readBody } from '../server/http-util.js'
import { newRequestId } from '../state/ids.js'
import {
  BusinessError,
  businessReply,
  GatewayError,
  gatewayErrors,
  gatewayReply,
  sendRpcReply,
  successReply,
  type RpcFormat,
  type RpcReply
} from '../server/responses.js'
import { authenticateRpc, claimedAccessKeyId, isV3, type RpcAuthRequest } from './rpc-auth.js'
import { checkDeclaredMethod } from './http-methods.js'
import type { Settings } from '../server/options.js'
import { checkMarketplaceRequest, marketplaceReply } from './marketplace.js'
import type { Operation, OperationCall } from './operation.js'
import { operationLimit } from './operation-qps.js'
import { OPERATIONS } from './rpc-operations.js'
import { RpcParams } from './rpc-params.js'
import { sha256Hex } from '../signing/acs3.js'
import { parseRawQuery, rawQueryOf } from '../signing/rfc3986.js'
import type { RequestRecord } from '../state/store.js'

/** RPC parameters are short; anything bigger is not an IoT API call. */
const MAX_RPC_BODY_BYTES = 1024 * 1024

function throttled(form: 'gateway' | 'business'): Error {
  return form === 'gateway' ? gatewayErrors.throttled() : new BusinessError('iot.common.TooManyRequest', 'Request was denied due to user flow control.')
}

/** A RAM denial: the gateway's 403, or the IoT API's own business code (both documented). */
function denied(form: 'gateway' | 'business' | undefined): Error {
  return form === 'business'
    ? new BusinessError('iot.common.RamActionPermissionDeny', 'You do not have the RAM permission to access the resource.')
    : gatewayErrors.forbidden()
}

/** V3 always answers JSON; V2 answers in Format, which defaults to XML (any case of `json` gives JSON). */
function answerFormat(v3: boolean, params: Readonly<Record<string, string>>): RpcFormat {
  return v3 || (params.Format ?? 'XML').toUpperCase() === 'JSON' ? 'JSON' : 'XML'
}

async function parseRequest(req: IncomingMessage): Promise<RpcAuthRequest | undefined> {
  const body = await readBody(req, MAX_RPC_BODY_BYTES)
  if (body === undefined) return undefined
  // The query as a gateway following RFC 3986 reads it; a form body by the form rules (`+` is a space there).
  const query = parseRawQuery(rawQueryOf(req.url ?? '/'))
  const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
  const form = isForm ? [...new URLSearchParams(body.toString('utf8'))] : []
  const params = Object.fromEntries([...query, ...form])
  return { method: req.method ?? 'GET', headers: flattenHeaders(req), query, form, params, bodySha256: sha256Hex(body) }
}

/** The gateway's checks before authentication, in Alibaba's order; returns the operation called. */
function gatewayCheck(request: RpcAuthRequest | undefined, v3: boolean, action: string, settings: Settings): { request: RpcAuthRequest; operation: Operation } {
  const marketplace = settings.apiVariant === 'marketplace'
  if (request === undefined) throw new GatewayError(413, 'RequestEntityTooLarge', 'The request body is too large for an RPC call.')
  if (request.method !== 'GET' && request.method !== 'POST') throw gatewayErrors.unsupportedMethod()
  if (!action) throw gatewayErrors.missing('Action')
  if (marketplace) checkMarketplaceRequest(request)
  else checkVersion(v3 ? request.headers['x-acs-version'] : request.params.Version)
  const operation = OPERATIONS.get(action)
  if (!operation) throw gatewayErrors.apiNotFound()
  // The marketplace's gateway takes GET for every operation (checked above); Alibaba's, what the metadata declares.
  if (!marketplace && settings.httpMethods === 'declared') checkDeclaredMethod(action, request.method)
  return { request, operation }
}

function checkVersion(version: string | undefined): void {
  if (!version) throw gatewayErrors.missing('Version')
  if (version !== API_VERSION) throw gatewayErrors.invalid('Version')
}

/** Applies a fault that answers instead of the operation; false when the call must not go on (dropped, closing). */
async function applyFault(fault: TakenFault | undefined, context: EmulatorContext, drop: () => void): Promise<boolean> {
  switch (fault?.kind) {
    case 'drop':
      drop()
      return false
    case 'server-error':
      throw gatewayErrors.serverError(fault.status ?? 500)
    case 'throttle':
      throw throttled(fault.form ?? context.settings.throttleForm)
    case 'slow':
      return pause(fault.delayMs, context)
    default:
      return true
  }
}

/** The operation itself, after the account's own limits; a lost-answer (or ambiguous-create) fault carries it out and loses the answer. */
function runOperation(operation: Operation, call: OperationCall, fault: TakenFault | undefined): Record<string, unknown> | undefined {
  const { context, account } = call
  const own = operationLimit(account.accessKeyId, call.action, call.params)
  if (!context.rateLimiter.tryAcquire(account.accessKeyId, Date.now(), own)) throw throttled(context.settings.throttleForm)
  const { iotInstanceId } = context.settings
  if (iotInstanceId !== undefined && call.params.optional('IotInstanceId') !== iotInstanceId) {
    throw new BusinessError('iot.system.InstanceNotFound', 'The specified instance ID does not exist.')
  }
  if (fault?.kind !== 'ambiguous-create' && fault?.kind !== 'lost-answer') return operation(call)
  // The call is carried out for real (the package exists); only the answer is lost.
  try {
    operation(call)
  } catch (error) {
    if (!(error instanceof BusinessError || error instanceof GatewayError)) throw error
  }
  return undefined
}

/** An IoT API call at `/`: gateway checks in Alibaba's order, then faults, the QPS limit and the operation. */
export async function handleRpc(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const requestId = newRequestId()
  const at = Date.now()
  let received: RpcAuthRequest | undefined
  try {
    received = await parseRequest(req)
  } catch {
    // The client went away before its body was read: nothing to answer.
    return finishRequest(context, { action: '', status: 0, at })
  }
  const v3 = received !== undefined && isV3(received)
  const marketplace = context.settings.apiVariant === 'marketplace'
  // The marketplace answers JSON whatever Format says (every sample does, none sends Format).
  const format = received === undefined || marketplace ? 'JSON' : answerFormat(v3, received.params)
  const action = (v3 ? received?.headers['x-acs-action'] : received?.params.Action) ?? ''
  const claimed = received && claimedAccessKeyId(received)
  const signature = v3 ? 'ACS3-HMAC-SHA256' : received?.params.Signature !== undefined ? 'HMAC-SHA1' : undefined
  const record: RequestRecord = { action, status: 0, at, method: req.method, ...(signature && { signature }), ...(claimed && { accessKeyId: claimed }) }
  const reply = (answer: RpcReply) => {
    sendRpcReply(res, marketplace ? marketplaceReply(answer) : answer, format)
    finishRequest(context, { ...record, status: answer.status, ...(answer.code && { code: answer.code }) })
  }
  const drop = () => {
    req.socket.destroy()
    finishRequest(context, record)
  }
  try {
    const { request, operation } = gatewayCheck(received, v3, action, context.settings)
    const account = authenticateRpc(request, {
      accounts: context.settings.accounts,
      nonces: context.nonces,
      now: Date.now(),
      signatureVersionOptional: marketplace
    })
    record.accessKeyId = account.accessKeyId
    if (account.deny?.includes(action)) throw denied(account.denyForm)
    const fault = context.faults.take(action)
    if (!(await applyFault(fault, context, drop))) return
    const answer = runOperation(operation, { action, params: new RpcParams(request.params), account, now: Date.now(), context }, fault)
    if (answer === undefined) return drop()
    reply(successReply(requestId, action, answer))
  } catch (error) {
    const hostId = req.headers.host ?? ''
    if (error instanceof GatewayError) return reply(gatewayReply(error, requestId, hostId))
    if (error instanceof BusinessError) return reply(businessReply(error, requestId, action))
    throw error
  }
}
