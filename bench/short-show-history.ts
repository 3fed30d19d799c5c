/**
 * `npx tsx bench/short-show-history.ts [--runs N]`: what a short show's history is made of. On the private local
 * stack (events wired, as in production), a show goes live, stays on air a few seconds and ends with the `end`
 * update — the replay recorder's happy path. Prints the show's history events by type (signals by name) and the
 * account's composition monitor's history growth, so a change that quiets ivsEvent / pollNow noise can be measured;
 * `--sequence` also prints the order of events (IVS events by name, workflow tasks left out).
 */
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { WorkflowHandle } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { startPrivateLocalStack, type LocalStack } from '../dev/stack/local-stack';
import { startShow } from '../client/start-show';
import { parseShowSpec } from '../show-spec/parse-show-spec';
import { compositionMonitorWorkflowId } from '../contracts/ids';
import { endUpdate, participantTokensQuery, statusQuery } from '../contracts/show-messages';
import type { ShowStatus } from '../contracts/show-status';
import type { showWorkflow } from '../workflows';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const EventType = temporal.api.enums.v1.EventType;

async function until(handle: WorkflowHandle<typeof showWorkflow>, ok: (s: ShowStatus) => boolean): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (ok(await handle.query(statusQuery))) return;
    await sleep(250);
  }
  throw new Error('scenario timed out');
}

async function shortShow(stack: LocalStack, bucket: string, id: string): Promise<WorkflowHandle<typeof showWorkflow>> {
  const spec = parseShowSpec({
    id,
    name: `History ${id}`,
    schedule: { duration: '10m', leadTime: 0 },
    participants: [{ userId: 'host', role: 'host' }],
    ingest: { enabled: true },
    composition: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/historyChan1', recording: { bucket } },
    individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2 },
    policies: { pollInterval: '1s', recordingsSettleTimeout: '20s' },
  });
  const handle = await startShow(stack.client, spec, {
    taskQueue: stack.taskQueue,
    monitorTaskQueue: stack.monitorTaskQueue,
  });
  await until(handle, (s) => s.phase === 'WAITING_FOR_PUBLISHER');
  const [token] = await handle.query(participantTokensQuery);
  await stack.control.join(token!.token, { publish: true });
  await until(handle, (s) => s.phase === 'LIVE' && s.composition?.state === 'ACTIVE');
  await sleep(3_000);
  await handle.executeUpdate(endUpdate, { args: [{ reason: 'measured' }] });
  await stack.control.leave({ token: token!.token }).catch(() => undefined);
  await handle.result();
  return handle;
}

async function eventCounts(
  stack: LocalStack,
  handle: WorkflowHandle,
): Promise<{ total: number; byType: Record<string, number>; sequence: string[] }> {
  const history = await handle.fetchHistory();
  const byType: Record<string, number> = {};
  const sequence: string[] = [];
  for (const e of history.events ?? []) {
    let type = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
    if (e.workflowExecutionSignaledEventAttributes) {
      const { signalName, input } = e.workflowExecutionSignaledEventAttributes;
      type += `:${signalName}`;
      if (signalName === 'ivsEvent') {
        const [event] = (await decodeArrayFromPayloads(
          stack.client.options.loadedDataConverter,
          input?.payloads ?? [],
        )) as ({ eventName?: string } | undefined)[];
        sequence.push(`ivsEvent(${event?.eventName})`);
      } else sequence.push(type);
    } else if (!type.startsWith('WORKFLOW_TASK_')) sequence.push(type);
    if (e.signalExternalWorkflowExecutionInitiatedEventAttributes)
      type += `:${e.signalExternalWorkflowExecutionInitiatedEventAttributes.signalName}`;
    byType[type] = (byType[type] ?? 0) + 1;
  }
  return { total: history.events?.length ?? 0, byType, sequence };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '2' }, sequence: { type: 'boolean', default: false } },
  });
  const runs = Number(values.runs);
  const stack = await startPrivateLocalStack((line) => console.error(line));
  try {
    const bucket = `history-${Date.now().toString(36)}`;
    await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const monitor = stack.client.workflow.getHandle(
      compositionMonitorWorkflowId(stack.monitorTaskQueue, '123456789012', 'us-east-1'),
    );
    for (let i = 1; i <= runs; i++) {
      const monitorBefore = await monitor
        .describe()
        .then((d) => d.historyLength)
        .catch(() => 0);
      const handle = await shortShow(stack, bucket, `history-${Date.now().toString(36)}`);
      const { total, byType, sequence } = await eventCounts(stack, handle);
      const monitorAfter = (await monitor.describe()).historyLength;
      const signals = Object.entries(byType)
        .filter(([t]) => t.startsWith('WORKFLOW_EXECUTION_SIGNALED') || t.startsWith('SIGNAL_EXTERNAL'))
        .map(([t, n]) => `${t.replace(/^.*:/, '')}=${n}`)
        .join(' ');
      console.log(`run ${i}: show history ${total} events; monitor +${monitorAfter - monitorBefore}; ${signals}`);
      console.log(`  ${JSON.stringify(byType)}`);
      if (values.sequence) console.log(`  sequence (workflow tasks left out): ${sequence.join(' ')}`);
    }
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
