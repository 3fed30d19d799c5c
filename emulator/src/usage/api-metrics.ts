/**
 * Counts API calls per account, region and operation, with the busiest one-second window seen, so a
 * benchmark or a test can check that a client stayed within the service's request rates.
 */
export interface OperationMetrics {
  calls: number;
  errors: Record<string, number>;
  peakPerSecond: number;
}

interface Counter extends OperationMetrics {
  second: number;
  inSecond: number;
}

export class ApiMetrics {
  /**
   * By account, region, then operation: this runs on every request, and nested lookups cost less than building and
   * hashing an `account/region/operation` key each time.
   */
  private readonly counters = new Map<string, Map<string, Map<string, Counter>>>();

  record(accountId: string, region: string, operation: string, errorType?: string, now = Date.now()): void {
    let regions = this.counters.get(accountId);
    if (!regions) this.counters.set(accountId, (regions = new Map<string, Map<string, Counter>>()));
    let operations = regions.get(region);
    if (!operations) regions.set(region, (operations = new Map<string, Counter>()));
    let c = operations.get(operation);
    if (!c) {
      c = { calls: 0, errors: {}, peakPerSecond: 0, second: 0, inSecond: 0 };
      operations.set(operation, c);
    }
    c.calls++;
    if (errorType) c.errors[errorType] = (c.errors[errorType] ?? 0) + 1;
    const second = Math.floor(now / 1000);
    if (second !== c.second) {
      c.second = second;
      c.inSecond = 0;
    }
    c.inSecond++;
    if (c.inSecond > c.peakPerSecond) c.peakPerSecond = c.inSecond;
  }

  snapshot(): Record<string, Record<string, OperationMetrics>> {
    const out: Record<string, Record<string, OperationMetrics>> = {};
    for (const [accountId, regions] of this.counters) {
      for (const [region, operations] of regions) {
        const scope: Record<string, OperationMetrics> = {};
        for (const [operation, c] of operations)
          scope[operation] = { calls: c.calls, errors: { ...c.errors }, peakPerSecond: c.peakPerSecond };
        out[`${accountId}/${region}`] = scope;
      }
    }
    return out;
  }

  reset(): void {
    this.counters.clear();
  }
}
