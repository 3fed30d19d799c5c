import { CancellationScope, condition } from '@temporalio/workflow';

export type Interruptible<T> = { done: true; value: T } | { done: false };

/**
 * Runs `work` (typically a long poll activity) until it finishes or `interrupt()` becomes true, whichever
 * comes first; on interruption the work is cancelled. Both sides live in one scope so nothing is left
 * pending after the race.
 */
export async function runInterruptible<T>(work: () => Promise<T>, interrupt: () => boolean): Promise<Interruptible<T>> {
  const scope = new CancellationScope();
  const workPromise = scope.run(work);
  const interruptPromise = scope.run(() => condition(interrupt));
  try {
    return await Promise.race([
      workPromise.then((value): Interruptible<T> => ({ done: true, value })),
      interruptPromise.then((): Interruptible<T> => ({ done: false })),
    ]);
  } finally {
    workPromise.catch(() => undefined);
    interruptPromise.catch(() => undefined);
    scope.cancel();
  }
}
