import { asyncLocalStorage } from '@temporalio/activity';

/**
 * The Temporal activity context when there is one, and plain Node behaviour otherwise, so the same activity code
 * runs in a worker and in tests that call it directly. Looked up per call because the activity factories are
 * built at worker start-up, outside any activity.
 */

/** What a create needs to know about the attempt it runs in; outside an activity, a first attempt with no end. */
export interface AttemptInfo {
  attempt: number;
  /** This attempt's start-to-close timeout; Infinity outside an activity. */
  startToCloseMs: number;
  /** When the server scheduled this attempt (a retry: after the previous one ended), by the server's clock. */
  scheduledAt: number;
  /** Details of the last heartbeat the server holds for this activity (from an earlier attempt), if any. */
  heartbeatDetails: unknown;
  /** Heartbeat timeout, when the caller set one. */
  heartbeatTimeoutMs?: number;
}

export function currentAttemptInfo(): AttemptInfo {
  const info = asyncLocalStorage.getStore()?.info;
  if (!info) return { attempt: 1, startToCloseMs: Infinity, scheduledAt: Date.now(), heartbeatDetails: undefined };
  return {
    attempt: info.attempt,
    // Zero means unset, which a workflow cannot do for activities (one of the two timeouts is required).
    startToCloseMs: info.startToCloseTimeoutMs || info.scheduleToCloseTimeoutMs || Infinity,
    scheduledAt: info.currentAttemptScheduledTimestampMs,
    heartbeatDetails: info.heartbeatDetails,
    heartbeatTimeoutMs: info.heartbeatTimeoutMs || undefined,
  };
}

/** The current attempt, or 1 outside an activity. */
export function currentAttempt(): number {
  return asyncLocalStorage.getStore()?.info.attempt ?? 1;
}

export function contextHeartbeat(details?: unknown): void {
  asyncLocalStorage.getStore()?.heartbeat(details);
}

/** `Context.sleep` rejects with CancelledFailure when the activity is cancelled, so a long wait stops early. */
export function contextSleep(ms: number): Promise<void> {
  const context = asyncLocalStorage.getStore();
  if (context) return context.sleep(ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Aborts in-flight requests when the activity is cancelled; undefined outside an activity. */
export function contextAbortSignal(): AbortSignal | undefined {
  return asyncLocalStorage.getStore()?.cancellationSignal;
}
