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

/**
 * Turns per-chunk progress into at most one line per `stepPercent` of the file, with rate and ETA,
 * so a 1 GB upload logs about ten lines instead of a thousand.
 */
export function createProgressReporter(
  total: number,
  now: () => number,
  print: (line: string) => void,
  stepPercent = 10
): (sent: number) => void {
  const start = now()
  let nextPercent = stepPercent
  return (sent: number) => {
    const percent = total === 0 ? 100 : (sent / total) * 100
    if (percent < nextPercent) return
    while (nextPercent <= percent) nextPercent += stepPercent
    const seconds = Math.max((now() - start) / 1000, 0.001)
    const rate = sent / seconds
    const eta = rate > 0 ? (total - sent) / rate : 0
    print(
      `Uploaded ${formatBytes(sent)} of ${formatBytes(total)} (${Math.floor(percent)}%), ` +
        `${formatBytes(rate)}/s, ${sent >= total ? 'done' : `about ${Math.ceil(eta)} s left`}`
    )
  }
}
