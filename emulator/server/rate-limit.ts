/** A limit of its own for some calls, on top of the account-wide one. */
export interface ExtraLimit {
  key: string
  limit: number
}

/** Calls per key in a sliding window: the platform's "10 QPS per account" for every RPC action together. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>()

  /** `limit` 0 disables limiting, extra limits too. */
  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000
  ) {}

  /**
   * Counts the call and returns true, or returns false (nothing counted) when the window is full:
   * the key's, or the extra limit's (an operation whose documented QPS is lower).
   */
  tryAcquire(key: string, now: number, extra?: ExtraLimit): boolean {
    if (this.limit === 0) return true
    const times = this.window(key, now)
    if (times.length >= this.limit) return false
    if (extra) {
      const more = this.window(extra.key, now)
      if (more.length >= extra.limit) return false
      more.push(now)
    }
    times.push(now)
    return true
  }

  reset(): void {
    this.calls.clear()
  }

  /** The calls within the window before `now`, older ones dropped. */
  private window(key: string, now: number): number[] {
    let times = this.calls.get(key)
    if (!times) {
      times = []
      this.calls.set(key, times)
    }
    while (times.length > 0 && (times[0] ?? 0) <= now - this.windowMs) times.shift()
    return times
  }
}
