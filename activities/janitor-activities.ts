import {
  DeleteIngestConfigurationCommand,
  DeleteStageCommand,
  ListTagsForResourceCommand,
  paginateListCompositions,
  paginateListIngestConfigurations,
  paginateListStages,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type {
  FoundResources,
  JanitorActivities,
  JanitorResourceKind,
  ShowrunnerResource,
  ShowWorkflowState,
} from '../contracts/janitor';
import { isKept, isManaged, TAG_SHOW_ID, TAG_WORKFLOW_ID } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { aws, isConflict, isNotFound, toFailure } from './aws-errors';

export interface JanitorDeps {
  aws: AwsClients;
  /** Describes show workflows; must be connected to the namespace the shows run in. */
  client: Client;
}

/** Only a show known to be over may lose its resources; anything else (PAUSED, UNKNOWN, ...) counts as running. */
const CLOSED_STATUSES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);
const LIVE_COMPOSITION_STATES = new Set(['STARTING', 'ACTIVE']);

function describeResource(
  kind: JanitorResourceKind,
  region: string,
  arn: string,
  tags: Record<string, string>,
  extra: { createdAt?: Date; state?: string } = {},
): ShowrunnerResource {
  return {
    kind,
    region,
    arn,
    showWorkflowId: tags[TAG_WORKFLOW_ID] || undefined,
    showId: tags[TAG_SHOW_ID] || undefined,
    kept: isKept(tags),
    createdAt: extra.createdAt?.toISOString(),
    state: extra.state,
  };
}

export function createJanitorActivities(deps: JanitorDeps): JanitorActivities {
  async function tagsOf(region: string, arn: string): Promise<Record<string, string> | undefined> {
    try {
      const { tags } = await deps.aws.ivs({ region }).send(new ListTagsForResourceCommand({ resourceArn: arn }));
      return tags ?? {};
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toFailure(e, `ListTagsForResource ${arn}`);
    }
  }

  async function showWorkflowState(workflowId: string): Promise<ShowWorkflowState> {
    try {
      const d = await deps.client.workflow.getHandle(workflowId).describe();
      const status = d.status.name;
      if (!CLOSED_STATUSES.has(status)) return { status: 'RUNNING', detail: status };
      // A closed execution always has a close time; the fallback only guards against a malformed answer.
      const closedAt = (d.closeTime ?? d.startTime).toISOString();
      return { status: 'CLOSED', detail: status, closedAt };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return { status: 'NOT_FOUND' };
      throw e;
    }
  }

  return {
    /**
     * Lists one region's stages, live compositions and ingest configurations and returns those tagged as
     * Showrunner's. Stage and composition summaries carry tags; ingest configuration summaries do not, so each
     * one costs a ListTagsForResource (which never exposes the stream key, unlike GetIngestConfiguration).
     */
    async findShowrunnerResources(input) {
      const { region } = input;
      const ivs = deps.aws.ivs({ region });
      const found: FoundResources = {
        region,
        scanned: { stages: 0, compositions: 0, ingestConfigurations: 0 },
        resources: [],
      };
      await aws('ListStages', async () => {
        for await (const page of paginateListStages({ client: ivs }, { maxResults: 100 })) {
          for (const s of page.stages ?? []) {
            found.scanned.stages++;
            if (s.arn && isManaged(s.tags)) found.resources.push(describeResource('stage', region, s.arn, s.tags));
          }
        }
      });
      await aws('ListCompositions', async () => {
        for await (const page of paginateListCompositions({ client: ivs }, { maxResults: 100 })) {
          for (const c of page.compositions ?? []) {
            // Stopped and failed compositions cost nothing and are purged by IVS itself.
            if (!c.arn || !LIVE_COMPOSITION_STATES.has(c.state ?? '')) continue;
            found.scanned.compositions++;
            if (isManaged(c.tags))
              found.resources.push(
                describeResource('composition', region, c.arn, c.tags, { createdAt: c.startTime, state: c.state }),
              );
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
        const tags = await tagsOf(region, arn);
        if (isManaged(tags)) found.resources.push(describeResource('ingestConfiguration', region, arn, tags));
      }
      return found;
    },

    async showWorkflowStates(input) {
      const states: Record<string, ShowWorkflowState> = {};
      for (const id of input.workflowIds) states[id] = await showWorkflowState(id);
      return states;
    },

    /**
     * Stops a composition, force-deletes an ingest configuration (disconnecting any encoder) or deletes a stage.
     * The tags are read again first: a resource someone marked as kept, or re-tagged, since the scan is left alone.
     * Already gone is done.
     */
    async removeResource(input) {
      const { region, kind, arn } = input;
      const tags = await tagsOf(region, arn);
      if (!tags) return { outcome: 'gone' };
      if (!isManaged(tags)) return { outcome: 'refused', reason: 'no longer tagged as Showrunner’s' };
      if (isKept(tags)) return { outcome: 'refused', reason: 'marked as kept since the scan' };
      if (tags[TAG_WORKFLOW_ID] !== input.showWorkflowId)
        return { outcome: 'refused', reason: `its workflow-id tag changed to ${tags[TAG_WORKFLOW_ID] ?? '(none)'}` };
      const ivs = deps.aws.ivs({ region });
      try {
        if (kind === 'composition') await ivs.send(new StopCompositionCommand({ arn }));
        else if (kind === 'ingestConfiguration')
          await ivs.send(new DeleteIngestConfigurationCommand({ arn, force: true }));
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
