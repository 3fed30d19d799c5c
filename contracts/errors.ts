type Chained = { message?: unknown; cause?: unknown };

/**
 * The innermost message of an error chain. Temporal and the SDKs wrap what went wrong ("Activity task failed",
 * "Update failed"); the deepest cause that has a message carries the AWS or validation error a reader needs.
 */
export function rootMessage(error: unknown): string {
  let e = error as Chained | undefined;
  for (;;) {
    const cause = e?.cause as Chained | undefined;
    if (typeof cause !== 'object' || cause === null || typeof cause.message !== 'string') break;
    e = cause;
  }
  return typeof e?.message === 'string' ? e.message : String(error);
}
