import { ParentClosePolicy, startChild, workflowInfo, type WorkflowInfo } from '@temporalio/workflow';
import { scheduledShowId, workflowIdForShow } from '../contracts/ids';
import {
  CHANNEL_ARN,
  SCHEDULED_START,
  SHOW_ID,
  SHOW_PHASE,
  TEMPORAL_SCHEDULED_START_TIME,
} from '../contracts/search-attributes';
import type { ShowSpec } from '../show-spec/show-spec';
import { showWorkflow } from './show/show-workflow';
import { workflowTracingMemo, workflowTracingOn } from '../contracts/workflow-tracing';

export interface ScheduledShowInput {
  /** Names every run: `<schedule id>-<yyyymmddhhmmss>`. */
  scheduleId: string;
  /** The template: its id is replaced and its schedule starts at the scheduled time. */
  spec: ShowSpec;
  monitorTaskQueue?: string;
}

/** Temporal appends the scheduled time to the action's workflow ID: `<workflowId>-2025-01-31T17:00:00Z`. */
const SCHEDULED_TIME_SUFFIX = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))$/;

/** Deterministic: both sources are recorded in the workflow's start event. */
function scheduledTimeOf(info: WorkflowInfo): Date {
  const fromAttribute = info.typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME);
  if (fromAttribute) return new Date(fromAttribute);
  const fromId = SCHEDULED_TIME_SUFFIX.exec(info.workflowId)?.[1];
  if (fromId) return new Date(fromId);
  return info.startTime;
}

/**
 * What a schedule's action runs. A schedule passes the same arguments to every run, so the show workflow
 * would get the same show ID each time; this starter derives a distinct one from the scheduled time and starts
 * the show as an abandoned child, so the show outlives it and has the same ID shape as a manual start.
 */
export async function scheduledShowWorkflow(input: ScheduledShowInput): Promise<string> {
  const scheduledAt = scheduledTimeOf(workflowInfo());
  const showId = scheduledShowId(input.scheduleId, scheduledAt);
  // A template end would be a fixed instant: every run gets the template's duration from its scheduled time.
  const spec: ShowSpec = {
    ...input.spec,
    id: showId,
    schedule: { ...input.spec.schedule, start: scheduledAt.toISOString(), end: undefined },
  };
  const child = await startChild(showWorkflow, {
    workflowId: workflowIdForShow(showId),
    args: [{ spec, options: { monitorTaskQueue: input.monitorTaskQueue } }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    // The show traces its workflow code exactly when this run does (contracts/workflow-tracing.ts).
    memo: workflowTracingMemo(workflowTracingOn(workflowInfo().memo)),
    typedSearchAttributes: [
      { key: SHOW_ID, value: showId },
      { key: SHOW_PHASE, value: 'SCHEDULED' },
      { key: SCHEDULED_START, value: scheduledAt },
      ...(spec.composition?.channelArn ? [{ key: CHANNEL_ARN, value: spec.composition.channelArn }] : []),
    ],
    staticSummary: `Show ${spec.name} (${showId}) from schedule ${input.scheduleId}`,
  });
  return child.workflowId;
}
