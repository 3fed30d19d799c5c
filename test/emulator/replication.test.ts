import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateParticipantTokenCommand,
  CreateStageCommand,
  DisconnectParticipantCommand,
  GetParticipantCommand,
  GetStageCommand,
  ListParticipantEventsCommand,
  ListParticipantReplicasCommand,
  ListParticipantsCommand,
  StartParticipantReplicationCommand,
  StopParticipantReplicationCommand,
} from '@aws-sdk/client-ivs-realtime';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';

const SCALE = 100;
const TIMINGS = {
  compositionStartMs: 1000,
  compositionStopMs: 1000,
  idleStopAfterLastLeftMs: 60_000,
  idleStopWithoutParticipantsMs: 60_000,
  compositionPurgeMs: 300_000,
  destinationReconnectWindowMs: 60_000,
};

async function rejectsWithSdkError(promise: Promise<unknown>, name: string, status?: number): Promise<Error> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected ${name}, but the call succeeded`),
    (e: unknown) => (caught = e),
  );
  const error = caught as Error & { $metadata?: { httpStatusCode?: number } };
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  if (status !== undefined) assert.equal(error.$metadata?.httpStatusCode, status);
  return error;
}

void describe('participant replication', () => {
  let fx: EmulatorFixture;

  before(async () => {
    fx = await startEmulatorFixture({ clockScale: SCALE, timings: TIMINGS });
  });
  after(async () => {
    await fx?.stop();
  });

  async function stage(name: string): Promise<string> {
    const { stage: s } = await fx.ivs.send(new CreateStageCommand({ name }));
    return s!.arn!;
  }

  async function join(stageArn: string, publish: boolean) {
    const { participantToken } = await fx.ivs.send(
      new CreateParticipantTokenCommand({ stageArn, userId: 'speaker', attributes: { lang: 'en' } }),
    );
    const membership = await fx.control.join(participantToken!.token!, { publish });
    return { token: participantToken!.token!, ...membership };
  }

  async function participant(stageArn: string, sessionId: string, participantId: string) {
    const { participant: p } = await fx.ivs.send(new GetParticipantCommand({ stageArn, sessionId, participantId }));
    return p!;
  }

  async function activeSession(stageArn: string): Promise<string | undefined> {
    const { stage: s } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    return s!.activeSessionId;
  }

  async function replicas(sourceStageArn: string, participantId: string) {
    const { replicas: r } = await fx.ivs.send(new ListParticipantReplicasCommand({ sourceStageArn, participantId }));
    return r ?? [];
  }

  void test('a publishing participant is replicated to another stage as a REPLICA, until replication stops', async () => {
    const source = await stage('replication-source');
    const destination = await stage('replication-destination');
    const speaker = await join(source, true);

    await fx.ivs.send(
      new StartParticipantReplicationCommand({
        sourceStageArn: source,
        destinationStageArn: destination,
        participantId: speaker.participantId,
        attributes: { replicated: 'yes' },
      }),
    );

    const destinationSession = await activeSession(destination);
    assert.ok(destinationSession, 'the replica starts a session in the destination stage');
    const replica = await participant(destination, destinationSession, speaker.participantId);
    assert.equal(replica.replicationType, 'REPLICA');
    assert.equal(replica.replicationState, 'ACTIVE');
    assert.equal(replica.sourceStageArn, source);
    assert.equal(replica.sourceSessionId, speaker.sessionId);
    assert.equal(replica.state, 'CONNECTED');
    assert.equal(replica.published, true);
    assert.equal(replica.userId, 'speaker');
    assert.deepEqual(replica.attributes, { lang: 'en', replicated: 'yes' });
    const { participants } = await fx.ivs.send(
      new ListParticipantsCommand({ stageArn: destination, sessionId: destinationSession }),
    );
    assert.equal(participants![0]!.replicationType, 'REPLICA');

    const sourceRecord = await participant(source, speaker.sessionId, speaker.participantId);
    assert.equal(sourceRecord.replicationType, 'SOURCE');
    assert.equal(sourceRecord.replicationState, 'ACTIVE');

    const listed = await replicas(source, speaker.participantId);
    assert.deepEqual(listed, [
      {
        sourceStageArn: source,
        participantId: speaker.participantId,
        sourceSessionId: speaker.sessionId,
        destinationStageArn: destination,
        destinationSessionId: destinationSession,
        replicationState: 'ACTIVE',
      },
    ]);
    await rejectsWithSdkError(
      fx.ivs.send(
        new StartParticipantReplicationCommand({
          sourceStageArn: source,
          destinationStageArn: destination,
          participantId: speaker.participantId,
        }),
      ),
      'ConflictException',
      409,
    );

    await fx.ivs.send(
      new StopParticipantReplicationCommand({
        sourceStageArn: source,
        destinationStageArn: destination,
        participantId: speaker.participantId,
      }),
    );
    const gone = await participant(destination, destinationSession, speaker.participantId);
    assert.equal(gone.state, 'DISCONNECTED');
    assert.equal(gone.replicationState, 'STOPPED');
    assert.equal(await activeSession(destination), undefined, 'the destination session ends with its only replica');
    assert.deepEqual(await replicas(source, speaker.participantId), []);
    const afterStop = await participant(source, speaker.sessionId, speaker.participantId);
    assert.equal(afterStop.state, 'CONNECTED', 'the source participant is unaffected');
    assert.equal(afterStop.replicationState, 'STOPPED');

    const { events } = await fx.ivs.send(
      new ListParticipantEventsCommand({
        stageArn: source,
        sessionId: speaker.sessionId,
        participantId: speaker.participantId,
      }),
    );
    const replication = events!.filter((e) => e.name?.startsWith('REPLICATION_'));
    assert.deepEqual(
      replication.map((e) => [e.name, e.destinationStageArn, e.destinationSessionId]),
      [
        ['REPLICATION_STARTED', destination, destinationSession],
        ['REPLICATION_STOPPED', destination, destinationSession],
      ],
    );
    await rejectsWithSdkError(
      fx.ivs.send(
        new StopParticipantReplicationCommand({
          sourceStageArn: source,
          destinationStageArn: destination,
          participantId: speaker.participantId,
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await fx.control.leave({ token: speaker.token });
  });

  void test('the source leaving ends the replication', async () => {
    const source = await stage('leaving-source');
    const destination = await stage('leaving-destination');
    const viewer = await join(destination, false);
    const speaker = await join(source, true);
    await fx.ivs.send(
      new StartParticipantReplicationCommand({
        sourceStageArn: source,
        destinationStageArn: destination,
        participantId: speaker.participantId,
      }),
    );
    assert.equal(
      (await participant(destination, viewer.sessionId, speaker.participantId)).state,
      'CONNECTED',
      'the replica joins the running destination session',
    );

    await fx.control.leave({ token: speaker.token });
    const replica = await participant(destination, viewer.sessionId, speaker.participantId);
    assert.equal(replica.state, 'DISCONNECTED');
    assert.equal(replica.published, false);
    assert.equal(replica.replicationState, 'STOPPED');
    assert.deepEqual(await replicas(source, speaker.participantId), []);
    assert.equal(await activeSession(destination), viewer.sessionId, 'other destination participants stay');
    await fx.control.leave({ token: viewer.token });
  });

  void test('DisconnectParticipant of the replica in the destination stage ends the replication', async () => {
    const source = await stage('kicked-source');
    const destination = await stage('kicked-destination');
    const speaker = await join(source, true);
    const ref = { sourceStageArn: source, destinationStageArn: destination, participantId: speaker.participantId };
    await fx.ivs.send(new StartParticipantReplicationCommand(ref));
    const destinationSession = (await activeSession(destination))!;

    await fx.ivs.send(
      new DisconnectParticipantCommand({ stageArn: destination, participantId: speaker.participantId }),
    );
    assert.equal((await participant(destination, destinationSession, speaker.participantId)).state, 'DISCONNECTED');
    assert.deepEqual(await replicas(source, speaker.participantId), [], 'a disconnected replica is no longer listed');
    const sourceRecord = await participant(source, speaker.sessionId, speaker.participantId);
    assert.equal(sourceRecord.state, 'CONNECTED');
    assert.equal(sourceRecord.replicationState, 'STOPPED');
    await rejectsWithSdkError(
      fx.ivs.send(new StopParticipantReplicationCommand(ref)),
      'ResourceNotFoundException',
      404,
    );
    await fx.control.leave({ token: speaker.token });
  });

  void test('replicating a participant that is not publishing is a ConflictException', async () => {
    const source = await stage('quiet-source');
    const destination = await stage('quiet-destination');
    const listener = await join(source, false);
    await rejectsWithSdkError(
      fx.ivs.send(
        new StartParticipantReplicationCommand({
          sourceStageArn: source,
          destinationStageArn: destination,
          participantId: listener.participantId,
        }),
      ),
      'ConflictException',
      409,
    );
    assert.equal(await activeSession(destination), undefined);
    await fx.control.leave({ token: listener.token });
  });

  void test('the same stage as source and destination is a ValidationException', async () => {
    const only = await stage('same-stage');
    const speaker = await join(only, true);
    await rejectsWithSdkError(
      fx.ivs.send(
        new StartParticipantReplicationCommand({
          sourceStageArn: only,
          destinationStageArn: only,
          participantId: speaker.participantId,
        }),
      ),
      'ValidationException',
      400,
    );
    await fx.control.leave({ token: speaker.token });
  });
});
