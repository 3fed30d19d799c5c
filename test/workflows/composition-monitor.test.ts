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
import { createMonitorRegistrationActivities } from '../../activities/monitor-registration';
import { sameSnapshot, type CompositionSnapshot } from '../../contracts/composition';
import type { CompositionWatch, ShowToSignal } from '../../contracts/monitor-messages';
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
        // The real one: it signals the shows through this client.
        signalChangedShows: (shows: ShowToSignal[]) =>
          createMonitorRegistrationActivities({ client, taskQueue }).signalChangedShows(shows),
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

  const isPollScheduled = (e: temporal.api.history.v1.IHistoryEvent) =>
    e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED;

  const signalsTo = async (handle: WorkflowHandle) => {
    const history = await handle.fetchHistory();
    return (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  };

  void test('several shows changed in one poll are signalled within the task that saw it; a gone show is unwatched', async () => {
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
      // The shows hear of a change before the monitor's task that sent it completes: wait for its next poll.
      await waitFor(async () => (await monitor.fetchHistory()).events!.filter(isPollScheduled).length === 4, 20_000, {
        description: 'the poll after the third change scheduled',
      });
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
    const events = history.events ?? [];
    const count = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
    // The signals went out from the worker: no signal-external command, so no answer that wakes the monitor again.
    assert.equal(count(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED), 0, 'no signal-external');
    assert.equal(count(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED), 0, 'no answers to wake on');
    const localActivities = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    assert.equal(localActivities.length, 3, 'one local activity per change: 4 shows, 4, then 1');
    // Each change took the monitor one workflow task: from the poll that saw it to the next poll scheduled.
    const tasksPerChange: number[] = [];
    let tasks: number | undefined;
    for (const e of events) {
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) tasks = 0;
      else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && tasks !== undefined) tasks++;
      else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && tasks !== undefined) {
        tasksPerChange.push(tasks);
        tasks = undefined;
      }
    }
    assert.deepEqual(tasksPerChange, [1, 1, 1], `workflow tasks per change: ${tasksPerChange.join(', ')}`);
  });
});
