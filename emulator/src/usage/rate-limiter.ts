/**
 * The service's per-operation request rates (service-quotas page; not adjustable in AWS), enforced per
 * account and region with a token bucket that holds one second's worth of requests.
 */
const PUBLIC_KEY_OPERATIONS = new Set(['ImportPublicKey', 'GetPublicKey', 'ListPublicKeys', 'DeletePublicKey']);
const TAG_OPERATIONS = new Set(['TagResource', 'UntagResource', 'ListTagsForResource']);

export function requestsPerSecond(operation: string): number {
  if (operation === 'CreateParticipantToken') return 50;
  if (PUBLIC_KEY_OPERATIONS.has(operation)) return 3;
  if (TAG_OPERATIONS.has(operation)) return 10;
  return 5;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(public enabled: boolean) {}

  /** Takes a token; false means the request is throttled. Uses real time: rates are about clients, not the emulated clock. */
  tryAcquire(accountId: string, region: string, operation: string, now = Date.now()): boolean {
    if (!this.enabled) return true;
    const rate = requestsPerSecond(operation);
    const key = `${accountId}/${region}/${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: rate, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
