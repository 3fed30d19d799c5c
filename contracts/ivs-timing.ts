/**
 * How long IVS calls may take, and the activity attempt timeout derived from it: the one place these figures live.
 * Plain numbers only: workflow code (activity-proxies.ts) imports this file, so it lives in contracts/.
 *
 * The danger these figures close: an attempt that ends (times out, is retried) while its CreateStage is still on
 * its way to IVS. The retry looks, finds nothing yet, creates a second stage, and then the first one lands too.
 * So every IVS request has a hard client-side deadline, and an attempt is long enough to outlast the requests it
 * sends (see create-once.ts for how a create uses it).
 */

export interface IvsTiming {
  /** One HTTP request to IVS, connection and answer: the SDK gives up (and the request is destroyed) after this. */
  requestTimeoutMs: number;
  /**
   * How long after the client gave up IVS might still apply a request. IVS documents no bound (neither the API
   * model nor the user guide says what happens to a request whose caller stopped waiting), so this is our
   * assumption, chosen to be generous next to the service's sub-second creates; it also absorbs clock skew
   * between workers, which compare times written by one another. A request that lands later still is found by
   * the show's sweep of everything under its run tag (show-sweep-activities.ts).
   */
  lateApplyMs: number;
  /** SDK attempts of the retrying client (reads, deletes, StartComposition with its idempotency token). */
  sdkMaxAttempts: number;
  /** What an attempt keeps in hand at its end: the worker learns of the task a little after the server starts it. */
  attemptMarginMs: number;
}

export const IVS_TIMING: IvsTiming = {
  requestTimeoutMs: 10_000,
  lateApplyMs: 10_000,
  sdkMaxAttempts: 3,
  attemptMarginMs: 5_000,
};

/**
 * The SDK's standard retry strategy (@smithy/core retry): full-jitter backoff from 1 s for throttling (50 ms for
 * other errors), doubling per retry, stretched by a Retry-After header by at most 5 s. So retry n waits at most
 * 2^(n-1) s + 5 s.
 */
const SDK_THROTTLING_BACKOFF_BASE_MS = 1_000;
const SDK_RETRY_AFTER_STRETCH_MS = 5_000;

/** A create sent at t has landed by t + this, or never will (our assumption, see lateApplyMs). */
export const landingHorizonMs = (t: IvsTiming): number => t.requestTimeoutMs + t.lateApplyMs;

/** The longest one `send` of the retrying client can take: every attempt times out, every backoff is the longest. */
export function retryingSendWorstMs(t: IvsTiming): number {
  let backoff = 0;
  for (let retry = 1; retry < t.sdkMaxAttempts; retry++)
    backoff += SDK_THROTTLING_BACKOFF_BASE_MS * 2 ** (retry - 1) + SDK_RETRY_AFTER_STRETCH_MS;
  return t.sdkMaxAttempts * t.requestTimeoutMs + backoff;
}

/**
 * What a create attempt needs left on its clock before it may send: the request's landing horizon and the margin.
 * An attempt with less sends nothing and fails; the next attempt has the whole timeout.
 */
export const createNeedsMs = (t: IvsTiming): number => landingHorizonMs(t) + t.attemptMarginMs;

/**
 * Start-to-close timeout of an IVS activity attempt, the larger of:
 * - a create that must first wait out an earlier attempt's request (one horizon), look once (one request), then
 *   send its own and still hold its horizon and the margin: 20 + 10 + 20 + 5 = 55 s with IVS_TIMING;
 * - the retrying client's worst `send` plus the margin: 3 × 10 + (1 + 5) + (2 + 5) + 5 = 48 s.
 */
export function attemptTimeoutMs(t: IvsTiming): number {
  const create = landingHorizonMs(t) + t.requestTimeoutMs + createNeedsMs(t);
  const send = retryingSendWorstMs(t) + t.attemptMarginMs;
  return Math.max(create, send);
}

export const IVS_ATTEMPT_TIMEOUT_MS = attemptTimeoutMs(IVS_TIMING);
