/**
 * IVS Real-Time's API rates, per account and region and per operation, not adjustable (AWS's service-quotas page for
 * IVS Real-Time; ../shared/reference/ivs-realtime.md): CreateParticipantToken 50 TPS, public-key operations 3 TPS, tag
 * operations 10 TPS, every other operation 5 TPS. Showrunner relies on these being per operation, which is how the
 * quotas page states them.
 */
export function documentedIvsRate(operation: string): number {
  if (operation === 'CreateParticipantToken') return 50;
  if (PUBLIC_KEY_OPERATIONS.has(operation)) return 3;
  if (TAG_OPERATIONS.has(operation)) return 10;
  return 5;
}

const PUBLIC_KEY_OPERATIONS = new Set(['ImportPublicKey', 'GetPublicKey', 'ListPublicKeys', 'DeletePublicKey']);
const TAG_OPERATIONS = new Set(['TagResource', 'UntagResource', 'ListTagsForResource']);

/** The smallest and largest share of the documented rates one worker may take (SHOWRUNNER_IVS_RATE_SHARE). */
export const IVS_RATE_SHARE = { min: 0.01, max: 1, default: 1 } as const;

export interface RateBudgetOptions {
  /** This worker's share of every documented rate: 1 alone, 1/N for N workers sharing accounts and regions. */
  share: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * One account and region's IVS calls, paced so that no operation goes out faster than its documented rate times the
 * worker's share, whatever number of shows call at once: without it, shows that end together in one region send a
 * burst of StopComposition, List and Delete calls that IVS throttles and the SDK retries. Each call reserves the
 * next free slot of its operation (first come, first served) and waits for it; slots are spaced evenly, so there is
 * no burst at the start of a second either. Every attempt takes a slot, retries included.
 */
export class IvsRateBudget {
  private readonly nextSlot = new Map<string, number>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateBudgetOptions) {
    if (!(options.share >= IVS_RATE_SHARE.min && options.share <= IVS_RATE_SHARE.max))
      throw new RangeError(`share must be between ${IVS_RATE_SHARE.min} and ${IVS_RATE_SHARE.max}`);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Milliseconds between two calls of `operation` from this worker. */
  spacingMs(operation: string): number {
    return 1000 / (documentedIvsRate(operation) * this.options.share);
  }

  /** Reserves the operation's next slot; the wait until it, in milliseconds (0: go now). */
  reserve(operation: string): number {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(operation) ?? now);
    this.nextSlot.set(operation, slot + this.spacingMs(operation));
    return slot - now;
  }

  /** Resolves when `operation` may be sent. */
  async turn(operation: string): Promise<void> {
    const wait = this.reserve(operation);
    if (wait > 0) await this.sleep(wait);
  }
}
