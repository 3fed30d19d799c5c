import {
  GetCompositionCommand,
  ListCompositionsCommand,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import {
  sameSnapshot,
  type CompositionActivities,
  type CompositionSnapshot,
  type ObservedCompositionState,
} from '../contracts/composition';
import { LIST_COMPOSITIONS_PAGE, MONITOR_LIST_CALLS_PER_SECOND } from '../contracts/monitor-pacing';
import { showTags } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { aws, isConflict, isNotFound, notYet, toFailure } from './aws-errors';
import { SlidingWindow } from './sliding-window';

/**
 * IVS allows 5 List calls per second per account and region. One show sweep's pages go out at most every 300 ms
 * (3.3/s), leaving room for another caller in the same second; the composition monitor's polls take at most
 * MONITOR_LIST_CALLS_PER_SECOND in any second (contracts/monitor-pacing.ts).
 */
export const LIST_PAGE_SPACING_MS = 300;

export function createCompositionActivities(clients: AwsClients): CompositionActivities {
  /**
   * The monitor's ListCompositions calls per account and region in this process: at most its share,
   * MONITOR_LIST_CALLS_PER_SECOND, in any second, however polls follow each other (a change, then the next poll at
   * once; a poll brought forward by an event while a cancelled one still runs), not only the pages of one poll. A
   * window rather than even spacing: a poll an event brings forward goes out at once unless two already went out in
   * the last second, instead of waiting out the spacing behind the poll it replaced.
   */
  const monitorWindows = new Map<string, SlidingWindow>();
  const monitorList = async <T>(scope: { account?: string; region: string }, call: () => Promise<T>): Promise<T> => {
    const key = `${scope.account ?? ''}/${scope.region}`;
    let window = monitorWindows.get(key);
    if (!window) monitorWindows.set(key, (window = new SlidingWindow(MONITOR_LIST_CALLS_PER_SECOND, 1_000)));
    return window.run(call);
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
        const ivs = clients.ivs(input);
        let nextToken: string | undefined;
        do {
          const page = await monitorList(input, () =>
            ivs.send(new ListCompositionsCommand({ maxResults: LIST_COMPOSITIONS_PAGE, nextToken })),
          );
          for (const c of page.compositions ?? []) {
            const destinations = (c.destinations ?? [])
              .map((d) => ({ id: d.id!, state: d.state! }))
              .sort((x, y) => x.id.localeCompare(y.id));
            current.set(c.arn!, { arn: c.arn!, state: c.state as ObservedCompositionState, destinations });
          }
          nextToken = page.nextToken || undefined;
        } while (nextToken);
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
