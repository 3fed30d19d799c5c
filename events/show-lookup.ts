import { ListTagsForResourceCommand, type IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { isNotFound } from '../activities/aws-errors';
import { TAG_WORKFLOW_ID } from '../contracts/tags';
import { LRUCache } from 'lru-cache';
import type { AwsScope } from '../contracts/aws-scope';
import { parseIvsArn } from '../contracts/arn';

/**
 * What an ARN says about its show: which one, none (not Showrunner's), nothing any more (deleted), or nothing
 * asked (a region this deployment does not serve).
 */
export type ShowLookupResult =
  | { kind: 'show'; workflowId: string }
  | { kind: 'not-showrunner' }
  | { kind: 'resource-gone' }
  | { kind: 'unknown-region' };

export interface ShowLookupOptions {
  /**
   * The IVS client for a region and account: `account` is set when the ARN's account is one of `accounts` (the
   * worker's SHOWRUNNER_AWS_ACCOUNTS, reached through their roles), absent for the endpoint's own credentials.
   */
  ivs: (scope: AwsScope & { region: string }) => IVSRealTimeClient;
  /**
   * The only regions looked up (the deployment's); absent means any. An event is attacker-shaped input: a region
   * taken from it unchecked would make the endpoint build clients (and send requests) for any name it is given.
   */
  regions?: string[];
  /** Accounts reached through a role; any other account's ARNs are looked up with the endpoint's own credentials. */
  accounts?: string[];
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
  const cache = new LRUCache<string, ShowLookupResult>({
    max: options.maxEntries ?? 10_000,
    ttl: options.ttlMs ?? 15 * 60_000,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  const regions = options.regions ? new Set(options.regions) : undefined;
  const accounts = new Set(options.accounts ?? []);
  /** Where an ARN is looked up: its own region, and its own account when that one is reached through a role. */
  const scopeOf = (arn: string): (AwsScope & { region: string }) | undefined => {
    const { region, account } = parseIvsArn(arn) ?? {};
    if (!region || !account || (regions && !regions.has(region))) return undefined;
    return accounts.has(account) ? { region, account } : { region };
  };
  const inFlight = new Map<string, Promise<ShowLookupResult>>();
  const counts = { lookups: 0, cacheHits: 0 };

  async function lookUp(arn: string, scope: AwsScope & { region: string }): Promise<ShowLookupResult> {
    counts.lookups++;
    try {
      const { tags } = await options.ivs(scope).send(new ListTagsForResourceCommand({ resourceArn: arn }), {
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
      // Checked before the cache, so a flood of made-up ARNs cannot push real ones out of it.
      const scope = scopeOf(arn);
      if (!scope) return { kind: 'unknown-region' };
      const cached = cache.get(arn);
      if (cached) {
        counts.cacheHits++;
        return cached;
      }
      let pending = inFlight.get(arn);
      if (!pending) {
        pending = lookUp(arn, scope)
          .then((result) => {
            cache.set(arn, result);
            return result;
          })
          .finally(() => inFlight.delete(arn));
        inFlight.set(arn, pending);
      }
      return pending;
    },
    /** What the cache already says about an ARN, without a call (and without counting a hit). */
    peek: (arn: string): ShowLookupResult | undefined => cache.peek(arn),
    stats: (): ShowLookupStats => ({ ...counts, cached: cache.size }),
  };
}

export type ShowLookup = ReturnType<typeof createShowLookup>;
