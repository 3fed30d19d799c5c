import { QueryNotRegisteredError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { audienceSignerQuery } from '../contracts/show-messages';
import { workflowIdForShow } from '../contracts/ids';
import { viewerTokenSigner, type SignViewerToken } from './sign-viewer-token';
import type { AudienceSigner } from '../contracts/audience';

export type SignerLookup =
  { kind: 'ready'; signer: AudienceSigner; sign: SignViewerToken } | { kind: 'not-found' } | { kind: 'no-audience' };

/**
 * The show's signer, from its `audienceSigner` query, kept for `ttlMs`: a query per token would make every token a
 * round trip through Temporal and the show's worker. What a short cache costs: a token minted in the seconds after
 * the show began ending, which its tidy-up revokes with the key anyway; an `extend` takes effect `ttlMs` late.
 * Concurrent lookups of one show share one query. The query result arrives encrypted and is decoded by the
 * client's data converter (the payload codec); the key stays in this process's memory only.
 */
export function createSignerCache(options: {
  client: Client;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}) {
  const ttlMs = options.ttlMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<SignerLookup> }>();
  let queries = 0;

  async function load(showId: string): Promise<SignerLookup> {
    queries++;
    try {
      const signer = await options.client.workflow.getHandle(workflowIdForShow(showId)).query(audienceSignerQuery);
      if (!signer) return { kind: 'no-audience' };
      return { kind: 'ready', signer, sign: await viewerTokenSigner(signer) };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return { kind: 'not-found' };
      // A show started before audience tokens existed has no such query.
      if (e instanceof QueryNotRegisteredError) return { kind: 'no-audience' };
      throw e;
    }
  }

  return {
    get(showId: string): Promise<SignerLookup> {
      const cached = entries.get(showId);
      if (cached && now() - cached.at < ttlMs) return cached.value;
      const value = load(showId);
      entries.set(showId, { at: now(), value });
      // A failed query (Temporal unreachable) is not remembered: the next request asks again.
      value.catch(() => entries.delete(showId));
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
    stats: () => ({ queries, cached: entries.size }),
  };
}
