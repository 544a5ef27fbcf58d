/** Calls per key in a sliding window: the platform's "10 QPS per account" for every RPC action together. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>()

  /** `limit` 0 disables limiting. */
  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000
  ) {}

  /** Counts the call and returns true, or returns false (not counted) when the window is full. */
  tryAcquire(key: string, now: number): boolean {
    if (this.limit === 0) return true
    let times = this.calls.get(key)
    if (!times) {
      times = []
      this.calls.set(key, times)
    }
    while (times.length > 0 && (times[0] ?? 0) <= now - this.windowMs) times.shift()
    if (times.length >= this.limit) return false
    times.push(now)
    return true
  }

  reset(): void {
    this.calls.clear()
  }
}
