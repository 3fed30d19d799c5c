/**
 * Token buckets, one per key (caller and show): `burst` tokens at most, refilled at `perSecond`. Bounded: the
 * least recently used bucket goes first when there are too many (a forgotten bucket only means a full one).
 */
export interface RateLimit {
  tokensPerSecond: number;
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When refused: seconds until one token is back (for Retry-After). */
  retryAfterSeconds?: number;
}

export function createRateLimiter(options: { maxKeys?: number; now?: () => number } = {}) {
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string, limit: RateLimit): RateDecision {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.tokensPerSecond);
      bucket.at = t;
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / limit.tokensPerSecond)) };
    },
  };
}
