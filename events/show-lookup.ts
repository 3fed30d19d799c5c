import { ListTagsForResourceCommand, type IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { isNotFound } from '../activities/aws-errors';
import { locationOf } from '../contracts/arn';
import { TAG_WORKFLOW_ID } from '../contracts/tags';
import { LruCache } from './lru-cache';

/** What an ARN says about its show: which one, none (not Showrunner's), or nothing any more (deleted). */
export type ShowLookupResult =
  { kind: 'show'; workflowId: string } | { kind: 'not-showrunner' } | { kind: 'resource-gone' };

export interface ShowLookupOptions {
  /** The IVS client for a region (it must hold credentials of the account the ARNs belong to). */
  ivs: (region: string) => IVSRealTimeClient;
  maxEntries?: number;
  ttlMs?: number;
  /** EventBridge gives an API destination 5 s per request; a slow lookup must not use all of it. */
  timeoutMs?: number;
  now?: () => number;
}

export interface ShowLookupStats {
  lookups: number;
  cacheHits: number;
  cached: number;
}

/**
 * Finds the show an IVS resource belongs to from its `showrunner:workflow-id` tag. The answer never changes
 * for an ARN (tags are set at creation and ARNs are never reused), so it is cached, negatives included; the TTL
 * only bounds how long a forgotten resource occupies the cache. Concurrent lookups of one ARN share one call,
 * so a burst of events about one stage costs a single ListTagsForResource.
 */
export function createShowLookup(options: ShowLookupOptions) {
  const cache = new LruCache<string, ShowLookupResult>(
    options.maxEntries ?? 10_000,
    options.ttlMs ?? 15 * 60_000,
    options.now,
  );
  const inFlight = new Map<string, Promise<ShowLookupResult>>();
  const counts = { lookups: 0, cacheHits: 0 };

  async function lookUp(arn: string): Promise<ShowLookupResult> {
    counts.lookups++;
    try {
      const { tags } = await options
        .ivs(locationOf(arn).region)
        .send(new ListTagsForResourceCommand({ resourceArn: arn }), {
          abortSignal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
        });
      const workflowId = tags?.[TAG_WORKFLOW_ID];
      return workflowId ? { kind: 'show', workflowId } : { kind: 'not-showrunner' };
    } catch (e) {
      if (isNotFound(e)) return { kind: 'resource-gone' };
      throw e;
    }
  }

  return {
    /** Throws when IVS cannot answer (throttled, unreachable); such failures are not cached. */
    async find(arn: string): Promise<ShowLookupResult> {
      const cached = cache.get(arn);
      if (cached) {
        counts.cacheHits++;
        return cached;
      }
      let pending = inFlight.get(arn);
      if (!pending) {
        pending = lookUp(arn)
          .then((result) => {
            cache.set(arn, result);
            return result;
          })
          .finally(() => inFlight.delete(arn));
        inFlight.set(arn, pending);
      }
      return pending;
    },
    stats: (): ShowLookupStats => ({ ...counts, cached: cache.size }),
  };
}

export type ShowLookup = ReturnType<typeof createShowLookup>;
