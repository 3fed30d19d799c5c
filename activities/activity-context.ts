import { asyncLocalStorage } from '@temporalio/activity';

/**
 * The Temporal activity context when there is one, and plain Node behaviour otherwise, so the same activity code
 * runs in a worker and in tests that call it directly. Looked up per call because the activity factories are
 * built at worker start-up, outside any activity.
 */

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
