import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  DeletePublicKeyCommand,
  DeleteStageCommand,
  DisconnectParticipantCommand,
  GetIngestConfigurationCommand,
  GetParticipantCommand,
  GetStageCommand,
  ImportPublicKeyCommand,
  ListCompositionsCommand,
  ListEncoderConfigurationsCommand,
  ListIngestConfigurationsCommand,
  ListParticipantEventsCommand,
  ListParticipantReplicasCommand,
  ListParticipantsCommand,
  ListPublicKeysCommand,
  ListStagesCommand,
  ListStageSessionsCommand,
  ListStorageConfigurationsCommand,
  StartCompositionCommand,
  StartParticipantReplicationCommand,
  UpdateIngestConfigurationCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import { SignJWT } from 'jose';
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

const p384PublicKeyPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

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
    // "The value does not need to be unique."
    for (let i = 0; i < 3; i++) await storageWithBucket(fx, 'page-default', 'same-name');
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
      events.map((e) => [e.name, e.replica, e.remoteParticipantId, e.errorCode]),
      [
        ['JOINED', false, undefined, undefined],
        ['PUBLISH_STARTED', false, undefined, undefined],
      ],
      'remoteParticipantId: "For a publish or join event, this is null"; errorCode null unless an error event',
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

  void test('documented defaults are filled in: layouts, participant recording, tokens, ingest, replication type', async () => {
    const storage = await storageWithBucket(fx, 'defaults');
    const { stage: created, participantTokens } = await fx.ivs.send(
      new CreateStageCommand({
        autoParticipantRecordingConfiguration: { storageConfigurationArn: storage.arn },
        participantTokenConfigurations: [{ userId: 'host' }],
      }),
    );
    assert.deepEqual(created!.autoParticipantRecordingConfiguration, {
      storageConfigurationArn: storage.arn,
      mediaTypes: ['AUDIO_VIDEO'],
      thumbnailConfiguration: { targetIntervalSeconds: 60, storage: ['SEQUENTIAL'], recordingMode: 'DISABLED' },
      recordingReconnectWindowSeconds: 0,
      hlsConfiguration: { targetSegmentDurationSeconds: 6 },
      recordParticipantReplicas: true,
    });
    assert.deepEqual(
      [participantTokens![0]!.duration, participantTokens![0]!.capabilities],
      [720, ['PUBLISH', 'SUBSCRIBE']],
    );
    // userId "can be any UTF-8 encoded text"; attribute "Map keys and values can contain UTF-8 encoded text".
    const { participantToken } = await fx.ivs.send(
      new CreateParticipantTokenCommand({ stageArn: created!.arn!, userId: 'Zoë 🎤', attributes: { clé: 'värde ✓' } }),
    );
    assert.deepEqual([participantToken!.duration, participantToken!.capabilities], [720, ['PUBLISH', 'SUBSCRIBE']]);
    assert.deepEqual([participantToken!.userId, participantToken!.attributes], ['Zoë 🎤', { clé: 'värde ✓' }]);

    // "To disable individual participant recording, set this to ""; other fields ... will get reset to their defaults"
    const { stage: off } = await fx.ivs.send(
      new UpdateStageCommand({
        arn: created!.arn!,
        autoParticipantRecordingConfiguration: { storageConfigurationArn: '', recordingReconnectWindowSeconds: 60 },
      }),
    );
    assert.equal(off!.autoParticipantRecordingConfiguration!.storageConfigurationArn, '');
    assert.equal(off!.autoParticipantRecordingConfiguration!.recordingReconnectWindowSeconds, 0);

    const stageArn = created!.arn!;
    await join(stageArn, { publish: true });
    const channel = (layout: object) =>
      fx.ivs.send(
        new StartCompositionCommand({
          stageArn,
          layout,
          destinations: [{ channel: { channelArn: freshChannelArn() } }],
        }),
      );
    assert.deepEqual((await channel({})).composition!.layout, {
      grid: {
        featuredParticipantAttribute: '',
        omitStoppedVideo: false,
        videoAspectRatio: 'VIDEO',
        gridGap: 2,
        participantOrderAttribute: '',
      },
    });
    assert.deepEqual((await channel({ pip: {} })).composition!.layout, {
      pip: {
        featuredParticipantAttribute: '',
        omitStoppedVideo: false,
        videoFillMode: 'COVER',
        gridGap: 0,
        pipParticipantAttribute: '',
        pipBehavior: 'STATIC',
        pipOffset: 0,
        pipPosition: 'BOTTOM_RIGHT',
        participantOrderAttribute: '',
      },
    });

    const { ingestConfiguration } = await fx.ivs.send(
      new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS' }),
    );
    assert.equal(ingestConfiguration!.redundantIngest, false);
    const { participants } = await fx.ivs.send(
      new ListParticipantsCommand({
        stageArn,
        sessionId: (await fx.ivs.send(new GetStageCommand({ arn: stageArn }))).stage!.activeSessionId!,
      }),
    );
    assert.deepEqual(
      participants!.map((p) => p.replicationType),
      ['NONE'],
    );
  });

  void test('list operations return at most their documented default page size when maxResults is absent', async () => {
    // An account of its own, so the counts are this test's.
    const ivs = fx.client({ accessKeyId: '210987654321' });
    const raised = { encoderConfigurationsPerRegion: 200, compositionsPerAccount: 200, compositionsPerStage: 200 };
    await fx.control.configure({ quotas: raised });
    try {
      const times = <T>(n: number, f: (i: number) => Promise<T>) =>
        Array.from({ length: n }, (_, i) => i).reduce<Promise<T[]>>(
          async (all, i) => [...(await all), await f(i)],
          Promise.resolve([]),
        );
      const stages = await times(51, async () => (await ivs.send(new CreateStageCommand({}))).stage!.arn!);
      await times(101, () => ivs.send(new CreateEncoderConfigurationCommand({})));
      await times(51, () => ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS' })));
      await times(51, () => ivs.send(new ImportPublicKeyCommand({ publicKeyMaterial: p384PublicKeyPem() })));
      const stageArn = stages[0]!;
      const newToken = async () =>
        (await ivs.send(new CreateParticipantTokenCommand({ stageArn }))).participantToken!.token!;
      // 51 sessions: a participant alone joins and leaves 51 times.
      const loner = await newToken();
      await times(51, async () => {
        await fx.control.join(loner);
        await fx.control.leave({ token: loner });
      });
      // In the next session someone stays, so a guest coming and going 26 times leaves 52 events in one session, and
      // 49 more participants make 51.
      const anchor = await fx.control.join(await newToken(), { publish: true });
      const guest = await newToken();
      let guestId = '';
      await times(26, async () => {
        guestId = (await fx.control.join(guest)).participantId;
        await fx.control.leave({ token: guest });
      });
      await times(49, async () => fx.control.join(await newToken()));
      await times(101, () =>
        ivs.send(
          new StartCompositionCommand({
            stageArn,
            destinations: [{ channel: { channelArn: freshChannelArn().replace('123456789012', '210987654321') } }],
          }),
        ),
      );
      // The anchor replicated into 51 other stages.
      const replicaStages = await times(51, async () => (await ivs.send(new CreateStageCommand({}))).stage!.arn!);
      for (const destinationStageArn of replicaStages)
        await ivs.send(
          new StartParticipantReplicationCommand({
            sourceStageArn: stageArn,
            destinationStageArn,
            participantId: anchor.participantId,
          }),
        );
      const { sessionId } = anchor;
      const sizes = {
        ListStages: (await ivs.send(new ListStagesCommand({}))).stages!.length,
        ListEncoderConfigurations: (await ivs.send(new ListEncoderConfigurationsCommand({}))).encoderConfigurations!
          .length,
        ListIngestConfigurations: (await ivs.send(new ListIngestConfigurationsCommand({}))).ingestConfigurations!
          .length,
        ListPublicKeys: (await ivs.send(new ListPublicKeysCommand({}))).publicKeys!.length,
        ListStageSessions: (await ivs.send(new ListStageSessionsCommand({ stageArn }))).stageSessions!.length,
        ListParticipants: (await ivs.send(new ListParticipantsCommand({ stageArn, sessionId }))).participants!.length,
        ListParticipantEvents: (
          await ivs.send(new ListParticipantEventsCommand({ stageArn, sessionId, participantId: guestId }))
        ).events!.length,
        ListCompositions: (await ivs.send(new ListCompositionsCommand({}))).compositions!.length,
        ListParticipantReplicas: (
          await ivs.send(
            new ListParticipantReplicasCommand({ sourceStageArn: stageArn, participantId: anchor.participantId }),
          )
        ).replicas!.length,
      };
      assert.deepEqual(sizes, {
        ListStages: 50,
        ListEncoderConfigurations: 100,
        ListIngestConfigurations: 50,
        ListPublicKeys: 50,
        ListStageSessions: 50,
        ListParticipants: 50,
        ListParticipantEvents: 50,
        ListCompositions: 100,
        ListParticipantReplicas: 50,
      });
    } finally {
      await fx.control.configure({
        quotas: { encoderConfigurationsPerRegion: 20, compositionsPerAccount: 20, compositionsPerStage: 5 },
      });
    }
  });

  void test('replication attributes are merged with the token attributes, the replication values replacing on overlap', async () => {
    const source = await stage('merge-source');
    const destination = await stage('merge-destination');
    const speaker = await join(source, { publish: true, attributes: { lang: 'en', role: 'speaker' } });
    await fx.ivs.send(
      new StartParticipantReplicationCommand({
        sourceStageArn: source,
        destinationStageArn: destination,
        participantId: speaker.participantId,
        attributes: { role: 'replica', region: 'eu' },
      }),
    );
    const { stage: d } = await fx.ivs.send(new GetStageCommand({ arn: destination }));
    const replica = await participant(destination, d!.activeSessionId!, speaker.participantId);
    assert.deepEqual(replica.attributes, { lang: 'en', role: 'replica', region: 'eu' });
  });

  void test('recordParticipantReplicas false: a replica is not recorded; recording needs an existing storage configuration', async () => {
    await rejectsWithSdkError(
      fx.ivs.send(
        new CreateStageCommand({
          autoParticipantRecordingConfiguration: {
            storageConfigurationArn: 'arn:aws:ivs:us-east-1:123456789012:storage-configuration/AAAAAAAAAAAA',
          },
        }),
      ),
      'ValidationException',
      400,
    );
    const storage = await storageWithBucket(fx, 'replicas');
    const source = await stage('replicas-source');
    const destination = await stage('replicas-destination', {
      autoParticipantRecordingConfiguration: { storageConfigurationArn: storage.arn, recordParticipantReplicas: false },
    });
    const local = await join(destination, { publish: true });
    const speaker = await join(source, { publish: true });
    await fx.ivs.send(
      new StartParticipantReplicationCommand({
        sourceStageArn: source,
        destinationStageArn: destination,
        participantId: speaker.participantId,
      }),
    );
    await waitFor(
      async () => (await participant(destination, local.sessionId, local.participantId)).recordingState === 'ACTIVE',
    );
    const replica = await participant(destination, local.sessionId, speaker.participantId);
    assert.deepEqual(
      [replica.replicationType, replica.published, replica.recordingState],
      ['REPLICA', true, 'DISABLED'],
    );
  });

  void test('DeletePublicKey: tokens signed with the deleted key no longer join, those signed before the deletion too', async () => {
    const stageArn = await stage('deleted-key');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const { publicKey: imported } = await fx.ivs.send(
      new ImportPublicKeyCommand({ publicKeyMaterial: publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
    );
    const now = Math.floor((await fx.control.clock()).epochMs / 1000);
    const sign = (participantId: string) =>
      new SignJWT({ resource: stageArn, capabilities: { allow_publish: true, allow_subscribe: true }, version: '1.0' })
        .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: imported!.arn! })
        .setJti(participantId)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(privateKey);
    const before = await fx.control.join(await sign('keyHolder001'));
    assert.equal(before.participantId, 'keyHolder001');
    const handedOut = await sign('keyHolder003');
    await fx.ivs.send(new DeletePublicKeyCommand({ arn: imported!.arn! }));
    // Documented: a token generated after the deletion is invalid.
    await rejectsWithControlError(fx.control.join(await sign('keyHolder002')), 403, 'AccessDeniedException');
    // Not documented either way; the emulator's choice (rules.ts, public-key-deleted): refused as well.
    await rejectsWithControlError(fx.control.join(handedOut), 403, 'AccessDeniedException');
  });
});
