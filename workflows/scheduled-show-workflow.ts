import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ParentClosePolicy, startChild, workflowInfo, type WorkflowInfo } from '@temporalio/workflow';
import { workflowIdForShow, type ShowSpec } from '../spec/show-spec';
import { CHANNEL_ARN, SCHEDULED_START, SHOW_ID, SHOW_PHASE } from './search-attributes';
import { showWorkflow } from './show-workflow';

export interface ScheduledShowInput {
  /** Names every run: `<schedule id>-<yyyymmddhhmmss>`. */
  scheduleId: string;
  /** The template: its id is replaced and its schedule starts at the scheduled time. */
  spec: ShowSpec;
  monitorTaskQueue?: string;
}

/** Set by the server on every workflow a schedule starts (trigger and backfill included). */
const TEMPORAL_SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);
/** Temporal appends the scheduled time to the action's workflow ID: `<workflowId>-2025-01-31T17:00:00Z`. */
const SCHEDULED_TIME_SUFFIX = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))$/;
const MAX_SHOW_ID = 48;
const STAMP_LENGTH = 14;

/** FNV-1a: keeps two long schedule IDs with the same prefix apart after truncation. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36).padStart(7, '0').slice(-6);
}

/**
 * The show ID of the run scheduled at `scheduledAt`: a slug of at most 48 characters. Seconds are kept because
 * interval schedules may fire more than once a minute; a schedule ID too long for the room left is cut and
 * suffixed with a hash of the whole ID.
 */
export function scheduledShowId(scheduleId: string, scheduledAt: Date): string {
  const stamp = scheduledAt.toISOString().replace(/\D/g, '').slice(0, STAMP_LENGTH);
  const room = MAX_SHOW_ID - STAMP_LENGTH - 1;
  let base =
    scheduleId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'show';
  if (base.length > room) base = `${base.slice(0, room - 7).replace(/-+$/, '')}-${shortHash(scheduleId)}`;
  return `${base}-${stamp}`;
}

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
