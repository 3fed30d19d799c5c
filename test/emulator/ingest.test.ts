import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateIngestConfigurationCommand,
  type CreateIngestConfigurationCommandInput,
  DeleteIngestConfigurationCommand,
  DeleteStageCommand,
  DisconnectParticipantCommand,
  GetIngestConfigurationCommand,
  GetStageCommand,
  type IngestConfiguration,
  ListIngestConfigurationsCommand,
  UpdateIngestConfigurationCommand,
} from '@aws-sdk/client-ivs-realtime';
import {
  rejectsWithControlError as expectControlError,
  rejectsWithSdkError as expectSdkError,
} from '../support/emulator-assertions';
import { emulatorFixturePerSuite, scaledEmulatorConfig, stageKit } from '../support/emulator-scenarios';

/** Every error message the tests provoke, checked at the end for leaked stream keys. */
const errorMessages: string[] = [];

async function rejectsWithSdkError(promise: Promise<unknown>, name: string, status?: number): Promise<Error> {
  const error = await expectSdkError(promise, name, status);
  errorMessages.push(error.message);
  return error;
}

async function rejectsWithControlError(promise: Promise<unknown>, status: number, type: string) {
  const error = await expectControlError(promise, status, type);
  errorMessages.push(error.message);
  return error;
}

