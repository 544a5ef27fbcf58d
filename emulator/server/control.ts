import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext } from './context.js'
import { parseFault } from './faults.js'
import { readBody } from './http-util.js'
import { parseSeedFirmware, seedFirmwares } from '../iot/seed-firmwares.js'

/** The control API's prefix; no cloud path starts like this. */
export const CONTROL_PREFIX = '/__emulator/'

/** Fault and seed lists are small (a full quota of seed packages fits). */
const MAX_CONTROL_BODY_BYTES = 1024 * 1024

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** A JSON body holding one item or an array of them, each checked by `parse`; all or nothing. */
async function readItems<T>(req: IncomingMessage, parse: (value: unknown) => T): Promise<T[]> {
  const body = await readBody(req, MAX_CONTROL_BODY_BYTES)
  const parsed: unknown = JSON.parse(body?.toString('utf8') ?? '')
  return (Array.isArray(parsed) ? parsed : [parsed]).map(parse)
}

/**
 * Faults and state over HTTP, for users outside the process: GET state, GET/POST/DELETE faults,
 * POST firmwares (seed packages), POST reset. Not recorded among the requests.
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
    case 'POST faults':
      try {
        // All or nothing: one bad fault adds none.
        for (const fault of await readItems(req, parseFault)) context.faults.add(fault)
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message })
      }
      return sendJson(res, 200, context.faults.list())
    case 'POST firmwares':
      try {
        return sendJson(res, 200, seedFirmwares(context, await readItems(req, parseSeedFirmware)))
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message })
      }
    case 'DELETE faults':
      context.faults.clear()
      return sendJson(res, 200, [])
    case 'POST reset':
      reset()
      return sendJson(res, 200, {})
    default:
      return sendJson(res, 404, {
        error: `Unknown control route ${route}. Use GET ${CONTROL_PREFIX}state, GET|POST|DELETE ${CONTROL_PREFIX}faults, POST ${CONTROL_PREFIX}firmwares or POST ${CONTROL_PREFIX}reset.`
      })
  }
}
