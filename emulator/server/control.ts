import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext } from './context.js'
import { parseFault } from './faults.js'
import { readBody } from './http-util.js'

/** The control API's prefix; no cloud path starts like this. */
export const CONTROL_PREFIX = '/__emulator/'

/** Fault lists are tiny. */
const MAX_CONTROL_BODY_BYTES = 64 * 1024

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/**
 * Faults and state over HTTP, for users outside the process: GET state, GET/POST/DELETE faults,
 * POST reset. Not recorded among the requests.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, context: EmulatorContext, path: string, reset: () => void): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path.slice(CONTROL_PREFIX.length)}`
  switch (route) {
    case 'GET state':
      return sendJson(res, 200, {
        firmwares: context.store.listFirmwares(),
        objects: context.store.listObjects(),
        requests: context.store.requests()
      })
    case 'GET faults':
      return sendJson(res, 200, context.faults.list())
    case 'POST faults': {
      const body = await readBody(req, MAX_CONTROL_BODY_BYTES)
      try {
        const parsed: unknown = JSON.parse(body?.toString('utf8') ?? '')
        // All or nothing: one bad fault adds none.
        const faults = (Array.isArray(parsed) ? parsed : [parsed]).map(parseFault)
        for (const fault of faults) context.faults.add(fault)
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message })
      }
      return sendJson(res, 200, context.faults.list())
    }
    case 'DELETE faults':
      context.faults.clear()
      return sendJson(res, 200, [])
    case 'POST reset':
      reset()
      return sendJson(res, 200, {})
    default:
      return sendJson(res, 404, {
        error: `Unknown control route ${route}. Use GET ${CONTROL_PREFIX}state, GET|POST|DELETE ${CONTROL_PREFIX}faults or POST ${CONTROL_PREFIX}reset.`
      })
  }
}
