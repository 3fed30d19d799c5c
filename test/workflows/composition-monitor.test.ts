import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { notYet } from '../../activities/aws-errors';
import { sameSnapshot, type CompositionSnapshot } from '../../contracts/composition';
import type { CompositionWatch } from '../../contracts/monitor-messages';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';
import { installQuietRuntime } from '../../dev/services/in-process-workers';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { tracingOff } from '../../worker/tracing';
import type { compositionMonitorWorkflow } from '../../workflows';
import { REPLAY_FIXTURE_KEYS } from '../replay/fixture-key';
import { testTemporalEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const { EventType } = temporal.api.enums.v1;

/**
 * `SHOWRUNNER_RECORD_MONITOR_FIXTURE=<file> npm test -- test/workflows/composition-monitor.test.ts` saves the
 * monitor's history of the burst test to test/replay/histories/<file>.json for the replay gate (it is encrypted with
 * the fixtures' key like the shows' histories).
 */
const RECORD = process.env.SHOWRUNNER_RECORD_MONITOR_FIXTURE;

const snapshot = (arn: string, state: string): CompositionSnapshot => ({
  arn,
  state: 'ACTIVE',
  destinations: [{ id: 'channel', state }],
});

/**
 * The composition monitor on its own: the real workflow (the production bundle) with a pollCompositions that reads
 * compositions the test sets. The "shows" it signals are workflows no worker runs: they stay open, and what the
 * monitor sent them is in their histories.
 */
void describe('composition monitor', () => {
  const taskQueue = `monitor-test-${randomBytes(4).toString('hex')}`;
  const dataConverter = createDataConverter(loadKeyRing({ SHOWRUNNER_ENCRYPTION_KEYS: REPLAY_FIXTURE_KEYS }));
  /** What ListCompositions would say now, per composition ARN. */
  const current = new Map<string, CompositionSnapshot>();
  /** The watched ARNs each poll was asked about. */
  const polled: string[][] = [];
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  before(async () => {
    installQuietRuntime('WARN');
    const env = testTemporalEnv();
    client = new Client({
      connection: await Connection.connect({ address: env.address }),
      namespace: env.namespace,
      dataConverter,
    });
    worker = await Worker.create({
      connection: await NativeConnection.connect({ address: env.address }),
      namespace: env.namespace,
      taskQueue,
      workflowBundle: await cachedWorkflowBundle(),
      sinks: tracingOff.sinks,
      dataConverter,
      activities: {
        // Like the real activity (activities/composition-activities.ts), without IVS.
        pollCompositions: (input: { known: CompositionSnapshot[] }) => {
          polled.push(input.known.map((k) => k.arn));
          const now = input.known.map((k) => current.get(k.arn) ?? k);
          if (!now.some((s, i) => !sameSnapshot(s, input.known[i]!))) throw notYet('no watched composition changed');
          return Promise.resolve(now);
        },
      },
    });
    running = worker.run();
  });

  after(async () => {
    worker.shutdown();
    await running;
  });

  const signalsTo = async (handle: WorkflowHandle) => {
    const history = await handle.fetchHistory();
    return (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  };

  void test('several shows changed in one poll are signalled from one workflow task; a gone show is unwatched', async () => {
    const id = randomBytes(3).toString('hex');
    const shows = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        // Nobody polls this queue: the "show" stays running and keeps what it is sent in its history.
        client.workflow.start('fakeShow', { taskQueue: `${taskQueue}-nobody`, workflowId: `fake-show-${id}-${n}` }),
      ),
    );
    const watches: (CompositionWatch & { known: CompositionSnapshot })[] = shows.map((s, n) => {
      const arn = `arn:aws:ivs:us-east-1:123456789012:composition/c${id}${n}`;
      current.set(arn, snapshot(arn, 'ACTIVE'));
      return {
        compositionArn: arn,
        showWorkflowId: s.workflowId,
        pollIntervalMs: 1_000,
        known: snapshot(arn, 'ACTIVE'),
      };
    });
    const arns = watches.map((w) => w.compositionArn);
    const monitor = await client.workflow.start<typeof compositionMonitorWorkflow>('compositionMonitorWorkflow', {
      taskQueue,
      workflowId: `monitor-test-${id}`,
      args: [{ region: 'us-east-1', watches, idleTimeoutMs: 60_000 }],
    });
    try {
      await waitFor(() => polled.some((p) => p.includes(arns[0]!)), 20_000, { description: 'the monitor polled' });

      // Every composition changes at once.
      for (const arn of arns) current.set(arn, snapshot(arn, 'RECONNECTING'));
      for (const show of shows)
        await waitFor(async () => (await signalsTo(show)).length === 1, 20_000, {
          description: `${show.workflowId} signalled`,
        });

      // The last show is gone: the next change reaches the others, and the monitor stops watching its composition.
      await shows[3]!.terminate('the show ended');
      for (const arn of arns) current.set(arn, snapshot(arn, 'ACTIVE'));
      for (const show of shows.slice(0, 3))
        await waitFor(async () => (await signalsTo(show)).length === 2, 20_000, {
          description: `${show.workflowId} signalled again`,
        });
      current.set(arns[0]!, snapshot(arns[0]!, 'RECONNECTING'));
      await waitFor(async () => (await signalsTo(shows[0]!)).length === 3, 20_000, { description: 'a third change' });
      const lastPoll = polled.filter((p) => p.includes(arns[0]!)).at(-1)!;
      assert.deepEqual(lastPoll, arns.slice(0, 3), 'the gone show’s composition is no longer polled');
    } finally {
      await monitor.terminate('test over').catch(() => undefined);
      for (const show of shows) await show.terminate('test over').catch(() => undefined);
    }

    const history = await monitor.fetchHistory();
    if (RECORD) {
      const file = path.join(__dirname, '..', 'replay', 'histories', `${RECORD}.json`);
      const json = JSON.parse(historyToJSON(history)) as unknown;
      writeFileSync(file, JSON.stringify({ workflowId: monitor.workflowId, history: json }, null, 1));
    }
    // The burst's four signals (the first change): all initiated by one workflow task.
    const initiated = (history.events ?? []).filter(
      (e) => e.eventType === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
    );
    const byTask = initiated.map((e) =>
      String(e.signalExternalWorkflowExecutionInitiatedEventAttributes!.workflowTaskCompletedEventId),
    );
    assert.equal(initiated.length, 4 + 4 + 1, 'a signal per change and show (the gone show’s failed)');
    assert.equal(new Set(byTask.slice(0, 4)).size, 1, `the burst's signals came from one task: ${byTask.join(', ')}`);
    assert.equal(new Set(byTask.slice(4, 8)).size, 1, `the second burst's too: ${byTask.join(', ')}`);
  });
});
