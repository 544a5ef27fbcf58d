/** Formats a byte count for people: 1.5 MiB, 512.0 MiB, 1.0 GiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** `1 minute`, `2.5 minutes`. */
export function formatMinutes(minutes: number): string {
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}

/** A URL as outputs, logs and summaries show it: without its query, where a signed URL carries its signature. */
export function unsignedUrl(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? ''
}
