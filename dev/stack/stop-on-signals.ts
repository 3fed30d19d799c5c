import { cleanupRegistry } from '../process/cleanup-registry';

const REPEAT_WINDOW_MS = 500;
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export interface StopOnSignals {
  /** The graceful stop to run on the first signal, once there is something to stop. */
  stopWith(stop: () => Promise<void>): void;
}

/**
 * Ctrl-C for a foreground stack, from a terminal or a signal to the whole process group. The first SIGINT/SIGTERM/
 * SIGHUP stops everything in order (workers drained, servers stopped, temp dirs removed) and exits; during
 * start-up, or on a second signal, every process group the stack started is killed and its temp dirs removed at
 * once. The servers run in process groups of their own, so only this process sees the terminal's signals and
 * nothing is stopped twice or out of order.
 *
 * Run it as `node --import tsx`, not through the `tsx` command: that wrapper re-sends a signal its child did not
 * acknowledge within 30 ms and then SIGKILLs it, which on a busy machine would kill the stack before its stop ran.
 */
export function stopOnSignals(say: (line: string) => void): StopOnSignals {
  // `npm run stack | tee log`: Ctrl-C ends tee too, and a write to its closed pipe must not crash the stop.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  let stop: (() => Promise<void>) | undefined;
  let received = 0;
  let lastAt = 0;
  const handler = (signal: NodeJS.Signals, forced = false) => {
    // One Ctrl-C can arrive twice: from the terminal and forwarded by npm. A person's second one comes later.
    if (!forced && received > 0 && Date.now() - lastAt < REPEAT_WINDOW_MS) return;
    lastAt = Date.now();
    received++;
    const code = EXIT_CODES[signal] ?? 1;
    if (received === 1 && stop) {
      say(`${signal}: stopping the local stack (again to stop it at once)…`);
      // A stop that hangs (a wedged server) still ends: the second signal, or this deadline, kills what is left.
      const deadline = setTimeout(() => handler(signal, true), 30_000);
      deadline.unref();
      void stop()
        .catch((e: unknown) => say(`stopping failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          cleanupRegistry.killEverything();
          say('stopped');
          process.exit(code);
        });
      return;
    }
    const killed = cleanupRegistry.killEverything();
    say(`${signal}: stopped at once (${killed.groups} process groups killed, ${killed.dirs} temp dirs removed)`);
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => handler(signal));
  return {
    stopWith(fn) {
      stop = fn;
    },
  };
}
