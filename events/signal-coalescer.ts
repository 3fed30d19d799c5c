import { LRUCache } from 'lru-cache';
import type { IvsEventInput } from './ivs-event-schema';

/** What one signal attempt came to; only `signalled` counts as sent. */
export interface SendResult {
  outcome: string;
}

export interface SignalCoalescerOptions {
  /** At most one signal per show and kind per window (leading edge), plus one at its end if events were held. */
  windowMs: number;
  /** Shows × kinds remembered at once; the least recently used are forgotten first. */
  maxKeys?: number;
  now?: () => number;
  /** Told how each trailing signal went (they have no request to answer). */
  onTrailing?: (key: string, result: SendResult | Error) => void;
}

interface Entry {
  sentAt: number;
  /** The latest held event's send, fired at the window's end. */
  pending?: () => Promise<SendResult>;
  timer?: NodeJS.Timeout;
}

/** Events the show treats alike: the same detail type and event name. */
export const eventKind = (event: IvsEventInput) => `${event['detail-type']}/${event.detail.event_name}`;

/**
 * Keeps a flood of events from becoming a flood of signals (each one a history event in the show and a wake-up):
 * per show and kind, the first event of a window is signalled at once, later ones within the window are held,
 * and if any were held one more signal — the latest event's — goes at the window's end, so the last change is
 * still polled for within a window. A failed leading signal is forgotten, so EventBridge's retry of that event
 * gets a real attempt.
 */
export function createSignalCoalescer(options: SignalCoalescerOptions) {
  const now = options.now ?? Date.now;
  const entries = new LRUCache<string, Entry>({
    max: options.maxKeys ?? 10_000,
    // An entry only matters for its window (and a trailing signal at its end).
    ttl: Math.max(1, options.windowMs * 2),
    perf: { now },
    dispose: (entry, _key, reason) => {
      // Evicted for room: its held signal is dropped (polling remains the backstop); an update keeps it.
      if (reason !== 'set' && entry.timer) clearTimeout(entry.timer);
    },
  });
  let coalesced = 0;

  function fireTrailing(key: string, entry: Entry): void {
    const send = entry.pending;
    entry.pending = undefined;
    entry.timer = undefined;
    if (!send) return;
    entry.sentAt = now();
    // Renews its time to live: the window that starts now needs it.
    if (entries.peek(key) === entry) entries.set(key, entry);
    send().then(
      (result) => options.onTrailing?.(key, result),
      (e: unknown) => options.onTrailing?.(key, e instanceof Error ? e : new Error(String(e))),
    );
  }

  return {
    /** Sends now (and answers with the result), or holds the event and answers `coalesced`. */
    async offer<R extends SendResult>(key: string, send: () => Promise<R>): Promise<R | 'coalesced'> {
      const at = now();
      const entry = entries.get(key);
      if (entry && at - entry.sentAt < options.windowMs) {
        coalesced++;
        entry.pending = send;
        if (!entry.timer) {
          entry.timer = setTimeout(() => fireTrailing(key, entry), entry.sentAt + options.windowMs - at);
          entry.timer.unref();
        }
        return 'coalesced';
      }
      const fresh: Entry = { sentAt: at };
      entries.set(key, fresh);
      const result = await send();
      if (result.outcome !== 'signalled' && entries.peek(key) === fresh && !fresh.pending) entries.delete(key);
      return result;
    },
    coalesced: () => coalesced,
    /** Drops held signals (the endpoint is stopping). */
    stop(): void {
      entries.clear();
    },
  };
}

export type SignalCoalescer = ReturnType<typeof createSignalCoalescer>;
