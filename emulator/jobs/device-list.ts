import { isDeviceName } from '../devices/fleet.js'
import { jobErrors } from './errors.js'
import type { DeviceListFile, JobsHost } from './host.js'

/** Devices per list file and job: 10,000 (the GenerateDeviceNameListURL pages; CreateOTAStaticUpgradeJob's current EN page says 1,000,000). */
const DEVICE_LIST_MAX = 10_000

/**
 * The DeviceNames of a DnListFileUrl file: one per line, `\n` between lines (a last newline is
 * allowed), names only: no header, quotes, BOM or `\r` (none is documented, and a DeviceName holds
 * none of them). At most 10,000, each once.
 */
export function parseDeviceList(text: string): string[] {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  if (lines.length === 0) throw jobErrors.nullParameter('The device list file (DnListFileUrl) holds no DeviceName.')
  if (lines.length > DEVICE_LIST_MAX) throw jobErrors.tooManyDevices('DeviceNames in the DnListFileUrl file', DEVICE_LIST_MAX)
  const seen = new Set<string>()
  lines.forEach((line, i) => {
    if (!isDeviceName(line)) throw jobErrors.invalidFormat(`DnListFileUrl line ${i + 1}`, line)
    if (seen.has(line)) throw jobErrors.illegal(`The device list file (DnListFileUrl) names ${line} twice (line ${i + 1}).`)
    seen.add(line)
  })
  return lines
}

/** The file a DnListFileUrl names and the DeviceNames in it, as the host found it. */
export function readDeviceList(host: JobsHost, url: string, now: number): { file: DeviceListFile; names: string[] } {
  if (!host.deviceList) throw jobErrors.illegal(`The DnListFileUrl was not issued by GenerateDeviceNameListURL: ${url}`)
  const file = host.deviceList(url, now)
  return { file, names: parseDeviceList(file.text) }
}
