import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { ShowActivities } from '../contracts/show-activities';
import { IVS_ATTEMPT_TIMEOUT_MS } from '../contracts/ivs-timing';

/**
 * Timeouts and retry policies per kind of activity. IVS calls are short and retried with backoff (the SDK
 * has already retried throttling inside an attempt). Polls use retry-as-poll: each attempt checks once and
 * fails with NotYet; the retry interval is the poll interval and retries add no history events.
 *
 * Every activity that calls IVS gets IVS_ATTEMPT_TIMEOUT_MS (55 s), derived in activities/ivs-timing.ts from the
 * SDK's request timeout and retries, so that an attempt outlasts every request it sends: a create is never
 * abandoned while it can still land (activities/create-once.ts).
 */
const ivsCall: ActivityOptions = {
  startToCloseTimeout: IVS_ATTEMPT_TIMEOUT_MS,
  scheduleToCloseTimeout: '15 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

export const ivs = proxyActivities<ShowActivities>(ivsCall);

/** The same, with a one-line summary the Web UI shows on the activity. */
export const ivsWithSummary = (summary: string) => proxyActivities<ShowActivities>({ ...ivsCall, summary });

/** Tidy-up must outlast outages: it keeps retrying for an hour. */
const tidyCall: ActivityOptions = {
  ...ivsCall,
  scheduleToCloseTimeout: '1 hour',
  retry: { ...ivsCall.retry, maximumInterval: '1 minute' },
};
export const tidy = proxyActivities<ShowActivities>(tidyCall);
export const tidyWithSummary = (summary: string) => proxyActivities<ShowActivities>({ ...tidyCall, summary });

export function polls(options: {
  taskQueue?: string;
  intervalMs: number;
  /** Poll at `intervalMs` first and back off (×2) to this: for waits that usually end within seconds. */
  maxIntervalMs?: number;
  timeoutMs: number;
  summary?: string;
}) {
  const maximumInterval = Math.max(options.intervalMs, options.maxIntervalMs ?? options.intervalMs);
  return proxyActivities<ShowActivities>({
    taskQueue: options.taskQueue,
    summary: options.summary,
    startToCloseTimeout: IVS_ATTEMPT_TIMEOUT_MS,
    scheduleToCloseTimeout: Math.max(options.timeoutMs, maximumInterval + 1_000),
    retry: {
      initialInterval: options.intervalMs,
      backoffCoefficient: maximumInterval > options.intervalMs ? 2 : 1,
      maximumInterval,
    },
  });
}

export function indexing(settleTimeoutMs: number, summary: string) {
  return proxyActivities<ShowActivities>({
    summary,
    startToCloseTimeout: settleTimeoutMs + 10 * 60_000,
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
  });
}

/**
 * Calls to Temporal itself that the calling workflow's worker makes as local activities: they cost no activity task
 * (so no share of the monitor queue's activity rate, which is the fleet's IVS budget) and no workflow task of their
 * own, and record one marker. An attempt is bounded; retries go on until Temporal answers. Typed to the calls that
 * may run this way, so an IVS call cannot be made a local activity (and escape the queue's rate limit) by mistake.
 */
export const temporalCalls = proxyLocalActivities<Pick<ShowActivities, 'signalChangedShows'>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
