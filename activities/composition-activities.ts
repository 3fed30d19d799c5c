import {
  GetCompositionCommand,
  paginateListCompositions,
  StartCompositionCommand,
  StopCompositionCommand,
  type DestinationConfiguration,
  type LayoutConfiguration,
} from '@aws-sdk/client-ivs-realtime';
import type { AwsClients, AccountRegion } from './aws-clients';
import { contextSleep } from './activity-context';
import { aws, isConflict, isNotFound, notYet, toFailure } from './aws-errors';
import { showTags, type ShowIdentity } from './show-tags';

/**
 * Composition.state is the model's CompositionState (STARTING, ACTIVE, STOPPING, FAILED, STOPPED). GONE is a
 * ResourceNotFoundException: StopComposition "Stops and deletes a Composition resource" and StartComposition's
 * documentation lists when a "Composition stops and the resource is deleted", so a composition that is not found any
 * more has stopped — Showrunner never takes a 404 for "not started yet", because it reads only ARNs StartComposition
 * returned ("A Composition is an ephemeral resource that exists after this operation returns successfully").
 */
export type ObservedCompositionState = 'STARTING' | 'ACTIVE' | 'STOPPING' | 'FAILED' | 'STOPPED' | 'GONE';

/**
 * What monitoring sees of a composition; GONE means purged (ResourceNotFound), which counts as stopped. Destination
 * states are the model's DestinationState (STARTING, ACTIVE, STOPPING, RECONNECTING, FAILED, STOPPED), read from the
 * composition summaries ListCompositions returns (DestinationSummary: id and state).
 */
export interface CompositionSnapshot {
  arn: string;
  state: ObservedCompositionState;
  destinations: { id: string; state: string }[];
}

export interface StartCompositionInput {
  region: string;
  /** The show's account; the worker's own when absent. */
  account?: string;
  identity: ShowIdentity;
  stageArn: string;
  /** Same token, same composition: safe to retry at any layer. */
  idempotencyToken: string;
  layout: LayoutConfiguration;
  destinations: DestinationConfiguration[];
  tags: Record<string, string>;
}

export interface StartedComposition {
  arn: string;
  state: ObservedCompositionState;
  /**
   * `kind` from Destination.configuration ("Configuration used to create this destination": exactly one of channel
   * or s3, "Either a channel or an s3 must be specified"); `recordingPrefix` is Destination.detail.s3.recordingPrefix,
   * "The S3 bucket prefix under which the recording is stored", read as given and never rebuilt.
   */
  destinations: { id: string; kind: 'channel' | 's3'; state: string; recordingPrefix?: string }[];
}

/**
 * IVS allows 5 ListCompositions calls per second per account and region. One poll's pages go out at most every
 * 300 ms (3.3/s), leaving room for another show's call in the same second.
 */
export const LIST_PAGE_SPACING_MS = 300;

const sameSnapshot = (a: CompositionSnapshot, b: CompositionSnapshot) =>
  a.state === b.state &&
  a.destinations.length === b.destinations.length &&
  a.destinations.every((d, i) => d.id === b.destinations[i]?.id && d.state === b.destinations[i]?.state);

export function createCompositionActivities(clients: AwsClients) {
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
    async startComposition(input: StartCompositionInput): Promise<StartedComposition> {
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
    async pollCompositions(input: AccountRegion & { known: CompositionSnapshot[] }): Promise<CompositionSnapshot[]> {
      const current = new Map<string, CompositionSnapshot>();
      await aws('ListCompositions', async () => {
        for await (const page of paginateListCompositions({ client: clients.ivs(input) }, { maxResults: 100 })) {
          for (const c of page.compositions ?? []) {
            const destinations = (c.destinations ?? [])
              .map((d) => ({ id: d.id!, state: d.state! }))
              .sort((x, y) => x.id.localeCompare(y.id));
            current.set(c.arn!, { arn: c.arn!, state: c.state as ObservedCompositionState, destinations });
          }
          // The paginator asks for the next page as soon as this one is consumed: spacing them keeps one poll of
          // a busy account within its rate however many pages it takes.
          if (page.nextToken) await contextSleep(LIST_PAGE_SPACING_MS);
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
    async stopComposition(input: AccountRegion & { arn: string }): Promise<{ state: ObservedCompositionState }> {
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
    async awaitCompositionStopped(input: {
      region: string;
      /** The show's account; the worker's own when absent. */
      account?: string;
      arn: string;
    }): Promise<{ state: ObservedCompositionState }> {
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
