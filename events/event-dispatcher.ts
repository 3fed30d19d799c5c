import type { Client } from '@temporalio/client';
import { ivsEventWakes } from '../contracts/show-messages';
import type { IvsEventInput } from './ivs-event-schema';
import { LRUCache } from 'lru-cache';
import { createSignalCoalescer, eventKind } from './signal-coalescer';
import { candidateArns, knownFirst, showEventOf } from './show-event';
import type { ShowLookup, ShowLookupResult } from './show-lookup';
import { signalShow } from './show-signaller';

export type IgnoreReason =
  /** An event no show acts on (a participant joining or leaving, a recording starting…): not worth a signal. */
  | 'no-effect'
  | 'duplicate'
  | 'coalesced'
  | 'not-showrunner'
  | 'resource-gone'
  | 'unknown-region'
  | 'show-not-running'
  | 'lookup-failed'
  | 'signal-rejected';

/** `failed` is the only outcome worth a retry: Temporal did not take the signal. */
export type EventOutcome =
  | { kind: 'signalled'; workflowId: string }
  | { kind: 'ignored'; reason: IgnoreReason; workflowId?: string; error?: string }
  | { kind: 'failed'; workflowId: string; error: string };

export interface EventDispatcherOptions {
  lookup: ShowLookup;
  client: Client;
  /** Event IDs remembered to drop redundant deliveries (EventBridge delivers at least once). */
  dedupe?: { maxEntries?: number; ttlMs?: number };
  /** At most one signal per show and event kind per window (see signal-coalescer.ts); 2 s by default. */
  coalesce?: { windowMs?: number; maxKeys?: number };
  signalTimeoutMs?: number;
  now?: () => number;
}

export interface DispatcherStats {
  received: number;
  signalled: number;
  failed: number;
  ignored: Partial<Record<IgnoreReason, number>>;
  /** Signals sent at the end of a window for events held in it. */
  trailing: { signalled: number; failed: number };
}

/**
 * Turns one IVS event into at most one signal to the show it concerns. A duplicate is harmless to the show
 * (it only wakes it up to poll), so dedupe here only saves signals: a short memory of event IDs is enough.
 */
export function createEventDispatcher(options: EventDispatcherOptions) {
  const seen = new LRUCache<string, true>({
    max: options.dedupe?.maxEntries ?? 10_000,
    ttl: options.dedupe?.ttlMs ?? 10 * 60_000,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  const inFlight = new Map<string, Promise<EventOutcome>>();
  const stats: DispatcherStats = {
    received: 0,
    signalled: 0,
    failed: 0,
    ignored: {},
    trailing: { signalled: 0, failed: 0 },
  };
  const coalescer = createSignalCoalescer({
    windowMs: options.coalesce?.windowMs ?? 2_000,
    maxKeys: options.coalesce?.maxKeys,
    now: options.now,
    onTrailing: (_key, result) => {
      if (!(result instanceof Error) && result.outcome === 'signalled') stats.trailing.signalled++;
      else stats.trailing.failed++;
    },
  });

  async function deliver(event: IvsEventInput): Promise<EventOutcome> {
    // Each signal is a history event and a workflow task of the show: only events that can wake something go.
    const signal = showEventOf(event);
    const wakes = ivsEventWakes(signal);
    if (!wakes.publisher && !wakes.composition) return { kind: 'ignored', reason: 'no-effect' };
    let last: ShowLookupResult | undefined;
    for (const arn of knownFirst(candidateArns(event), (a) => options.lookup.peek(a)?.kind === 'show')) {
      try {
        last = await options.lookup.find(arn);
      } catch (e) {
        // Polling remains the backstop, so an event whose show cannot be found now is only a late wake-up.
        return { kind: 'ignored', reason: 'lookup-failed', error: e instanceof Error ? e.message : String(e) };
      }
      if (last.kind === 'unknown-region') return { kind: 'ignored', reason: 'unknown-region' };
      if (last.kind !== 'show') continue;
      const { workflowId } = last;
      const sent = await coalescer.offer(`${workflowId}\n${eventKind(event)}`, () =>
        signalShow(options.client, workflowId, signal, options.signalTimeoutMs),
      );
      if (sent === 'coalesced') return { kind: 'ignored', reason: 'coalesced', workflowId };
      const { outcome, error } = sent;
      if (outcome === 'signalled') return { kind: 'signalled', workflowId };
      if (outcome === 'unavailable') return { kind: 'failed', workflowId, error: error ?? 'Temporal unavailable' };
      return { kind: 'ignored', reason: outcome, workflowId, error };
    }
    return { kind: 'ignored', reason: last?.kind === 'resource-gone' ? 'resource-gone' : 'not-showrunner' };
  }

  function count(outcome: EventOutcome): EventOutcome {
    if (outcome.kind === 'signalled') stats.signalled++;
    else if (outcome.kind === 'failed') stats.failed++;
    else stats.ignored[outcome.reason] = (stats.ignored[outcome.reason] ?? 0) + 1;
    return outcome;
  }

  return {
    async dispatch(event: IvsEventInput): Promise<EventOutcome> {
      stats.received++;
      const duplicate: EventOutcome = { kind: 'ignored', reason: 'duplicate' };
      if (seen.has(event.id)) return count(duplicate);
      const pending = inFlight.get(event.id);
      if (pending) {
        // A copy arriving while the first is being handled shares its fate: if that one fails, both are retried.
        const first = await pending;
        return count(first.kind === 'failed' ? first : duplicate);
      }
      const delivery = deliver(event);
      inFlight.set(event.id, delivery);
      try {
        const outcome = await delivery;
        // A failed delivery is not remembered, so EventBridge's retry of it gets a real second attempt.
        if (outcome.kind !== 'failed') seen.set(event.id, true);
        return count(outcome);
      } finally {
        inFlight.delete(event.id);
      }
    },
    stats: (): DispatcherStats => ({ ...stats, ignored: { ...stats.ignored }, trailing: { ...stats.trailing } }),
    stop: () => coalescer.stop(),
  };
}

export type EventDispatcher = ReturnType<typeof createEventDispatcher>;