void describe('ingest configurations', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig());
  const streamKeys: string[] = [];

  const { stage, participant: participantOf } = stageKit(fx);

  async function create(input: CreateIngestConfigurationCommandInput): Promise<IngestConfiguration> {
    const { ingestConfiguration } = await fx.ivs.send(new CreateIngestConfigurationCommand(input));
    streamKeys.push(ingestConfiguration!.streamKey!);
    return ingestConfiguration!;
  }

  async function get(arn: string): Promise<IngestConfiguration> {
    const { ingestConfiguration } = await fx.ivs.send(new GetIngestConfigurationCommand({ arn }));
    return ingestConfiguration!;
  }

  void test('CreateIngestConfiguration returns a stream key; List never shows it', async () => {
    const stageArn = await stage('ingest-create');
    const config = await create({
      name: 'encoder-1',
      stageArn,
      ingestProtocol: 'RTMPS',
      userId: 'obs',
      attributes: { role: 'camera' },
    });
    const id = config.arn!.slice(config.arn!.lastIndexOf('/') + 1);
    assert.match(config.arn!, /^arn:aws:ivs:us-east-1:123456789012:ingest-configuration\/[a-zA-Z0-9]{12}$/);
    assert.match(config.streamKey!, new RegExp(`^rt_123456789012_us-east-1_${id}_[a-zA-Z0-9]+$`));
    assert.equal(config.state, 'INACTIVE');
    assert.equal(config.stageArn, stageArn);
    assert.ok(config.participantId);
    assert.equal((await get(config.arn!)).streamKey, config.streamKey, 'Get returns the key to its owner');

    const { ingestConfigurations } = await fx.ivs.send(new ListIngestConfigurationsCommand({}));
    const listed = ingestConfigurations!.find((c) => c.arn === config.arn);
    assert.ok(listed);
    assert.equal(listed.state, 'INACTIVE');
    assert.ok(!('streamKey' in listed), 'summaries never carry the stream key');

    await rejectsWithSdkError(
      fx.ivs.send(new CreateIngestConfigurationCommand({ stageArn, ingestProtocol: 'RTMP' })),
      'ValidationException',
      400,
    );
  });

  void test('a publisher connecting with the stream key becomes a published RTMPS participant', async () => {
    const stageArn = await stage('ingest-connect');
    const config = await create({ stageArn, ingestProtocol: 'RTMPS', userId: 'obs' });
    const streamKey = config.streamKey!;

    await rejectsWithControlError(fx.control.connectIngest(streamKey, 'RTMP'), 400, 'ValidationException');
    assert.equal((await get(config.arn!)).state, 'INACTIVE', 'a refused connect leaves it INACTIVE');

    const connected = await fx.control.connectIngest(streamKey);
    assert.equal(connected.ingestConfigurationArn, config.arn);
    assert.equal(connected.participantId, config.participantId);
    assert.equal((await get(config.arn!)).state, 'ACTIVE');
    const { stage: s } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    assert.equal(s!.activeSessionId, connected.sessionId);
    const p = await participantOf(stageArn, connected.sessionId, config.participantId!);
    assert.equal(p.protocol, 'RTMPS');
    assert.equal(p.published, true);
    assert.equal(p.state, 'CONNECTED');
    assert.equal(p.ingestConfigurationArn, config.arn);
    assert.equal(p.userId, 'obs');
    assert.equal(p.redundantIngest, false);

    await rejectsWithControlError(fx.control.connectIngest(streamKey), 409, 'ConflictException');
    await rejectsWithControlError(fx.control.connectIngest(`${streamKey}x`), 404, 'ResourceNotFoundException');

    const disconnected = await fx.control.disconnectIngest(streamKey);
    assert.equal(disconnected.state, 'INACTIVE');
    assert.equal((await participantOf(stageArn, connected.sessionId, config.participantId!)).state, 'DISCONNECTED');
  });

  void test('an RTMP configuration (insecureIngest) accepts RTMP', async () => {
    const stageArn = await stage('ingest-rtmp');
    const config = await create({ stageArn, ingestProtocol: 'RTMP', insecureIngest: true });
    const connected = await fx.control.connectIngest(config.streamKey!, 'RTMP');
    assert.equal((await participantOf(stageArn, connected.sessionId, config.participantId!)).protocol, 'RTMP');
    await fx.control.disconnectIngest(config.streamKey!);
  });

  void test('an ACTIVE configuration cannot be updated, nor deleted without force', async () => {
    const stageArn = await stage('ingest-active');
    const other = await stage('ingest-active-other');
    const config = await create({ stageArn, ingestProtocol: 'RTMPS' });
    const { sessionId } = await fx.control.connectIngest(config.streamKey!);

    await rejectsWithSdkError(
      fx.ivs.send(new UpdateIngestConfigurationCommand({ arn: config.arn!, stageArn: other })),
      'ConflictException',
      409,
    );
    await rejectsWithSdkError(
      fx.ivs.send(new DeleteIngestConfigurationCommand({ arn: config.arn! })),
      'ConflictException',
      409,
    );
    assert.equal((await get(config.arn!)).stageArn, stageArn, 'the refused update changed nothing');

    await fx.ivs.send(new DeleteIngestConfigurationCommand({ arn: config.arn!, force: true }));
    await rejectsWithSdkError(
      fx.ivs.send(new GetIngestConfigurationCommand({ arn: config.arn! })),
      'ResourceNotFoundException',
      404,
    );
    const p = await participantOf(stageArn, sessionId, config.participantId!);
    assert.equal(p.state, 'DISCONNECTED', 'force-deleting disconnects the publisher');
    assert.equal(p.published, true, 'it had published');
    const { stage: s } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    assert.equal(s!.activeSessionId, undefined);
    await rejectsWithControlError(fx.control.connectIngest(config.streamKey!), 404, 'ResourceNotFoundException');
  });

  void test('DeleteStage blanks stageArn; UpdateIngestConfiguration re-attaches', async () => {
    const doomed = await stage('ingest-doomed');
    const config = await create({ stageArn: doomed, ingestProtocol: 'RTMPS' });
    await fx.control.connectIngest(config.streamKey!);
    await fx.ivs.send(new DeleteStageCommand({ arn: doomed }));
    const detached = await get(config.arn!);
    assert.equal(detached.stageArn, '');
    assert.equal(detached.state, 'INACTIVE');
    await rejectsWithControlError(fx.control.connectIngest(config.streamKey!), 409, 'ConflictException');

    const next = await stage('ingest-next');
    const { ingestConfiguration: updated } = await fx.ivs.send(
      new UpdateIngestConfigurationCommand({ arn: config.arn!, stageArn: next }),
    );
    assert.equal(updated!.stageArn, next);
    const connected = await fx.control.connectIngest(config.streamKey!);
    assert.equal(connected.stageArn, next);
    await fx.control.disconnectIngest(config.streamKey!);
  });

  void test('DisconnectParticipant of the ingest participant disconnects it and blanks stageArn', async () => {
    const stageArn = await stage('ingest-kick');
    const config = await create({ stageArn, ingestProtocol: 'RTMPS' });
    const { sessionId } = await fx.control.connectIngest(config.streamKey!);
    await fx.ivs.send(new DisconnectParticipantCommand({ stageArn, participantId: config.participantId! }));
    const after = await get(config.arn!);
    assert.equal(after.stageArn, '');
    assert.equal(after.state, 'INACTIVE');
    assert.equal((await participantOf(stageArn, sessionId, config.participantId!)).state, 'DISCONNECTED');
    await rejectsWithControlError(fx.control.connectIngest(config.streamKey!), 409, 'ConflictException');

    // Re-attached to the same stage, the same key streams again.
    await fx.ivs.send(new UpdateIngestConfigurationCommand({ arn: config.arn!, stageArn }));
    const again = await fx.control.connectIngest(config.streamKey!);
    assert.equal(again.stageArn, stageArn);
    await fx.control.disconnectIngest(config.streamKey!);
  });

  void test('no error message, inventory or event ever contains a stream key', async () => {
    assert.ok(streamKeys.length >= 5);
    assert.ok(errorMessages.length >= 8, 'the earlier tests collected error messages');
    const inventory = JSON.stringify(await fx.control.inventory());
    const events = JSON.stringify(await fx.control.recentEvents());
    for (const key of streamKeys) {
      const secret = key.slice(key.lastIndexOf('_') + 1);
      for (const message of errorMessages)
        assert.ok(!message.includes(secret), `error message leaks a key: ${message}`);
      assert.ok(!inventory.includes(secret), 'inventory leaks a stream key');
      assert.ok(!events.includes(secret), 'events leak a stream key');
    }
  });
});
