/**
 * Paces calls so that at most `burst` of them start within any `burst × 1000 / qps` ms, i.e. at
 * most `qps` calls per second on average. `burst` 1 spaces every call `1000 / qps` ms apart;
 * `burst` equal to `qps` allows `qps` calls in any one second without spacing them, so a run that
 * makes only a few calls (list, upload form, create) never waits. The account's limit is shared by
 * every run (and every RAM user), so this only keeps one run from being the one that floods it.
 */
export function createPacer(qps: number, now: () => number, sleep: (ms: number) => Promise<void>, burst = 1): () => Promise<void> {
  const windowMs = (burst * 1000) / qps
  // Start times of the last `burst` calls, reserved before waiting so concurrent calls queue up.
  const starts: number[] = []
  return async () => {
    const t = now()
    const oldest = starts.length >= burst ? (starts[starts.length - burst] as number) : undefined
    const start = oldest === undefined ? t : Math.max(t, oldest + windowMs)
    starts.push(start)
    if (starts.length > burst) starts.shift()
    if (start > t) await sleep(start - t)
  }
}
