/**
 * Spaces calls at least `1000 / qps` ms apart within this run. The account's limit is shared by
 * every run (and every RAM user), so this only keeps one run from being the one that floods it.
 */
export function createPacer(qps: number, now: () => number, sleep: (ms: number) => Promise<void>): () => Promise<void> {
  const interval = 1000 / qps
  let next = 0
  return async () => {
    const t = now()
    const start = Math.max(t, next)
    next = start + interval
    if (start > t) await sleep(start - t)
  }
}
