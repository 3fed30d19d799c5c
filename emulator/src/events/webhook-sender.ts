import type { Clock } from '../clock';
import type { SendOutcome } from './subscriber-channel';
import type { IvsEvent } from './types';

export interface WebhookRetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Emulated ms before the first retry; doubles per retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** EventBridge retries for hours; the emulator keeps the shape (backoff, bounded) but gives up within seconds. */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000 };

export interface WebhookSenderOptions {
  url: string;
  fetchImpl: typeof fetch;
  clock: Clock;
  retry: WebhookRetryPolicy;
  /** Real ms: a network timeout protects the host process, so it does not follow the emulated clock. */
  timeoutMs: number;
  log: (msg: string) => void;
}

type AttemptResult = { kind: 'ok' } | { kind: 'retryable' | 'fatal'; why: string };

/**
 * Builds the send function for one webhook subscription: POSTs the event itself as the body, the way an
 * EventBridge API destination delivers it, retrying network errors, timeouts, 429 and 5xx with backoff.
 */
export function webhookSender(
  options: WebhookSenderOptions,
): (event: IvsEvent, signal: AbortSignal) => Promise<SendOutcome> {
  const { retry, log, url } = options;
  return async (event, signal) => {
    const body = JSON.stringify(event);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return 'cancelled';
      const result = await postOnce(options, body, signal);
      if (result.kind === 'ok') return 'delivered';
      if (signal.aborted) return 'cancelled';
      if (result.kind === 'fatal' || attempt >= retry.maxAttempts) {
        log(`webhook ${url}: event ${event.id} not delivered after ${attempt} attempt(s): ${result.why}`);
        return 'failed';
      }
      const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      await sleep(options.clock, backoff, signal);
    }
  };
}

async function postOnce(options: WebhookSenderOptions, body: string, signal: AbortSignal): Promise<AttemptResult> {
  try {
    const response = await options.fetchImpl(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Amazon/EventBridge/ApiDestinations' },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    // Drain the body so the keep-alive socket goes back to the pool instead of leaking.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { kind: 'ok' };
    const why = `HTTP ${response.status}`;
    return response.status === 429 || response.status >= 500 ? { kind: 'retryable', why } : { kind: 'fatal', why };
  } catch (err) {
    return { kind: 'retryable', why: err instanceof Error ? err.message : String(err) };
  }
}

function sleep(clock: Clock, emulatedMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimer(emulatedMs, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
