import {
  DeleteIngestConfigurationCommand,
  DeletePublicKeyCommand,
  DeleteStageCommand,
  ListCompositionsCommand,
  ListIngestConfigurationsCommand,
  ListPublicKeysCommand,
  ListStagesCommand,
  ListTagsForResourceCommand,
  StopCompositionCommand,
  type IVSRealTimeClient,
} from '@aws-sdk/client-ivs-realtime';
import { ApplicationFailure } from '@temporalio/common';
import { contextHeartbeat } from './activity-context';
import type { AwsClients } from './aws-clients';
import { isConflict, isNotFound, toFailure } from './aws-errors';
import { LIST_PAGE_SPACING_MS } from './composition-activities';
import {
  REMOVAL_ORDER,
  type RemoveShowResourcesResult,
  type ShowResource,
  type ShowResourceKind,
  type ShowSweepActivities,
} from '../contracts/show-resources';
import { isMadeBy } from '../contracts/tags';

/** The largest page every List operation allows (the model's maxResults maximum). */
const PAGE = 100;

/**
 * Calls of one operation go out at most every LIST_PAGE_SPACING_MS (3.3/s): within IVS's 5 TPS per operation (10
 * for tag operations), with room for other shows' calls in the same second. Counts every call for the result.
 */
function pacer() {
  const lastAt = new Map<string, number>();
  const calls: Record<string, number> = {};
  return {
    calls,
    /** Resolves when `operation` may be called again; counts the call. */
    async turn(operation: string): Promise<void> {
      const wait = (lastAt.get(operation) ?? -Infinity) + LIST_PAGE_SPACING_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastAt.set(operation, Date.now());
      calls[operation] = (calls[operation] ?? 0) + 1;
      contextHeartbeat();
    },
  };
}

async function listAll<Page extends { nextToken?: string }>(
  fetchPage: (nextToken: string | undefined) => Promise<Page>,
  onPage: (page: Page) => void,
): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    onPage(page);
    nextToken = page.nextToken || undefined;
  } while (nextToken);
}

/**
 * The show's sweep: what IVS holds under its run tag, recorded by the workflow or not, and the removal of it.
 *
 * Which calls, per show and region (S stages, C compositions, I ingest configurations in the region):
 * - ListStages: ceil(S/100) pages. Its summaries carry tags ("tags" in StageSummary), so no call per stage.
 * - ListCompositions: ceil(C/100) pages, unfiltered. Summaries carry tags and state; filterByStageArn would cost a
 *   call per stage of the show and find nothing more, and compositions are few (20 live per account).
 * - ListIngestConfigurations: ceil(I/100) pages, unfiltered (100 per region is the quota, so one page). Its
 *   summaries carry no tags, and filterByStageArn would miss a configuration whose stage is gone. So one
 *   ListTagsForResource per candidate: attached to one of the show's stages, or whose stage is gone (blank or naming
 *   a deleted stage) and bearing the show's name.
 *   ListTagsForResource rather than GetIngestConfiguration, which would return the stream key.
 * - ListPublicKeys: ceil(P/100) pages, only when asked (summaries carry tags).
 * A typical show (one stage, one ingest configuration, a region under 100 of each): 4 calls, 5 with public keys.
 */
