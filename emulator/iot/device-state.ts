import { addressOf, iotIdOf } from '../devices/identity.js'
import { chinaTime } from './device-time.js'
import { readDeviceList } from './device-lookup.js'
import type { OperationCall } from './operation.js'

/** BatchGetDeviceState's documented limit: 50 devices per call. */
const DEVICE_STATE_MAX = 50

/**
 * BatchGetDeviceState: each device's Status, when it last came online (LastOnlineTime, UTC+8) and
 * when its status last changed (Timestamp, ms; the SDK's model drops it, a raw client reads it).
 */
export function batchGetDeviceState({ params, now, context }: OperationCall): Record<string, unknown> {
  const devices = readDeviceList(params, context, DEVICE_STATE_MAX)
  const rows = devices.map((device) => {
    const presence = context.jobs.presenceOf(device, now)
    const seen = presence.lastOnlineAt !== undefined
    return {
      DeviceName: device.name,
      IotId: iotIdOf(device),
      Status: presence.status,
      LastOnlineTime: seen ? chinaTime(presence.lastOnlineAt ?? 0) : undefined,
      AsAddress: seen ? addressOf(device) : '',
      Timestamp: presence.changedAt
    }
  })
  return { DeviceStatusList: { DeviceStatus: rows } }
}
