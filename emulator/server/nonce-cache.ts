/** Signature nonces seen recently, to refuse replays (SignatureNonceUsed) for as long as a timestamp stays valid. */
export class NonceCache {
  /** Insertion order is expiry order, since every entry lives the same time. */
  private readonly expiries = new Map<string, number>()

  constructor(private readonly ttlMs: number) {}

  /** Remembers the nonce and returns true, or returns false when it was seen within the TTL. */
  remember(nonce: string, now: number): boolean {
    for (const [seen, expiry] of this.expiries) {
      if (expiry > now) break
      this.expiries.delete(seen)
    }
    if (this.expiries.has(nonce)) return false
    this.expiries.set(nonce, now + this.ttlMs)
    return true
  }

  clear(): void {
    this.expiries.clear()
  }
}
