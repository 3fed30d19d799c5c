import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  DeleteStageCommand,
  DisconnectParticipantCommand,
  GetIngestConfigurationCommand,
  GetParticipantCommand,
  ListIngestConfigurationsCommand,
  ListParticipantEventsCommand,
  ListParticipantReplicasCommand,
  ListParticipantsCommand,
  ListStageSessionsCommand,
  ListStorageConfigurationsCommand,
  StartCompositionCommand,
  UpdateIngestConfigurationCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import { rejectsWithControlError, rejectsWithSdkError } from '../support/emulator-assertions';
import {
  emulatorFixturePerSuite,
  freshChannelArn,
  scaledEmulatorConfig,
  stageKit,
  storageWithBucket,
} from '../support/emulator-scenarios';
import { errorBody, signedRequest } from '../support/raw-ivs-request';
import { waitFor } from '../support/wait-for';

/**
 * The service model's documentation sentences, taken at their word: each test names the rule it proves, and
 * emulator/conformance.md points at these tests by name (test/emulator/conformance-table.test.ts checks they exist).
 */
void describe('documented behaviour of the service model', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig());
  const { stage, join, participant, participantEvents } = stageKit(fx);
  const unknownStage = 'arn:aws:ivs:us-east-1:123456789012:stage/AAAAAAAAAAAA';

  void test('Participant.published means the participant ever published in the session; filterByPublished filters on that', async () => {
    const stageArn = await stage('ever-published');
    const host = await join(stageArn, { userId: 'host', publish: true });
    const viewer = await join(stageArn, { userId: 'viewer' });
    await fx.control.unpublish({ token: host.token });

    const stopped = await participant(stageArn, host.sessionId, host.participantId);
    assert.equal(stopped.state, 'CONNECTED');
    assert.equal(stopped.published, true, '"Whether the participant ever published to the stage session"');
    const list = async (filterByPublished: boolean) =>
      (
        await fx.ivs.send(new ListParticipantsCommand({ stageArn, sessionId: host.sessionId, filterByPublished }))
      ).participants!.map((p) => [p.participantId, p.published]);
    assert.deepEqual(await list(true), [[host.participantId, true]]);
    assert.deepEqual(await list(false), [[viewer.participantId, false]]);

    await fx.control.leave({ token: host.token });
    assert.equal((await participant(stageArn, host.sessionId, host.participantId)).published, true);
    assert.deepEqual(await list(true), [[host.participantId, true]], 'leaving does not undo having published');
  });

  void test('UpdateStage refuses autoParticipantRecordingConfiguration while a participant recording is active', async () => {
    const storage = await storageWithBucket(fx, 'rec-active');
    const recording = { storageConfigurationArn: storage.arn };
    const stageArn = await stage('recording-active', { autoParticipantRecordingConfiguration: recording });
    const host = await join(stageArn, { publish: true });
    await waitFor(
      async () => (await participant(stageArn, host.sessionId, host.participantId)).recordingState === 'ACTIVE',
    );

    const refused = await rejectsWithSdkError(
      fx.ivs.send(
        new UpdateStageCommand({
          arn: stageArn,
          autoParticipantRecordingConfiguration: { storageConfigurationArn: '' },
        }),
      ),
      'ConflictException',
      409,
    );
    assert.match(refused.message, /recording is active/);
    // Other members of the stage stay updatable.
    const renamed = await fx.ivs.send(new UpdateStageCommand({ arn: stageArn, name: 'renamed' }));
    assert.equal(renamed.stage!.name, 'renamed');
    assert.equal(renamed.stage!.autoParticipantRecordingConfiguration!.storageConfigurationArn, storage.arn);

    await fx.control.leave({ token: host.token });
    await waitFor(
      async () => (await participant(stageArn, host.sessionId, host.participantId)).recordingState === 'STOPPED',
    );
    const off = await fx.ivs.send(
      new UpdateStageCommand({ arn: stageArn, autoParticipantRecordingConfiguration: { storageConfigurationArn: '' } }),
    );
    assert.equal(off.stage!.autoParticipantRecordingConfiguration!.storageConfigurationArn, '');
  });

  void test('Video width and height must be even numbers and at most 2,073,600 pixels in total', async () => {
    const create = (video: { width?: number; height?: number }) =>
      fx.ivs.send(new CreateEncoderConfigurationCommand({ video }));
    const odd = await rejectsWithSdkError(create({ width: 1281, height: 720 }), 'ValidationException', 400);
    assert.match(odd.message, /'video\.width'.*even/);
    await rejectsWithSdkError(create({ height: 721 }), 'ValidationException', 400);
    const big = await rejectsWithSdkError(create({ width: 1920, height: 1920 }), 'ValidationException', 400);
    assert.match(big.message, /2073600/);
    // The default height (720) counts: 1920 x 1920 is refused, 1920 alone is 1920 x 720.
    assert.deepEqual((await create({ width: 1920 })).encoderConfiguration!.video, {
      width: 1920,
      height: 720,
      framerate: 30,
      bitrate: 2_500_000,
    });
    assert.equal((await create({ width: 1080, height: 1920 })).encoderConfiguration!.video!.height, 1920);
  });

  void test('ListIngestConfigurations takes only one filter (by stage ARN or by state) at a time', async () => {
    const stageArn = await stage('one-filter');
    await fx.ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', stageArn }));
    const both = await rejectsWithSdkError(
      fx.ivs.send(new ListIngestConfigurationsCommand({ filterByStageArn: stageArn, filterByState: 'INACTIVE' })),
      'ValidationException',
      400,
    );
    assert.match(both.message, /filterByStageArn.*filterByState/);
    const { ingestConfigurations } = await fx.ivs.send(
      new ListIngestConfigurationsCommand({ filterByStageArn: stageArn }),
    );
    assert.equal(ingestConfigurations!.length, 1);
  });

  void test("GetParticipant: recordingS3BucketName and recordingS3Prefix are '' when recording is not enabled", async () => {
    const stageArn = await stage('not-recorded');
    const host = await join(stageArn, { publish: true });
    const p = await participant(stageArn, host.sessionId, host.participantId);
    assert.equal(p.recordingState, 'DISABLED');
    assert.equal(p.recordingS3BucketName, '');
    assert.equal(p.recordingS3Prefix, '');
  });

  void test('redundantIngest: true returns redundantIngestCredentials, and the redundant stream key publishes too', async () => {
    const stageArn = await stage('redundant');
    const { ingestConfiguration: plain } = await fx.ivs.send(
      new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', stageArn }),
    );
    assert.equal(plain!.redundantIngest, false);
    assert.equal(plain!.redundantIngestCredentials, undefined, 'present only when redundantIngest is set to true');

    const { ingestConfiguration: config } = await fx.ivs.send(
      new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', stageArn, redundantIngest: true, userId: 'enc' }),
    );
    const [backup, ...more] = config!.redundantIngestCredentials ?? [];
    assert.ok(backup, 'one redundant credential');
    assert.deepEqual(more, []);
    assert.notEqual(backup.participantId, config!.participantId);
    assert.notEqual(backup.streamKey, config!.streamKey);
    assert.match(backup.streamKey!, /^rt_[0-9]+_[a-z0-9-]+_[a-zA-Z0-9-]+_.+$/);
    const fetched = (await fx.ivs.send(new GetIngestConfigurationCommand({ arn: config!.arn! }))).ingestConfiguration!;
    assert.deepEqual(fetched.redundantIngestCredentials, config!.redundantIngestCredentials);

    // Both encoders publish, each as its own participant with redundantIngest set; the configuration is ACTIVE while
    // either streams.
    const primary = await fx.control.connectIngest(config!.streamKey!);
    const redundant = await fx.control.connectIngest(backup.streamKey!);
    assert.equal(redundant.participantId, backup.participantId);
    assert.equal(redundant.sessionId, primary.sessionId);
    const p = await participant(stageArn, redundant.sessionId, backup.participantId!);
    assert.deepEqual(
      [p.state, p.published, p.redundantIngest, p.ingestConfigurationArn, p.userId],
      ['CONNECTED', true, true, config!.arn, 'enc'],
    );
    await rejectsWithControlError(fx.control.connectIngest(backup.streamKey!), 409, 'ConflictException');
    await fx.control.disconnectIngest(config!.streamKey!);
    const state = async () =>
      (await fx.ivs.send(new GetIngestConfigurationCommand({ arn: config!.arn! }))).ingestConfiguration!.state;
    assert.equal(await state(), 'ACTIVE', 'the redundant encoder still publishes');
    await fx.control.disconnectIngest(backup.streamKey!);
    assert.equal(await state(), 'INACTIVE');

    // Turning redundant ingest off revokes the redundant credential.
    const { ingestConfiguration: single } = await fx.ivs.send(
      new UpdateIngestConfigurationCommand({ arn: config!.arn!, stageArn, redundantIngest: false }),
    );
    assert.equal(single!.redundantIngestCredentials, undefined);
    await rejectsWithControlError(fx.control.connectIngest(backup.streamKey!), 404, 'ResourceNotFoundException');
  });

  void test('UpdateIngestConfiguration: an absent redundantIngest takes its documented default, false', async () => {
    const stageArn = await stage('update-default');
    const { ingestConfiguration: config } = await fx.ivs.send(
      new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', redundantIngest: true }),
    );
    const { ingestConfiguration: updated } = await fx.ivs.send(
      new UpdateIngestConfigurationCommand({ arn: config!.arn!, stageArn }),
    );
    assert.equal(updated!.stageArn, stageArn);
    assert.equal(updated!.redundantIngest, false);
    assert.equal(updated!.redundantIngestCredentials, undefined);
  });

  void test('ListParticipants, ListParticipantEvents, ListParticipantReplicas and ListStageSessions answer an unknown stage or session with an empty list', async () => {
    const stageArn = await stage('no-sessions-yet');
    const sessionId = 'st-AAAAAAAAAAAAA';
    const participantId = 'AAAAAAAAAAAA';
    for (const arn of [unknownStage, stageArn]) {
      assert.deepEqual((await fx.ivs.send(new ListStageSessionsCommand({ stageArn: arn }))).stageSessions, []);
      assert.deepEqual((await fx.ivs.send(new ListParticipantsCommand({ stageArn: arn, sessionId }))).participants, []);
      assert.deepEqual(
        (await fx.ivs.send(new ListParticipantEventsCommand({ stageArn: arn, sessionId, participantId }))).events,
        [],
      );
      assert.deepEqual(
        (await fx.ivs.send(new ListParticipantReplicasCommand({ sourceStageArn: arn, participantId }))).replicas,
        [],
      );
    }
    // GetParticipant lists ResourceNotFoundException, so there it stays.
    await rejectsWithSdkError(
      fx.ivs.send(new GetParticipantCommand({ stageArn, sessionId, participantId })),
      'ResourceNotFoundException',
      404,
    );
  });

  void test('UntagResource without tagKeys is a ValidationException before any lookup', async () => {
    const missing = await signedRequest(fx.emulator.endpoint, {
      method: 'DELETE',
      path: `/tags/${encodeURIComponent(unknownStage)}`,
    });
    assert.equal(missing.status, 400, missing.text);
    assert.equal(missing.headers['x-amzn-errortype'], 'ValidationException');
    assert.match(errorBody(missing).message, /'tagKeys'.*must not be null/);
    const unknown = await signedRequest(fx.emulator.endpoint, {
      method: 'DELETE',
      path: `/tags/${encodeURIComponent(unknownStage)}`,
      query: { tagKeys: 'a' },
    });
    assert.equal(unknown.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  });

  void test("the model's header-bound output members are sent: replication responses and error shapes", async () => {
    const source = await stage('headers-source');
    const destination = await stage('headers-destination');
    const speaker = await join(source, { publish: true });
    const headersOf = (r: { headers: Record<string, unknown> }) =>
      [
        'access-control-allow-origin',
        'access-control-expose-headers',
        'cache-control',
        'content-security-policy',
        'strict-transport-security',
        'x-content-type-options',
        'x-frame-options',
      ].filter((h) => typeof r.headers[h] !== 'string' || r.headers[h] === '');
    const ref = { sourceStageArn: source, destinationStageArn: destination, participantId: speaker.participantId };
    const started = await signedRequest(fx.emulator.endpoint, { path: '/StartParticipantReplication', body: ref });
    assert.equal(started.status, 200, started.text);
    assert.deepEqual(headersOf(started), [], 'StartParticipantReplicationResponse headers');
    const stopped = await signedRequest(fx.emulator.endpoint, { path: '/StopParticipantReplication', body: ref });
    assert.equal(stopped.status, 200, stopped.text);
    assert.deepEqual(headersOf(stopped), [], 'StopParticipantReplicationResponse headers');
    const error = await signedRequest(fx.emulator.endpoint, { path: '/GetStage', body: { arn: unknownStage } });
    assert.equal(error.status, 404);
    assert.deepEqual(headersOf(error), [], 'ResourceNotFoundException headers');
    assert.equal(error.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  });

  void test('ListStorageConfigurations: maxResults defaults to the quota or 100, whichever is smaller', async () => {
    for (let i = 0; i < 3; i++) await storageWithBucket(fx, 'page-default');
    await fx.control.configure({ quotas: { storageConfigurationsPerRegion: 2 } });
    try {
      const { storageConfigurations, nextToken } = await fx.ivs.send(new ListStorageConfigurationsCommand({}));
      assert.equal(storageConfigurations!.length, 2);
      assert.ok(nextToken);
    } finally {
      await fx.control.configure({ quotas: { storageConfigurationsPerRegion: 100 } });
    }
  });

  void test('DeleteStage and DisconnectParticipant blank the stageArn only of an ingest configuration that publishes', async () => {
    const stageArn = await stage('detach');
    const create = async () =>
      (await fx.ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', stageArn })))
        .ingestConfiguration!;
    const get = async (arn: string) =>
      (await fx.ivs.send(new GetIngestConfigurationCommand({ arn }))).ingestConfiguration!;
    const idle = await create();
    const live = await create();
    await fx.control.connectIngest(live.streamKey!);
    // DisconnectParticipant of a configuration's participant that does not publish leaves the configuration alone.
    await fx.ivs.send(new DisconnectParticipantCommand({ stageArn, participantId: idle.participantId! }));
    assert.equal((await get(idle.arn!)).stageArn, stageArn);

    await fx.ivs.send(new DeleteStageCommand({ arn: stageArn }));
    assert.equal((await get(live.arn!)).stageArn, '', 'it was publishing: detached');
    assert.equal(
      (await get(idle.arn!)).stageArn,
      stageArn,
      '"if there are participants using the IngestConfiguration"',
    );
  });

  void test('ListParticipantEvents: replica is false, its documented default, for a participant that is no replica', async () => {
    const stageArn = await stage('replica-default');
    const host = await join(stageArn, { publish: true });
    const events = await participantEvents(stageArn, host.sessionId, host.participantId);
    assert.deepEqual(
      events.map((e) => [e.name, e.replica]),
      [
        ['JOINED', false],
        ['PUBLISH_STARTED', false],
      ],
    );
  });

  void test('participant thumbnails: targetIntervalSeconds is configurable only if recordingMode is INTERVAL', async () => {
    const storage = await storageWithBucket(fx, 'thumbs');
    const create = (thumbnailConfiguration: object) =>
      fx.ivs.send(
        new CreateStageCommand({
          autoParticipantRecordingConfiguration: { storageConfigurationArn: storage.arn, thumbnailConfiguration },
        }),
      );
    const refused = await rejectsWithSdkError(create({ targetIntervalSeconds: 10 }), 'ValidationException', 400);
    assert.match(refused.message, /targetIntervalSeconds.*INTERVAL/);
    const { stage: s } = await create({ targetIntervalSeconds: 10, recordingMode: 'INTERVAL' });
    assert.equal(s!.autoParticipantRecordingConfiguration!.thumbnailConfiguration!.targetIntervalSeconds, 10);
  });

  void test("StartComposition: the channel must be in the stage's account and region", async () => {
    const stageArn = await stage('channel-region');
    const foreign = freshChannelArn().replace('us-east-1', 'eu-west-1');
    const refused = await rejectsWithSdkError(
      fx.ivs.send(new StartCompositionCommand({ stageArn, destinations: [{ channel: { channelArn: foreign } }] })),
      'ValidationException',
      400,
    );
    assert.match(refused.message, /same AWS account and region/);
  });

  void test('StartComposition fills the documented defaults of an S3 destination, thumbnails included', async () => {
    const stageArn = await stage('s3-defaults');
    const storage = await storageWithBucket(fx, 'comp-defaults');
    const { encoderConfiguration } = await fx.ivs.send(new CreateEncoderConfigurationCommand({}));
    await join(stageArn, { publish: true });
    const { composition } = await fx.ivs.send(
      new StartCompositionCommand({
        stageArn,
        destinations: [
          {
            s3: {
              storageConfigurationArn: storage.arn,
              encoderConfigurationArns: [encoderConfiguration!.arn!],
              thumbnailConfigurations: [{}],
            },
          },
        ],
      }),
    );
    const s3 = composition!.destinations![0]!.configuration!.s3!;
    assert.deepEqual(s3.recordingConfiguration, {
      format: 'HLS',
      hlsConfiguration: { targetSegmentDurationSeconds: 2 },
    });
    assert.deepEqual(s3.thumbnailConfigurations, [{ targetIntervalSeconds: 60, storage: ['SEQUENTIAL'] }]);
  });
});
