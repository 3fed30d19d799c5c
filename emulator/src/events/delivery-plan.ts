import type { DeliveryOptions } from './types';

export type DeliveryDecision = { drop: true } | { drop: false; delayMs: number };

/** Rejects options that would make delivery silently meaningless (NaN delays, probabilities above 1). */
export function validateDeliveryOptions(options: DeliveryOptions): void {
  for (const key of ['delayMs', 'jitterMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${key} must be a non-negative number, got ${value}`);
    }
  }
  const p = options.dropProbability;
  if (p !== undefined && !(p >= 0 && p <= 1)) throw new RangeError(`dropProbability must be in [0, 1], got ${p}`);
}

/**
 * Decides one event's fate for one subscriber. `random` returns values in [0, 1); a probability of 0 therefore
 * never drops and 1 always drops. The jitter draw is taken only when jitter is configured so that an injected
 * sequence maps one value to one event in tests.
 */
export function planDelivery(options: DeliveryOptions, random: () => number): DeliveryDecision {
  if ((options.dropProbability ?? 0) > 0 && random() < (options.dropProbability ?? 0)) return { drop: true };
  const jitter = options.jitterMs ? random() * options.jitterMs : 0;
  return { drop: false, delayMs: (options.delayMs ?? 0) + jitter };
}