export function createShowSweepActivities(clients: AwsClients): ShowSweepActivities {
  return {
    async findShowResources(input) {
      const ivs = clients.ivs({ region: input.region, account: input.account });
      const pace = pacer();
      const resources: ShowResource[] = [];
      const mine = (tags: Record<string, string> | undefined) => isMadeBy(tags, input.identity);
      /** Every stage that exists: a configuration naming any other stage lost it. */
      const existingStages = new Set<string>();
      try {
        // The four List operations are independent (each has its own rate limit, and none takes another's answer),
        // so their pages are fetched side by side: one round trip of IVS latency instead of four.
        const compositions: ShowResource[] = [];
        const publicKeys: ShowResource[] = [];
        const ingestConfigurations: { arn: string; name?: string; stageArn?: string }[] = [];
        await Promise.all([
          listAll(
            async (nextToken) => {
              await pace.turn('ListStages');
              return ivs.send(new ListStagesCommand({ maxResults: PAGE, nextToken }));
            },
            (page) => {
              for (const s of page.stages ?? []) {
                if (s.arn) existingStages.add(s.arn);
                if (s.arn && mine(s.tags)) resources.push({ kind: 'stage', arn: s.arn });
              }
            },
          ),
          listAll(
            async (nextToken) => {
              await pace.turn('ListCompositions');
              return ivs.send(new ListCompositionsCommand({ maxResults: PAGE, nextToken }));
            },
            (page) => {
              for (const c of page.compositions ?? [])
                if (c.arn && mine(c.tags))
                  compositions.push({
                    kind: 'composition',
                    arn: c.arn,
                    state: c.state,
                    stageArn: c.stageArn,
                    startedAt: c.startTime?.toISOString(),
                  });
            },
          ),
          listAll(
            async (nextToken) => {
              await pace.turn('ListIngestConfigurations');
              return ivs.send(new ListIngestConfigurationsCommand({ maxResults: PAGE, nextToken }));
            },
            (page) => {
              for (const c of page.ingestConfigurations ?? [])
                if (c.arn) ingestConfigurations.push({ arn: c.arn, name: c.name, stageArn: c.stageArn });
            },
          ),
          input.publicKeys
            ? listAll(
                async (nextToken) => {
                  await pace.turn('ListPublicKeys');
                  return ivs.send(new ListPublicKeysCommand({ maxResults: PAGE, nextToken }));
                },
                (page) => {
                  for (const k of page.publicKeys ?? [])
                    if (k.arn && mine(k.tags)) publicKeys.push({ kind: 'publicKey', arn: k.arn });
                },
              )
            : undefined,
        ]);
        const stages = new Set(resources.map((r) => r.arn));
        resources.push(...compositions);
        const candidates: ShowResource[] = [];
        for (const c of ingestConfigurations) {
          const attachedToOurs = !!c.stageArn && stages.has(c.stageArn);
          // DeleteStage "removes the stageArn from the associated IngestConfiguration, if there are participants
          // using the IngestConfiguration to publish to the stage": an idle configuration keeps naming a stage
          // that no longer exists. Either way it has lost its stage, and only its name can point to the show.
          const lostItsStage = !c.stageArn || !existingStages.has(c.stageArn);
          const detachedNamedOurs =
            lostItsStage && (input.ingestConfigurationName === undefined || c.name === input.ingestConfigurationName);
          if (attachedToOurs || detachedNamedOurs)
            candidates.push({ kind: 'ingestConfiguration', arn: c.arn, stageArn: c.stageArn ?? '' });
        }
        const known = new Set(input.knownMine ?? []);
        for (const c of candidates) if (known.has(c.arn) || mine(await tagsOf(ivs, pace, c.arn))) resources.push(c);
        resources.push(...publicKeys);
      } catch (e) {
        throw toFailure(e, 'sweep of the show’s resources');
      }
      return { region: input.region, account: input.account, resources, calls: pace.calls };
    },

    /**
     * Stops or deletes each resource, in REMOVAL_ORDER, if it still carries the show's run tag (one
     * ListTagsForResource each: an ARN that is not this show's is refused, never deleted). Already gone is done; a
     * composition that cannot be stopped (ConflictException) is already stopping or stopped. Every resource is
     * tried; a failure is thrown after the rest, so a retry finds the done ones gone.
     */
    async removeShowResources(input) {
      const ivs = clients.ivs({ region: input.region, account: input.account });
      const pace = pacer();
      const ordered = [...input.resources].sort(
        (a, b) => REMOVAL_ORDER.indexOf(a.kind) - REMOVAL_ORDER.indexOf(b.kind),
      );
      const results: RemoveShowResourcesResult['results'] = [];
      const failures: ApplicationFailure[] = [];
      for (const { kind, arn } of ordered) {
        try {
          const tags = await tagsOf(ivs, pace, arn);
          if (!tags) results.push({ kind, arn, outcome: 'gone' });
          else if (!isMadeBy(tags, input.identity))
            results.push({ kind, arn, outcome: 'refused', reason: 'it does not carry this show’s run tag' });
          else results.push({ kind, arn, outcome: await removeOne(ivs, pace, kind, arn) });
        } catch (e) {
          failures.push(toFailure(e, `remove ${kind} ${arn}`));
        }
      }
      if (failures.length > 0) {
        const message = `${failures.length} of ${ordered.length} not removed: ${failures.map((f) => f.message).join('; ')}`;
        // Retried while any failure may pass (throttling, 5xx, a stage still busy); not when all are final.
        throw failures.some((f) => !f.nonRetryable)
          ? ApplicationFailure.retryable(message, 'RemovalFailed')
          : ApplicationFailure.nonRetryable(message, 'RemovalFailed');
      }
      return { results, calls: pace.calls };
    },
  };
}

type Pacer = ReturnType<typeof pacer>;

/** The resource's tags, or undefined when it is gone. */
async function tagsOf(ivs: IVSRealTimeClient, pace: Pacer, arn: string): Promise<Record<string, string> | undefined> {
  await pace.turn('ListTagsForResource');
  try {
    const { tags } = await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    return tags ?? {};
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function removeOne(
  ivs: IVSRealTimeClient,
  pace: Pacer,
  kind: ShowResourceKind,
  arn: string,
): Promise<'removed' | 'gone'> {
  try {
    if (kind === 'composition') {
      await pace.turn('StopComposition');
      await ivs.send(new StopCompositionCommand({ arn }));
    } else if (kind === 'ingestConfiguration') {
      await pace.turn('DeleteIngestConfiguration');
      // force: a publisher still streaming is disconnected ("the participant is disconnected from the stage,
      // followed by deletion of the IngestConfiguration").
      await ivs.send(new DeleteIngestConfigurationCommand({ arn, force: true }));
    } else if (kind === 'stage') {
      await pace.turn('DeleteStage');
      await ivs.send(new DeleteStageCommand({ arn }));
    } else {
      await pace.turn('DeletePublicKey');
      await ivs.send(new DeletePublicKeyCommand({ arn }));
    }
    return 'removed';
  } catch (e) {
    if (isNotFound(e)) return 'gone';
    // ConflictException: "Updating or deleting a resource can cause an inconsistent state": a composition that
    // cannot be stopped is already stopping or stopped (the janitor's reading too).
    if (kind === 'composition' && isConflict(e)) return 'gone';
    throw e;
  }
}
