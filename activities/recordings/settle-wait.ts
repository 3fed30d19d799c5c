import { mapWithConcurrency } from './concurrency';
import type { RecordingProgress } from './recording-discovery';

export interface RecordingRef {
  bucket: string;
  prefix: string;
  /** Recordings that may never get an object (a composite destination that never started) need not be waited for. */
  optional: boolean;
}

export interface SettleWaitOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  /** Called every round: recordings can appear during the wait (a participant publishing again). */
  discover: () => Promise<RecordingRef[]>;
  progress: (ref: RecordingRef) => Promise<RecordingProgress>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  heartbeat: (details?: unknown) => void;
}

export interface SettleWaitResult {
  rounds: number;
  recordings: number;
  settled: number;
  /** Still without an ended or failed document when the wait ended. */
  pending: number;
  timedOut: boolean;
  waitedMs: number;
}

const CHECK_CONCURRENCY = 8;

/**
 * Polls until every recording has its ended or failed document, or the deadline passes. Bounded so a recording that
 * never ends (a participant still publishing) delays the index by at most `timeoutMs`; the index then says which ones
 * were unsettled. Settled recordings are not checked again.
 */
export async function waitForRecordingsToSettle(options: SettleWaitOptions): Promise<SettleWaitResult> {
  const startedAt = options.now();
  const deadline = startedAt + Math.max(0, options.timeoutMs);
  const settled = new Set<string>();
  const key = (ref: RecordingRef) => `${ref.bucket}\n${ref.prefix}`;
  for (let round = 1; ; round++) {
    const refs = await options.discover();
    const open = refs.filter((ref) => !settled.has(key(ref)));
    const progress = await mapWithConcurrency(open, CHECK_CONCURRENCY, (ref) => options.progress(ref));
    let pending = 0;
    open.forEach((ref, i) => {
      if (progress[i] === 'settled') settled.add(key(ref));
      else if (progress[i] === 'pending' || !ref.optional) pending++;
    });
    const waitedMs = options.now() - startedAt;
    options.heartbeat({ phase: 'settling', round, recordings: refs.length, settled: settled.size, pending, waitedMs });
    const result = { rounds: round, recordings: refs.length, settled: settled.size, pending, waitedMs };
    if (pending === 0) return { ...result, timedOut: false };
    const remaining = deadline - options.now();
    if (remaining <= 0) return { ...result, timedOut: true };
    await options.sleep(Math.min(options.pollIntervalMs, remaining));
  }
}
