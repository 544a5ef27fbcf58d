import type { IncomingMessage, ServerResponse } from 'node:http'
import { API_VERSION } from '../src/platform/rules.js'
import { sha256Hex } from '../src/platform/signing/acs3.js'
import { finishRequest, pause, type EmulatorContext } from './context.js'
import type { Fault } from './faults.js'
import { flattenHeaders, parseQueryStrict, readBody } from './http-util.js'
import { checkMarketplaceRequest, marketplaceReply } from './marketplace.js'
import { newRequestId } from './ids.js'
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
} from './responses.js'
import { authenticateRpc, claimedAccessKeyId, isV3, type RpcAuthRequest } from './rpc-auth.js'
import { OPERATIONS } from './rpc-operations.js'
import { RpcParams } from './rpc-params.js'
import type { RequestRecord } from './store.js'

/** RPC parameters are short; anything bigger is not an IoT API call. */
const MAX_RPC_BODY_BYTES = 1024 * 1024

function throttled(form: 'gateway' | 'business'): Error {
  return form === 'gateway'
    ? gatewayErrors.throttled()
    : new BusinessError('iot.common.TooManyRequest', 'Request was denied due to user flow control.')
}

/** V3 always answers JSON; V2 answers in Format, which defaults to XML (any case of `json` gives JSON). */
function answerFormat(v3: boolean, params: Readonly<Record<string, string>>): RpcFormat {
  return v3 || (params.Format ?? 'XML').toUpperCase() === 'JSON' ? 'JSON' : 'XML'
}

function checkVersion(version: string | undefined): void {
  if (!version) throw gatewayErrors.missing('Version')
  if (version !== API_VERSION) throw gatewayErrors.invalid('Version')
}

async function parseRequest(req: IncomingMessage): Promise<RpcAuthRequest | undefined> {
  const body = await readBody(req, MAX_RPC_BODY_BYTES)
  if (body === undefined) return undefined
  const query = parseQueryStrict(req.url ?? '/')
  const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
  const form = isForm ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {}
  return { method: req.method ?? 'GET', headers: flattenHeaders(req), query, params: { ...query, ...form }, bodySha256: sha256Hex(body) }
}

/** An IoT API call at `/`: gateway checks in Alibaba's order, then faults, the QPS limit and the operation. */
export async function handleRpc(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const requestId = newRequestId()
  const at = Date.now()
  let request: RpcAuthRequest | undefined
  try {
    request = await parseRequest(req)
  } catch {
    // The client went away before its body was read: nothing to answer.
    return finishRequest(context, { action: '', status: 0, at })
  }
  const v3 = request !== undefined && isV3(request)
  const marketplace = context.settings.apiVariant === 'marketplace'
  // The marketplace answers JSON whatever Format says (every sample does, none sends Format).
  const format = request === undefined || marketplace ? 'JSON' : answerFormat(v3, request.params)
  const action = (v3 ? request?.headers['x-acs-action'] : request?.params.Action) ?? ''
  const claimed = request && claimedAccessKeyId(request)
  const signature = v3 ? 'ACS3-HMAC-SHA256' : request?.params.Signature !== undefined ? 'HMAC-SHA1' : undefined
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
    if (request === undefined) throw new GatewayError(413, 'RequestEntityTooLarge', 'The request body is too large for an RPC call.')
    if (request.method !== 'GET' && request.method !== 'POST') throw gatewayErrors.unsupportedMethod()
    if (!action) throw gatewayErrors.missing('Action')
    if (marketplace) checkMarketplaceRequest(request)
    else checkVersion(v3 ? request.headers['x-acs-version'] : request.params.Version)
    const operation = OPERATIONS.get(action)
    if (!operation) throw gatewayErrors.apiNotFound()

    const account = authenticateRpc(request, { accounts: context.settings.accounts, nonces: context.nonces, now: Date.now(), signatureVersionOptional: marketplace })
    record.accessKeyId = account.accessKeyId
    if (account.deny?.includes(action)) throw gatewayErrors.forbidden()

    const fault: Fault | undefined = context.faults.take(action)
    switch (fault?.kind) {
      case 'drop':
        return drop()
      case 'server-error':
        throw gatewayErrors.serverError(fault.status ?? 500)
      case 'throttle':
        throw throttled(fault.form ?? context.settings.throttleForm)
      case 'slow':
        if (!(await pause(fault.delayMs, context))) return
        break
    }
    if (!context.rateLimiter.tryAcquire(account.accessKeyId, Date.now())) throw throttled(context.settings.throttleForm)
    const { iotInstanceId } = context.settings
    if (iotInstanceId !== undefined && request.params.IotInstanceId !== iotInstanceId) {
      throw new BusinessError('iot.system.InstanceNotFound', 'The specified instance does not exist.')
    }

    const params = new RpcParams(request.params)
    if (fault?.kind === 'ambiguous-create') {
      // The call is carried out for real (the package exists); only the answer is lost.
      try {
        operation({ params, account, now: Date.now(), context })
      } catch (error) {
        if (!(error instanceof BusinessError || error instanceof GatewayError)) throw error
      }
      return drop()
    }
    reply(successReply(requestId, action, operation({ params, account, now: Date.now(), context })))
  } catch (error) {
    const hostId = req.headers.host ?? ''
    if (error instanceof GatewayError) return reply(gatewayReply(error, requestId, hostId))
    if (error instanceof BusinessError) return reply(businessReply(error, requestId, action))
    throw error
  }
}
