import {
  GetCompositionCommand,
  paginateListCompositions,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import {
  sameSnapshot,
  type CompositionActivities,
  type CompositionSnapshot,
  type ObservedCompositionState,
} from '../contracts/composition';
import { LIST_COMPOSITIONS_PAGE, MONITOR_LIST_SPACING_MS } from '../contracts/monitor-pacing';
import { showTags } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { contextSleep } from './activity-context';
import { aws, isConflict, isNotFound, notYet, toFailure } from './aws-errors';

/**
 * IVS allows 5 List calls per second per account and region. One show sweep's pages go out at most every 300 ms
 * (3.3/s), leaving room for another caller in the same second; the composition monitor's polls are spaced by
 * MONITOR_LIST_SPACING_MS (contracts/monitor-pacing.ts).
 */
export const LIST_PAGE_SPACING_MS = 300;

export function createCompositionActivities(clients: AwsClients): CompositionActivities {
  /**
   * When this process may next send one of the monitor's ListCompositions calls, per account and region. A poll
   * takes the next free turn before each page, so polls that follow each other closely (a change, then the next
   * poll at once; a poll brought forward by an event while a cancelled one still runs) stay within the monitor's
   * share of the rate too, not only the pages of one poll.
   */
  const nextMonitorListAt = new Map<string, number>();
  const monitorListTurn = async (scope: { account?: string; region: string }) => {
    const key = `${scope.account ?? ''}/${scope.region}`;
    const now = Date.now();
    const at = Math.max(now, nextMonitorListAt.get(key) ?? now);
    nextMonitorListAt.set(key, at + MONITOR_LIST_SPACING_MS);
    if (at > now) await contextSleep(at - now);
  };
  return {
    /**
     * Unlike the creates in create-once.ts, StartComposition takes an idempotency token, so it goes through the
     * retrying client and a retried attempt simply sends the same token again. What IVS documents about it is
     * little: the member is "Idempotency token." and the model marks it `idempotencyToken` (SDKs fill in a fresh
     * one when none is given). How long a token is remembered, and what a reused token with other parameters does,
     * is not documented; we rely on the AWS convention that the same token and request give the same composition,
     * within a show's retries (minutes). A composition that escapes it carries the run tag and is found by the
     * show's sweep (show-sweep-activities.ts).
     */
    async startComposition(input) {
      const { composition } = await aws('StartComposition', () =>
        clients.ivs(input).send(
          new StartCompositionCommand({
            stageArn: input.stageArn,
            idempotencyToken: input.idempotencyToken,
            layout: input.layout,
            destinations: input.destinations,
            tags: showTags(input.identity, input.tags),
          }),
        ),
      );
      return {
        arn: composition!.arn!,
        state: composition!.state as ObservedCompositionState,
        destinations: (composition!.destinations ?? []).map((d) => ({
          id: d.id!,
          kind: d.configuration?.channel ? 'channel' : 's3',
          state: d.state!,
          recordingPrefix: d.detail?.s3?.recordingPrefix,
        })),
      };
    },

    /**
     * Retry-as-poll for every watched composition of one account and region with ONE paginated
     * ListCompositions: returns the snapshots as soon as any differs from what the caller knows, otherwise
     * fails with NotYet and Temporal retries at the poll interval (no history per poll). It relies on ListCompositions
     * covering "all Compositions in your account, in the AWS region where the API request is processed", every page
     * (nextToken "If there are more compositions than maxResults"), so a composition missing from it is GONE.
     */
    async pollCompositions(input) {
      const current = new Map<string, CompositionSnapshot>();
      await aws('ListCompositions', async () => {
        await monitorListTurn(input);
        const pages = paginateListCompositions({ client: clients.ivs(input) }, { maxResults: LIST_COMPOSITIONS_PAGE });
        for await (const page of pages) {
          for (const c of page.compositions ?? []) {
            const destinations = (c.destinations ?? [])
              .map((d) => ({ id: d.id!, state: d.state! }))
              .sort((x, y) => x.id.localeCompare(y.id));
            current.set(c.arn!, { arn: c.arn!, state: c.state as ObservedCompositionState, destinations });
          }
          // The paginator asks for the next page as soon as this one is consumed: waiting for the next turn keeps
          // one poll of a busy account within the monitor's share however many pages it takes.
          if (page.nextToken) await monitorListTurn(input);
        }
      });
      const snapshots = input.known.map(
        (k) => current.get(k.arn) ?? { arn: k.arn, state: 'GONE' as const, destinations: [] },
      );
      const changed = snapshots.some((s, i) => !sameSnapshot(s, input.known[i]!));
      if (!changed) throw notYet('no watched composition changed');
      return snapshots;
    },

    /** Already stopped, or purged, is done; a conflict means it is on its way — re-read and carry on. */
    async stopComposition(input) {
      const ivs = clients.ivs(input);
      try {
        await ivs.send(new StopCompositionCommand({ arn: input.arn }));
        return { state: 'STOPPING' };
      } catch (e) {
        if (isNotFound(e)) return { state: 'GONE' };
        if (!isConflict(e)) throw toFailure(e, 'StopComposition');
      }
      try {
        const { composition } = await ivs.send(new GetCompositionCommand({ arn: input.arn }));
        return { state: composition!.state as ObservedCompositionState };
      } catch (e) {
        if (isNotFound(e)) return { state: 'GONE' };
        throw toFailure(e, 'GetComposition');
      }
    },

    /** Retry-as-poll until the composition is STOPPED, FAILED or purged. */
    async awaitCompositionStopped(input) {
      try {
        const { composition } = await clients.ivs(input).send(new GetCompositionCommand({ arn: input.arn }));
        const state = composition!.state as ObservedCompositionState;
        if (state === 'STOPPED' || state === 'FAILED') return { state };
        throw notYet(`composition is ${state}`);
      } catch (e) {
        if (isNotFound(e)) return { state: 'GONE' };
        throw toFailure(e, 'GetComposition');
      }
    },
  };
}
