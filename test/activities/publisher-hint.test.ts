import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createAwsClients, type AwsClients } from '../../activities/aws-clients';
import { createStageActivities } from '../../activities/stage-activities';
import { publisherHintOf } from '../../contracts/stage';
import { parseEventsBody, type IvsEventInput } from '../../events/ivs-event-schema';
import { showEventOf } from '../../events/show-event';
import { emulatorFixturePerSuite, stageKit } from '../support/emulator-scenarios';
import { apiCalls } from '../support/show-scenarios';
import { testTemporalEnv } from '../support/test-env';

const REGION = 'us-east-1';
type AwaitInput = Parameters<ReturnType<typeof createStageActivities>['awaitPublisher']>[0];

/**
 * awaitPublisher with the hint a "Participant Published" event carries: the named participant is asked about first
 * (GetParticipant and its events, side by side); the hint is never trusted on its own, so a stale or made-up one
 * falls back to the full look (GetStage, ListParticipants, events).
 */
void describe('awaitPublisher: the publisher an event named is asked about first', () => {
  const fixture = emulatorFixturePerSuite();
  const kit = stageKit(fixture);
  let aws: AwsClients;
  before(() => {
    aws = createAwsClients({
      defaultRegion: REGION,
      ivsEndpoint: fixture.emulator.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  after(() => aws?.destroy());

  /** The calls one awaitPublisher made, and its answer or failure. */
  async function poll(stageArn: string, hint?: { sessionId: string; participantId: string }) {
    const before = await apiCalls(fixture);
    const outcome = await createStageActivities(aws)
      .awaitPublisher({ region: REGION, stageArn, hint })
      .then(
        (seen) => ({ seen, error: undefined }),
        (error: unknown) => ({ seen: undefined, error: error as { type?: string; message?: string } }),
      );
    const after = await apiCalls(fixture);
    const calls = Object.fromEntries(
      Object.keys(after)
        .filter((op) => after[op] !== (before[op] ?? 0))
        .map((op) => [op, after[op]! - (before[op] ?? 0)]),
    );
    return { ...outcome, calls };
  }

  void test('a hint naming a participant publishing now answers in one round trip, without GetStage', async () => {
    const stageArn = await kit.stage('hinted');
    const host = await kit.join(stageArn, { userId: 'host', publish: true });
    const result = await poll(stageArn, { sessionId: host.sessionId, participantId: host.participantId });
    assert.deepEqual(result.seen, { sessionId: host.sessionId, participantId: host.participantId, userId: 'host' });
    assert.deepEqual(result.calls, { GetParticipant: 1, ListParticipantEvents: 1 });
  });

  void test('a hint naming someone who stopped publishing falls back to the full look, which finds the live one', async () => {
    const stageArn = await kit.stage('stale-hint');
    const guest = await kit.join(stageArn, { userId: 'guest', publish: true });
    await fixture.control.unpublish({ stageArn, participantId: guest.participantId });
    const host = await kit.join(stageArn, { userId: 'host', publish: true });
    const result = await poll(stageArn, { sessionId: guest.sessionId, participantId: guest.participantId });
    assert.equal(result.seen?.participantId, host.participantId);
    assert.equal(result.calls.GetStage, 1, 'the full look ran');
  });

  void test('a hint naming someone who left, and nobody else publishing, is not a publisher', async () => {
    const stageArn = await kit.stage('left-hint');
    // Someone stays connected, so the session goes on after the guest leaves.
    await kit.join(stageArn, { userId: 'viewer' });
    const guest = await kit.join(stageArn, { userId: 'guest', publish: true });
    await fixture.control.leave({ stageArn, participantId: guest.participantId });
    const result = await poll(stageArn, { sessionId: guest.sessionId, participantId: guest.participantId });
    assert.equal(result.seen, undefined);
    assert.equal(result.error?.type, 'NotYet', result.error?.message);
  });

  void test('a made-up session or participant is no answer, not a failure', async () => {
    const stageArn = await kit.stage('made-up-hint');
    const host = await kit.join(stageArn, { userId: 'host', publish: true });
    const result = await poll(stageArn, { sessionId: 'st-AAAAAAAAAAAAA', participantId: 'nobody' });
    assert.equal(result.seen?.participantId, host.participantId, 'found by the full look');
    assert.equal(result.calls.GetStage, 1);
  });

  void test('the hint of the emulator’s own Participant Published event answers at once, as IVS’s would', async () => {
    // The events as the emulator delivers them (EventBridge's shape), through the endpoint's own parser.
    const events: IvsEventInput[] = [];
    const sink: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const parsed = parseEventsBody(body);
        if (parsed.ok) events.push(...parsed.events);
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const { id } = await fixture.control.subscribe({
      url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`,
    });
    try {
      const stageArn = await kit.stage('from-event');
      const host = await kit.join(stageArn, { userId: 'host', publish: true });
      const published = await waitForEvent(events, stageArn, 'Participant Published');
      const signal = showEventOf(published);
      assert.deepEqual(
        { sessionId: signal.sessionId, participantId: signal.participantId },
        { sessionId: host.sessionId, participantId: host.participantId },
      );
      const result = await poll(stageArn, { sessionId: signal.sessionId!, participantId: signal.participantId! });
      assert.equal(result.seen?.participantId, host.participantId);
      assert.deepEqual(result.calls, { GetParticipant: 1, ListParticipantEvents: 1 });
    } finally {
      await fixture.control.unsubscribe(id);
      await new Promise((resolve) => sink.close(resolve));
    }
  });

  void test('in real activity attempts, a hint that missed is asked about on the first attempt only', async () => {
    // A viewer keeps the session open; the guest an event named published and left; nobody publishes.
    const stageArn = await kit.stage('retried-hint');
    await kit.join(stageArn, { userId: 'viewer' });
    const guest = await kit.join(stageArn, { userId: 'guest', publish: true });
    await fixture.control.leave({ stageArn, participantId: guest.participantId });
    const temporal = testTemporalEnv();
    const taskQueue = `publisher-hint-${randomUUID()}`;
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await Worker.create({
      connection: workerConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('./call-activity-workflow'),
      activities: { awaitPublisher: (input: AwaitInput) => createStageActivities(aws).awaitPublisher(input) },
    });
    const running = worker.run();
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const before = await apiCalls(fixture);
      const input = {
        region: REGION,
        stageArn,
        hint: { sessionId: guest.sessionId, participantId: guest.participantId },
      };
      await assert.rejects(
        new Client({ connection, namespace: temporal.namespace }).workflow.execute('callActivity', {
          taskQueue,
          workflowId: `publisher-hint-${randomUUID()}`,
          args: [
            'awaitPublisher',
            [input],
            { startToCloseTimeout: '10s', retry: { initialInterval: '100ms', maximumAttempts: 3 } },
          ],
        }),
        (e: unknown) => e instanceof WorkflowFailedError,
      );
      const after = await apiCalls(fixture);
      const calls = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
      assert.equal(calls('GetStage'), 3, 'three attempts, each with the full look');
      assert.equal(calls('GetParticipant'), 1, 'the hint only on the first');
    } finally {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    }
  });

  void test('an event’s fields become a hint only when they fit the model’s shapes', () => {
    assert.deepEqual(publisherHintOf('st-a1B2c3D4e5F6g', 'p-1'), {
      sessionId: 'st-a1B2c3D4e5F6g',
      participantId: 'p-1',
    });
    assert.equal(publisherHintOf('st-short', 'p-1'), undefined);
    assert.equal(publisherHintOf('st-a1B2c3D4e5F6g', 'p/1'), undefined);
    assert.equal(publisherHintOf('st-a1B2c3D4e5F6g', undefined), undefined);
    assert.equal(publisherHintOf(42, 'p-1'), undefined);
  });
});

async function waitForEvent(events: IvsEventInput[], stageArn: string, name: string): Promise<IvsEventInput> {
  for (let i = 0; i < 100; i++) {
    const found = events.find((e) => e.resources[0] === stageArn && e.detail.event_name === name);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `no ${name} event for ${stageArn} within 5 s (saw ${events.map((e) => e.detail.event_name).join(', ')})`,
  );
}
