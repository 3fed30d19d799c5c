import { type ReleaseSlot, SlidingWindow } from './sliding-window';

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
 * burst of StopComposition, List and Delete calls that IVS throttles and the SDK retries.
 *
 * The rule is a sliding window: at most `capacity` calls of an operation in any `windowMs` — its documented rate
 * times the share, counted over a second (5 in any second at 5 TPS alone; at a share where that is under one call, one
 * call per 1/rate seconds, evenly spaced). That is the documented limit read literally, N transactions in any second;
 * what IVS's throttle does with a burst inside a second is not documented, and a window never asks more of it than a
 * bucket holding one second's worth of requests (AWS's usual throttle, and the emulator's) gives. Even spacing
 * (one call per 200 ms at 5 TPS) would be stricter still, but it made a show wait for its own earlier call: an event
 * that interrupts a poll mid-flight has the next poll queue behind the abandoned one's calls (issue 15's overhead).
 * Each call takes the next slot (first come, first served) and waits for it; every attempt takes a slot, retries
 * included. A slot is counted until the call's answer, not from its send, so however late a call reaches IVS the
 * window holds (sliding-window.ts).
 */
export class IvsRateBudget {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateBudgetOptions) {
    if (!(options.share >= IVS_RATE_SHARE.min && options.share <= IVS_RATE_SHARE.max))
      throw new RangeError(`share must be between ${IVS_RATE_SHARE.min} and ${IVS_RATE_SHARE.max}`);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** How many calls of `operation` this worker may make in any window of `windowMs`. */
  window(operation: string): { capacity: number; windowMs: number } {
    const perSecond = documentedIvsRate(operation) * this.options.share;
    const capacity = Math.max(1, Math.floor(perSecond));
    return { capacity, windowMs: (capacity * 1000) / perSecond };
  }

  /**
   * Waits for `operation`'s next slot; the call goes when this resolves and releases the slot when it is answered
   * (sliding-window.ts: the window counts from the answer, the latest moment IVS can have counted the call).
   */
  acquire(operation: string): Promise<ReleaseSlot> {
    let window = this.windows.get(operation);
    if (!window) {
      const { capacity, windowMs } = this.window(operation);
      window = new SlidingWindow(capacity, windowMs, this.now, this.sleep);
      this.windows.set(operation, window);
    }
    return window.acquire();
  }
}
