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
  private readonly counters = new Map<string, Counter>();

  record(accountId: string, region: string, operation: string, errorType?: string, now = Date.now()): void {
    const key = `${accountId}/${region}/${operation}`;
    let c = this.counters.get(key);
    if (!c) {
      c = { calls: 0, errors: {}, peakPerSecond: 0, second: 0, inSecond: 0 };
      this.counters.set(key, c);
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
    for (const [key, c] of this.counters) {
      const sep = key.lastIndexOf('/');
      const scope = key.slice(0, sep);
      (out[scope] ??= {})[key.slice(sep + 1)] = {
        calls: c.calls,
        errors: { ...c.errors },
        peakPerSecond: c.peakPerSecond,
      };
    }
    return out;
  }

  reset(): void {
    this.counters.clear();
  }
}
