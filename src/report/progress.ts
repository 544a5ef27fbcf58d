import { formatBytes } from './format.js'

/**
 * Turns per-chunk progress into at most one line per `stepPercent` of the file, with rate and ETA,
 * so a 1 GB upload logs about ten lines instead of a thousand.
 */
export function createProgressReporter(total: number, now: () => number, print: (line: string) => void, stepPercent = 10): (sent: number) => void {
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
