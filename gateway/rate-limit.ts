// Token buckets: `ratePerSecond` tokens a second, holding at most `burst`. The clock is passed in
// (milliseconds), so the limiter is exact in tests and costs one subtraction per message.

export class TokenBucket {
  private tokens: number;
  private refilledAtMs: number;

  constructor(private readonly ratePerSecond: number, private readonly burst: number, nowMs: number) {
    this.tokens = burst;
    this.refilledAtMs = nowMs;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    const elapsedMs = nowMs - this.refilledAtMs;
    if (elapsedMs > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.ratePerSecond) / 1_000);
      this.refilledAtMs = nowMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Buckets per key (client IP), created on first use and forgotten when idle, so the map stays bounded. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, { bucket: TokenBucket; usedAtMs: number }>();

  constructor(private readonly ratePerSecond: number, private readonly burst: number, private readonly keysMax: number) {}

  take(key: string, nowMs: number): boolean {
    let entry = this.buckets.get(key);
    if (entry === undefined) {
      if (this.buckets.size >= this.keysMax) this.forgetIdle(nowMs);
      entry = { bucket: new TokenBucket(this.ratePerSecond, this.burst, nowMs), usedAtMs: nowMs };
      this.buckets.set(key, entry);
    }
    entry.usedAtMs = nowMs;
    return entry.bucket.take(nowMs);
  }

  /** Drops buckets unused for long enough to be full again; they would start full anyway. */
  private forgetIdle(nowMs: number): void {
    const fullAfterMs = (this.burst / this.ratePerSecond) * 1_000;
    for (const [key, entry] of this.buckets) if (nowMs - entry.usedAtMs > fullAfterMs) this.buckets.delete(key);
    if (this.buckets.size >= this.keysMax) this.buckets.clear();
  }

  get size(): number {
    return this.buckets.size;
  }
}
