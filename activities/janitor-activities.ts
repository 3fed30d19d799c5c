import {
  DeleteIngestConfigurationCommand,
  DeletePublicKeyCommand,
  DeleteStageCommand,
  ListTagsForResourceCommand,
  paginateListCompositions,
  paginateListIngestConfigurations,
  paginateListPublicKeys,
  paginateListStages,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import type { AccountRegion } from '../contracts/aws-scope';
import type { AwsClients } from './aws-clients';
import { aws, isConflict, isNotFound, toFailure } from './aws-errors';
import {
  showRunKey,
  type FoundResources,
  type JanitorResourceKind,
  type RemoveResourceInput,
  type RemoveResourceResult,
  type ShowRunRef,
  type ShowrunnerResource,
  type ShowWorkflowState,
  type JanitorActivities,
} from '../contracts/janitor';
import { isKept, isManaged, TAG_RUN_KEY, TAG_SHOW_ID, TAG_WORKFLOW_ID } from '../contracts/tags';

export interface JanitorDeps {
  aws: AwsClients;
  /** Describes show workflows; must be connected to the namespace the shows run in. */
  client: Client;
  /**
   * The accounts of SHOWRUNNER_AWS_ACCOUNTS: each region is swept with the worker's own credentials and in each of
   * these through its role, as shows may run in any of them.
   */
  accounts?: string[];
}

/** Only a show known to be over may lose its resources; anything else (PAUSED, UNKNOWN, ...) counts as running. */
const CLOSED_STATUSES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);
const LIVE_COMPOSITION_STATES = new Set(['STARTING', 'ACTIVE']);
/** Temporal run IDs are UUIDs; a run key of any other shape was not written by a show, so nothing is looked up. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The run key a resource's tags name, if it has the shape of one. */
export const runKeyOf = (tags: Record<string, string>): string | undefined => {
  const key = tags[TAG_RUN_KEY];
  return key && RUN_ID.test(key) ? key : undefined;
};

