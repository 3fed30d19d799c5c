import { ApplicationFailure } from '@temporalio/common';
import { contextHeartbeat, currentAttemptInfo, type AttemptInfo } from './activity-context';
import { ivsAnswered, toFailure } from './aws-errors';
import { createNeedsMs, landingHorizonMs, type IvsTiming } from '../contracts/ivs-timing';

/**
 * Creating a resource that has no idempotency token (CreateStage, CreateIngestConfiguration,
 * CreateStorageConfiguration, CreateEncoderConfiguration) exactly once across activity attempts.
 *
 * What IVS gives us: the model documents no idempotency token for these operations, so a repeated request makes a
 * second resource; the resource is visible to its List operation (ListStages returns a stage's tags, "Gets summary
 * information about all stages in your account"), which is how an attempt finds what an earlier one made. What IVS
 * does not document: how long after the caller gave up a request may still be applied; IvsTiming.lateApplyMs is our
 * assumption about that, and the show's sweep by run tag catches anything later.
 *
 * The rules:
 * 1. A request is sent only when the attempt can outlast its landing horizon (request timeout + late apply) with
 *    a margin, so an attempt never ends — not even by timing out after its worker died — while its create can
 *    still land. Otherwise it sends nothing and fails; the next attempt has the whole timeout.
 * 2. Before sending, the attempt heartbeats `{ attempt, landsBy }`. The server keeps the last heartbeat's details
 *    and hands them to the next attempt (also when an attempt fails: the SDK reports its last heartbeat with the
 *    failure), which waits until `landsBy` before it looks. When those details do not come from the previous
 *    attempt and the timeout is too short for rule 1, it assumes the previous attempt sent at its very end.
 * 3. A create without an answer (deadline passed, connection dropped) is not retried blindly: the attempt looks at
 *    once (a lost response usually means the resource exists), then waits out the horizon and looks again.
 */

/** What one attempt leaves for the next in its heartbeat: nothing it or an earlier attempt sent lands after this. */
export interface CreateFence {
  attempt: number;
  landsBy: number;
}

export interface CreateOnceSteps<T> {
  /** The IVS operation, for errors and failure types. */
  operation: string;
  /** Looks for the resource this execution (or, for shared ones, anyone) made; errors propagate. */
  find(): Promise<T | undefined>;
  /** Sends the create once, aborted at `signal`; its SDK client must not retry on its own. */
  create(signal: AbortSignal): Promise<T>;
  /** Shared configurations: look before the first create too (another show may have made it). */
  findFirst?: boolean;
}

export interface CreateOnceResult<T> {
  value: T;
  /** False when an earlier attempt (or another show) made it and this one found it. */
  created: boolean;
}

const isFence = (d: unknown): d is CreateFence =>
  typeof d === 'object' &&
  d !== null &&
  typeof (d as CreateFence).attempt === 'number' &&
  typeof (d as CreateFence).landsBy === 'number';

/** The attempt can hold a create's whole horizon (rule 1) with this timeout. */
export const timeoutHoldsHorizon = (startToCloseMs: number, timing: IvsTiming) =>
  startToCloseMs >= createNeedsMs(timing);

/**
 * Until when this attempt must wait before looking (0: no wait). Pure, for unit tests. Times are epoch ms; the
 * details come from another worker's clock, which lateApplyMs allows for.
 */
export function fenceFor(info: AttemptInfo, timing: IvsTiming): number {
  if (info.attempt <= 1) return 0;
  const details = isFence(info.heartbeatDetails) ? info.heartbeatDetails : undefined;
  const fromDetails = details?.landsBy ?? 0;
  // Rule 1 held for the previous attempt, or it told us itself: nothing more to fear from it.
  if (details?.attempt === info.attempt - 1 || timeoutHoldsHorizon(info.startToCloseMs, timing)) return fromDetails;
  // An attempt too short to hold its horizon whose heartbeat never reached the server: it may have sent just
  // before it ended, which was before this attempt was scheduled.
  return Math.max(fromDetails, info.scheduledAt + landingHorizonMs(timing));
}

/** A plain timer: cancellation must not cut a wait for a request that may still land. Heartbeats meanwhile. */
async function waitUntil(at: number, fence: CreateFence, heartbeatEveryMs: number): Promise<void> {
  while (Date.now() < at) {
    contextHeartbeat(fence);
    await new Promise((resolve) => setTimeout(resolve, Math.min(heartbeatEveryMs, at - Date.now())));
  }
}

export async function createOnce<T>(timing: IvsTiming, steps: CreateOnceSteps<T>): Promise<CreateOnceResult<T>> {
  const enteredAt = Date.now();
  const info = currentAttemptInfo();
  // Measured from when this worker saw the attempt start; the margin covers the lag behind the server's start.
  const deadline = enteredAt + info.startToCloseMs;
  const horizon = landingHorizonMs(timing);
  const heartbeatEveryMs = Math.max(100, Math.min(5_000, (info.heartbeatTimeoutMs ?? Infinity) / 2));
  const settled = (): CreateFence => ({ attempt: info.attempt, landsBy: Date.now() });

  if (info.attempt > 1 || steps.findFirst) {
    // Look at once: a lost response usually means the resource is there already, and then no wait is needed.
    const found = await steps.find();
    if (found !== undefined) return { value: found, created: false };
    const fence = fenceFor(info, timing);
    if (fence > Date.now()) {
      await waitUntil(fence, { attempt: info.attempt, landsBy: fence }, heartbeatEveryMs);
      const landed = await steps.find();
      if (landed !== undefined) return { value: landed, created: false };
    }
  }

  // Rule 1: with a timeout long enough, send only while the attempt can still outlast the horizon. With a shorter
  // one (a caller's choice), the request must at least be over before the attempt is, and rule 2 covers the rest.
  const needs = timeoutHoldsHorizon(info.startToCloseMs, timing)
    ? createNeedsMs(timing)
    : timing.requestTimeoutMs + timing.attemptMarginMs;
  if (deadline - Date.now() < needs) {
    contextHeartbeat(settled());
    throw ApplicationFailure.retryable(
      `${steps.operation} not sent: ${Math.round((deadline - Date.now()) / 1000)} s left of the attempt, ${needs / 1000} s needed to see it land`,
      'CreateNotSent',
    );
  }

  const sentAt = Date.now();
  const pending: CreateFence = { attempt: info.attempt, landsBy: sentAt + horizon };
  contextHeartbeat(pending);
  try {
    return { value: await steps.create(AbortSignal.timeout(timing.requestTimeoutMs)), created: true };
  } catch (e) {
    if (ivsAnswered(e)) {
      contextHeartbeat(settled());
      throw toFailure(e, steps.operation);
    }
    // No answer: the request may have been applied, or may still be.
    const soon = await steps.find().catch(() => undefined);
    if (soon !== undefined) return { value: soon, created: true };
    if (pending.landsBy > deadline - timing.attemptMarginMs) {
      // Only with a timeout too short for rule 1; the next attempt waits for `pending.landsBy` (rule 2).
      throw toFailure(e, `${steps.operation} (no answer; the next attempt waits until it can no longer land)`);
    }
    await waitUntil(pending.landsBy, pending, heartbeatEveryMs);
    const late = await steps.find();
    if (late !== undefined) return { value: late, created: true };
    contextHeartbeat(settled());
    throw toFailure(e, `${steps.operation} (no answer, and nothing landed within ${horizon / 1000} s)`);
  }
}
