import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What we are waiting for, used in the timeout error. */
  description: string;
  /** Checked every round; a returned error aborts the wait at once (e.g. the server process died). */
  abortIf?: () => Error | undefined;
}

/** Calls `probe` until it returns a value other than undefined; the last probe error is quoted on timeout. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const { timeoutMs, intervalMs = 100, description, abortIf } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abort = abortIf?.();
    if (abort) throw abort;
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` Last error: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.${detail}`);
    }
    await sleep(intervalMs);
  }
}