function describeResource(
  kind: JanitorResourceKind,
  scope: AccountRegion,
  arn: string,
  tags: Record<string, string>,
  extra: { createdAt?: Date; state?: string } = {},
): ShowrunnerResource {
  return {
    kind,
    region: scope.region,
    ...(scope.account ? { account: scope.account } : {}),
    arn,
    showWorkflowId: tags[TAG_WORKFLOW_ID] || undefined,
    runKey: runKeyOf(tags),
    showId: tags[TAG_SHOW_ID] || undefined,
    kept: isKept(tags),
    createdAt: extra.createdAt?.toISOString(),
    state: extra.state,
  };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createJanitorActivities(deps: JanitorDeps): JanitorActivities {
  async function tagsOf(scope: AccountRegion, arn: string): Promise<Record<string, string> | undefined> {
    try {
      const { tags } = await deps.aws.ivs(scope).send(new ListTagsForResourceCommand({ resourceArn: arn }));
      return tags ?? {};
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toFailure(e, `ListTagsForResource ${arn}`);
    }
  }

  function stateOf(d: WorkflowExecutionDescription): ShowWorkflowState {
    const status = d.status.name;
    if (!CLOSED_STATUSES.has(status)) return { status: 'RUNNING', detail: status };
    // A closed execution always has a close time; the fallback only guards against a malformed answer.
    const closedAt = (d.closeTime ?? d.startTime).toISOString();
    return { status: 'CLOSED', detail: status, closedAt };
  }

  async function describe(workflowId: string, runId?: string): Promise<WorkflowExecutionDescription | undefined> {
    try {
      return await deps.client.workflow.getHandle(workflowId, runId).describe();
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return undefined;
      throw e;
    }
  }

  /**
   * The state of the execution chain a resource names. The tags are only a claim: the chain must exist in this
   * namespace with that workflow ID *and* that first run ID, which a show writes as `showrunner:run-key` from
   * workflowInfo().firstExecutionRunId and which describe() reports as the chain's firstRunId.
   */
  async function showRunState(ref: ShowRunRef): Promise<ShowWorkflowState> {
    const latest = await describe(ref.workflowId);
    if (!latest) return { status: 'NOT_FOUND', detail: `no workflow ${ref.workflowId}` };
    const firstRunId = latest.raw.workflowExecutionInfo?.firstRunId;
    if (firstRunId === ref.runKey) return stateOf(latest);
    // Another execution chain holds the workflow ID now (or the server does not report first run IDs): look for
    // the run the tag names.
    const named = await describe(ref.workflowId, ref.runKey);
    if (!named) return { status: 'NOT_FOUND', detail: `workflow ${ref.workflowId} has no run ${ref.runKey}` };
    // A server without first run IDs: the named run's own status, where a continued-as-new run counts as running.
    if (!firstRunId) return stateOf(named);
    // Only one chain per workflow ID is open at a time, so the named chain closed no later than the current one
    // started: measuring the grace period from that start never shortens it.
    return {
      status: 'CLOSED',
      detail: `superseded by a later ${ref.workflowId}`,
      closedAt: latest.startTime.toISOString(),
    };
  }

  /** One account's resources in one region. */
  async function scanScope(scope: AccountRegion, found: FoundResources): Promise<void> {
    const ivs = deps.aws.ivs(scope);
    const add = (r: ShowrunnerResource) => {
      if (!found.resources.some((f) => f.arn === r.arn)) found.resources.push(r);
    };
    await aws('ListStages', async () => {
      for await (const page of paginateListStages({ client: ivs }, { maxResults: 100 })) {
        for (const s of page.stages ?? []) {
          found.scanned.stages++;
          if (s.arn && isManaged(s.tags)) add(describeResource('stage', scope, s.arn, s.tags));
        }
      }
    });
    await aws('ListCompositions', async () => {
      for await (const page of paginateListCompositions({ client: ivs }, { maxResults: 100 })) {
        for (const c of page.compositions ?? []) {
          // Stopped and failed compositions cost nothing and are purged by IVS itself ("Composition stops and the
          // resource is deleted"). Relies on CompositionSummary.state and .tags, and on StageSummary.tags above:
          // the summaries carry the tags, so no Get call per resource is needed to tell ours.
          if (!c.arn || !LIVE_COMPOSITION_STATES.has(c.state ?? '')) continue;
          found.scanned.compositions++;
          if (isManaged(c.tags))
            add(describeResource('composition', scope, c.arn, c.tags, { createdAt: c.startTime, state: c.state }));
        }
      }
    });
    const ingestArns: string[] = [];
    await aws('ListIngestConfigurations', async () => {
      for await (const page of paginateListIngestConfigurations({ client: ivs }, { maxResults: 100 })) {
        for (const c of page.ingestConfigurations ?? []) if (c.arn) ingestArns.push(c.arn);
      }
    });
    for (const arn of ingestArns) {
      found.scanned.ingestConfigurations++;
      const tags = await tagsOf(scope, arn);
      if (isManaged(tags)) add(describeResource('ingestConfiguration', scope, arn, tags));
    }
    // A show terminated before its tidy-up leaves its audience key: every viewer token it signed works until the key
    // goes. Summaries carry tags, so one call per 100 keys.
    await aws('ListPublicKeys', async () => {
      for await (const page of paginateListPublicKeys({ client: ivs }, { maxResults: 100 }))
        for (const k of page.publicKeys ?? [])
          if (k.arn && isManaged(k.tags)) add(describeResource('publicKey', scope, k.arn, k.tags));
    });
  }

  return {
    /**
     * Lists one region's stages, live compositions, ingest configurations and public keys — with the worker's own credentials
     * and in every account of SHOWRUNNER_AWS_ACCOUNTS — and returns those tagged as Showrunner's. Stage and
     * composition summaries carry tags; ingest configuration summaries do not, so each one costs a
     * ListTagsForResource (which never exposes the stream key, unlike GetIngestConfiguration). The worker's own
     * scan failing fails the activity (it is retried); another account's failing is reported and the rest stand.
     */
    async findShowrunnerResources(input) {
      const { region } = input;
      const found: FoundResources = {
        region,
        scanned: { stages: 0, compositions: 0, ingestConfigurations: 0 },
        resources: [],
        failed: [],
      };
      await scanScope({ region }, found);
      for (const account of deps.accounts ?? []) {
        try {
          await scanScope({ region, account }, found);
        } catch (e) {
          found.failed!.push({ account, error: messageOf(e) });
        }
      }
      return found;
    },

    /** Describes many show executions in one activity, to keep the janitor's history short. */
    async showWorkflowStates(input: { shows: ShowRunRef[] }): Promise<Record<string, ShowWorkflowState>> {
      const states: Record<string, ShowWorkflowState> = {};
      for (const ref of input.shows) states[showRunKey(ref)] = await showRunState(ref);
      return states;
    },

    /**
     * Stops a composition, force-deletes an ingest configuration (disconnecting any encoder) or deletes a stage.
     * The tags are read again first: a resource someone marked as kept, or re-tagged, since the scan is left alone.
     * Already gone is done.
     */
    async removeResource(input: RemoveResourceInput): Promise<RemoveResourceResult> {
      const { kind, arn } = input;
      const scope: AccountRegion = { region: input.region, ...(input.account ? { account: input.account } : {}) };
      const tags = await tagsOf(scope, arn);
      if (!tags) return { outcome: 'gone' };
      if (!isManaged(tags)) return { outcome: 'refused', reason: 'no longer tagged as Showrunner’s' };
      if (isKept(tags)) return { outcome: 'refused', reason: 'marked as kept since the scan' };
      if (tags[TAG_WORKFLOW_ID] !== input.showWorkflowId)
        return { outcome: 'refused', reason: `its workflow-id tag changed to ${tags[TAG_WORKFLOW_ID] ?? '(none)'}` };
      if (tags[TAG_RUN_KEY] !== input.runKey)
        return { outcome: 'refused', reason: `its run-key tag changed to ${tags[TAG_RUN_KEY] ?? '(none)'}` };
      const ivs = deps.aws.ivs(scope);
      try {
        if (kind === 'composition') await ivs.send(new StopCompositionCommand({ arn }));
        else if (kind === 'ingestConfiguration')
          await ivs.send(new DeleteIngestConfigurationCommand({ arn, force: true }));
        else if (kind === 'publicKey') await ivs.send(new DeletePublicKeyCommand({ arn }));
        else await ivs.send(new DeleteStageCommand({ arn }));
        return { outcome: 'removed' };
      } catch (e) {
        if (isNotFound(e)) return { outcome: 'gone' };
        // A composition that cannot be stopped is already stopping or stopped.
        if (kind === 'composition' && isConflict(e)) return { outcome: 'gone' };
        throw toFailure(e, `remove ${kind} ${arn}`);
      }
    },
  };
}
