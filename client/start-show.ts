import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ShowSpec } from '../show-spec/show-spec';
import { workflowIdForShow } from '../contracts/ids';
import { showWorkflow } from '../workflows';
import { workflowTracingMemo } from '../contracts/workflow-tracing';
import { CHANNEL_ARN, SCHEDULED_START, SHOW_ID, SHOW_PHASE } from '../contracts/search-attributes';

export interface StartShowOptions {
  taskQueue: string;
  monitorTaskQueue?: string;
  /** Test hook: continue as new once history reaches this many events. */
  continueAsNewAfterEvents?: number;
  /** A one-off later start (Temporal's startDelay): the workflow does not exist in the UI's running list before. */
  startDelayMs?: number;
  /**
   * Whether the run's workflow code is traced (contracts/workflow-tracing.ts), written in its memo; off unless asked.
   * The CLI and the demo ask when their environment turns tracing on (workflowTracingFromEnv).
   */
  workflowTracing?: boolean;
}

/**
 * Starts a show's workflow with what an operator needs in the Web UI from the first second: a readable ID
 * (`show-<id>`), typed search attributes, and a static summary and details.
 */
export async function startShow(
  client: Client,
  spec: ShowSpec,
  options: StartShowOptions,
): Promise<WorkflowHandle<typeof showWorkflow>> {
  const scheduledStart = spec.schedule.start
    ? new Date(spec.schedule.start)
    : new Date(Date.now() + (options.startDelayMs ?? 0));
  const typedSearchAttributes = [
    { key: SHOW_ID, value: spec.id },
    { key: SHOW_PHASE, value: 'SCHEDULED' },
    { key: SCHEDULED_START, value: scheduledStart },
    ...(spec.composition?.channelArn ? [{ key: CHANNEL_ARN, value: spec.composition.channelArn }] : []),
  ];
  return client.workflow.start(showWorkflow, {
    workflowId: workflowIdForShow(spec.id),
    taskQueue: options.taskQueue,
    args: [
      {
        spec,
        options: {
          monitorTaskQueue: options.monitorTaskQueue,
          continueAsNewAfterEvents: options.continueAsNewAfterEvents,
        },
      },
    ],
    typedSearchAttributes,
    memo: workflowTracingMemo(options.workflowTracing ?? false),
    staticSummary: `Show ${spec.name} (${spec.id})`,
    staticDetails: staticDetails(spec),
    startDelay: options.startDelayMs,
  });
}

function staticDetails(spec: ShowSpec): string {
  const lines = [
    `**${spec.name}** \`${spec.id}\``,
    '',
    `- Schedule: ${spec.schedule.start ?? 'now'} for ${spec.schedule.end ? `until ${spec.schedule.end}` : `${Math.round((spec.schedule.duration ?? 0) / 60_000)} min`}, prepared ${Math.round(spec.schedule.leadTime / 1000)} s ahead`,
    `- Participants: ${spec.participants.map((p) => `${p.userId} (${p.role})`).join(', ') || 'none'}`,
    `- Ingest: ${spec.ingest?.enabled ? spec.ingest.protocol : 'off'}`,
    `- Composition: ${spec.composition?.enabled ? [spec.composition.channelArn ? 'channel' : '', spec.composition.recording ? 'S3 recording' : ''].filter(Boolean).join(' + ') : 'off'}`,
    `- Individual recording: ${spec.individualRecording?.enabled ? spec.individualRecording.mediaType : 'off'}`,
    `- Policies: start ${spec.policies.startComposition}, tolerate RECONNECTING ${Math.round(spec.policies.reconnectingTolerance / 1000)} s, up to ${spec.policies.maxCompositionRestarts} restarts`,
  ];
  return lines.join('\n');
}
