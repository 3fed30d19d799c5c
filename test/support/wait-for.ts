/**
 * Polls until `predicate` returns a truthy value and resolves with it. Tests wait on emulated state machines whose
 * real-time pace depends on machine load, so polling with a generous deadline beats fixed sleeps for both speed and
 * stability. Errors thrown by the predicate count as "not yet" (e.g. a 404 before a resource appears); the last one
 * is reported if the deadline passes.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs = 10_000,
  /**
   * `description` names what was awaited in the timeout's error; give a function when it quotes something that
   * changes while waiting (a process's output so far), so the error shows it as it was at the deadline.
   */
  options: { intervalMs?: number; description?: string | (() => string) } = {},
): Promise<NonNullable<T>> {
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: T | undefined;
  for (;;) {
    try {
      lastValue = await predicate();
      if (lastValue) return lastValue;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const { description } = options;
      const what =
        typeof description === 'function' ? description() : (description ?? predicate.toString().slice(0, 200));
      const why =
        lastError !== undefined
          ? `; last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`
          : `; last value: ${JSON.stringify(lastValue)}`;
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Real milliseconds to wait for the emulated duration `emulatedMs` at clock scale `scale`. */
export function realMs(emulatedMs: number, scale: number): number {
  return emulatedMs / scale;
}

/** Resolves after `ms` real milliseconds; only for asserting that something does NOT happen within a span. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
