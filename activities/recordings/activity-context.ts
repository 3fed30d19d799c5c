import { asyncLocalStorage } from '@temporalio/activity';

/**
 * Defaults for heartbeat, sleep and cancellation that use the Temporal activity context when there is one and degrade
 * to plain Node behaviour otherwise, so the same code runs in a worker and in tests. Looked up per call because the
 * activity factory is built at worker start-up, outside any activity.
 */

export function contextHeartbeat(details?: unknown): void {
  asyncLocalStorage.getStore()?.heartbeat(details);
}

/** `Context.sleep` rejects with CancelledFailure when the activity is cancelled, so a long settle wait stops early. */
export function contextSleep(ms: number): Promise<void> {
  const context = asyncLocalStorage.getStore();
  if (context) return context.sleep(ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Aborts in-flight S3 requests when the activity is cancelled; undefined outside an activity. */
export function contextAbortSignal(): AbortSignal | undefined {
  return asyncLocalStorage.getStore()?.cancellationSignal;
}
