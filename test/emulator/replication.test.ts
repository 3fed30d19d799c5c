import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DisconnectParticipantCommand,
  ListParticipantEventsCommand,
  ListParticipantReplicasCommand,
  ListParticipantsCommand,
  StartParticipantReplicationCommand,
  StopParticipantReplicationCommand,
} from '@aws-sdk/client-ivs-realtime';
import { rejectsWithSdkError } from '../support/emulator-assertions';
import { emulatorFixturePerSuite, scaledEmulatorConfig, stageKit } from '../support/emulator-scenarios';

void describe('participant replication', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig());

  const { stage, join: joinWith, participant, activeSession } = stageKit(fx);
  const join = (stageArn: string, publish: boolean) =>
    joinWith(stageArn, { userId: 'speaker', attributes: { lang: 'en' }, publish });

  const replicationRef = (sourceStageArn: string, destinationStageArn: string, participantId: string) => ({
    sourceStageArn,
    destinationStageArn,
    participantId,
  });

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
        ...replicationRef(source, destination, speaker.participantId),
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
      fx.ivs.send(new StartParticipantReplicationCommand(replicationRef(source, destination, speaker.participantId))),
      'ConflictException',
      409,
    );

    await fx.ivs.send(
      new StopParticipantReplicationCommand(replicationRef(source, destination, speaker.participantId)),
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
      fx.ivs.send(new StopParticipantReplicationCommand(replicationRef(source, destination, speaker.participantId))),
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
      new StartParticipantReplicationCommand(replicationRef(source, destination, speaker.participantId)),
    );
    assert.equal(
      (await participant(destination, viewer.sessionId, speaker.participantId)).state,
      'CONNECTED',
      'the replica joins the running destination session',
    );

    await fx.control.leave({ token: speaker.token });
    const replica = await participant(destination, viewer.sessionId, speaker.participantId);
    assert.equal(replica.state, 'DISCONNECTED');
    assert.equal(replica.published, true, 'the replica had published');
    assert.equal(replica.replicationState, 'STOPPED');
    assert.deepEqual(await replicas(source, speaker.participantId), []);
    assert.equal(await activeSession(destination), viewer.sessionId, 'other destination participants stay');
    await fx.control.leave({ token: viewer.token });
  });

  void test('DisconnectParticipant of the replica in the destination stage ends the replication', async () => {
    const source = await stage('kicked-source');
    const destination = await stage('kicked-destination');
    const speaker = await join(source, true);
    const ref = replicationRef(source, destination, speaker.participantId);
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
      fx.ivs.send(new StartParticipantReplicationCommand(replicationRef(source, destination, listener.participantId))),
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
      fx.ivs.send(new StartParticipantReplicationCommand(replicationRef(only, only, speaker.participantId))),
      'ValidationException',
      400,
    );
    await fx.control.leave({ token: speaker.token });
  });
});
