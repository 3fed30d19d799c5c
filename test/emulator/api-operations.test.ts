import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeleteEncoderConfigurationCommand,
  DeleteIngestConfigurationCommand,
  DeletePublicKeyCommand,
  DeleteStageCommand,
  DeleteStorageConfigurationCommand,
  DisconnectParticipantCommand,
  GetCompositionCommand,
  GetEncoderConfigurationCommand,
  GetIngestConfigurationCommand,
  GetParticipantCommand,
  GetPublicKeyCommand,
  GetStageCommand,
  GetStageSessionCommand,
  GetStorageConfigurationCommand,
  ImportPublicKeyCommand,
  ListCompositionsCommand,
  ListEncoderConfigurationsCommand,
  ListIngestConfigurationsCommand,
  ListParticipantEventsCommand,
  ListParticipantReplicasCommand,
  ListParticipantsCommand,
  ListPublicKeysCommand,
  ListStageSessionsCommand,
  ListStagesCommand,
  ListStorageConfigurationsCommand,
  ListTagsForResourceCommand,
  StartCompositionCommand,
  StartParticipantReplicationCommand,
  StopCompositionCommand,
  StopParticipantReplicationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIngestConfigurationCommand,
  UpdateStageCommand,
  type IVSRealTimeClient,
} from '@aws-sdk/client-ivs-realtime';
import constraints from '../../emulator/src/model/ivs-realtime-constraints.json';
import { emulatorFixturePerSuite } from '../support/emulator-scenarios';

/**
 * Every operation of the service model, called through the real SDK on a happy path, with its response
 * content checked. A middleware records each operation that succeeded, and the last test compares that set
 * with the model's operation list, so an operation added to the model without a test here fails the suite.
 */
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ARN_ID = '[a-zA-Z0-9]{12}';
const arnPattern = (type: string) => new RegExp(`^arn:aws:ivs:${REGION}:${ACCOUNT}:${type}/${ARN_ID}$`);

async function rejectsWith(promise: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function p384PublicKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

void describe('IVS Real-Time operations through the AWS SDK', () => {
  const fx = emulatorFixturePerSuite({ timings: { compositionStartMs: 50, compositionStopMs: 50 } });
  let ivs: IVSRealTimeClient;
  let bucket: string;
  const succeeded = new Set<string>();

  before(async () => {
    ivs = fx.ivs;
    ivs.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        succeeded.add(context.commandName?.replace(/Command$/, '') ?? '?');
        return output;
      },
      { step: 'initialize', name: 'recordSucceededOperations' },
    );
    bucket = await fx.createBucket('ops');
  });

  const storageConfiguration = async (name: string) =>
    (await ivs.send(new CreateStorageConfigurationCommand({ name, s3: { bucketName: bucket } }))).storageConfiguration!;
  const encoderConfiguration = async (name: string) =>
    (
      await ivs.send(
        new CreateEncoderConfigurationCommand({
          name,
          video: { width: 1920, height: 1080, framerate: 30, bitrate: 4_000_000 },
        }),
      )
    ).encoderConfiguration!;

  void test('stage lifecycle: CreateStage with tokens, GetStage, UpdateStage, ListStages, DeleteStage', async () => {
    const before = Date.now();
    const created = await ivs.send(
      new CreateStageCommand({
        name: 'ops-stage',
        tags: { show: 'pilot' },
        participantTokenConfigurations: [
          { userId: 'host', capabilities: ['PUBLISH', 'SUBSCRIBE'], attributes: { role: 'host' }, duration: 60 },
          { userId: 'viewer', capabilities: ['SUBSCRIBE'] },
        ],
      }),
    );
    const stage = created.stage!;
    assert.match(stage.arn!, arnPattern('stage'));
    assert.equal(stage.name, 'ops-stage');
    assert.deepEqual(stage.tags, { show: 'pilot' });
    assert.equal(stage.activeSessionId, undefined);

    const tokens = created.participantTokens!;
    assert.equal(tokens.length, 2);
    assert.notEqual(tokens[0]!.participantId, tokens[1]!.participantId);
    assert.equal(tokens[0]!.userId, 'host');
    assert.deepEqual(tokens[0]!.attributes, { role: 'host' });
    assert.deepEqual(tokens[0]!.capabilities, ['PUBLISH', 'SUBSCRIBE']);
    assert.equal(tokens[0]!.duration, 60);
    assert.deepEqual(tokens[1]!.capabilities, ['SUBSCRIBE']);
    assert.equal(tokens[1]!.duration, 720, 'the documented default duration');
    for (const t of tokens) {
      assert.ok(t.expirationTime instanceof Date, 'expirationTime is parsed into a Date');
      assert.equal(t.token!.split('.').length, 3, 'a JWT');
    }
    const expiresIn = tokens[0]!.expirationTime!.getTime() - before;
    assert.ok(expiresIn > 59 * 60_000 && expiresIn < 61 * 60_000, `expires in 60 minutes, got ${expiresIn} ms`);

    const got = (await ivs.send(new GetStageCommand({ arn: stage.arn }))).stage!;
    assert.equal(got.arn, stage.arn);
    assert.match(got.endpoints!.whip!, /^https:\/\//);
    assert.match(got.endpoints!.rtmp!, /^rtmp:\/\//);
    assert.match(got.endpoints!.rtmps!, /^rtmps:\/\//);
    assert.match(got.endpoints!.events!, /^wss:\/\//);

    const updated = (await ivs.send(new UpdateStageCommand({ arn: stage.arn, name: 'ops-stage-renamed' }))).stage!;
    assert.equal(updated.name, 'ops-stage-renamed');
    assert.equal((await ivs.send(new GetStageCommand({ arn: stage.arn }))).stage!.name, 'ops-stage-renamed');

    const listed = (await ivs.send(new ListStagesCommand({}))).stages!;
    const summary = listed.find((s) => s.arn === stage.arn);
    assert.deepEqual(summary, { arn: stage.arn, name: 'ops-stage-renamed', tags: { show: 'pilot' } });

    await ivs.send(new DeleteStageCommand({ arn: stage.arn }));
    await rejectsWith(ivs.send(new GetStageCommand({ arn: stage.arn })), 'ResourceNotFoundException', 404);
    await rejectsWith(ivs.send(new DeleteStageCommand({ arn: stage.arn })), 'ResourceNotFoundException', 404);
    assert.ok(!(await ivs.send(new ListStagesCommand({}))).stages!.some((s) => s.arn === stage.arn));
  });

  void test('CreateParticipantToken issues a token for an existing stage only', async () => {
    const { stage } = await ivs.send(new CreateStageCommand({ name: 'tokens' }));
    const { participantToken } = await ivs.send(
      new CreateParticipantTokenCommand({
        stageArn: stage!.arn,
        userId: 'guest-1',
        capabilities: ['SUBSCRIBE'],
        duration: 5,
        attributes: { displayName: 'Guest' },
      }),
    );
    assert.match(participantToken!.participantId!, /^[a-zA-Z0-9]+$/);
    assert.equal(participantToken!.userId, 'guest-1');
    assert.deepEqual(participantToken!.capabilities, ['SUBSCRIBE']);
    assert.deepEqual(participantToken!.attributes, { displayName: 'Guest' });
    assert.equal(participantToken!.duration, 5);
    assert.ok(participantToken!.expirationTime instanceof Date);
    const missing = stage!.arn!.replace(/[a-zA-Z0-9]{12}$/, 'AAAAAAAAAAAA');
    await rejectsWith(
      ivs.send(new CreateParticipantTokenCommand({ stageArn: missing })),
      'ResourceNotFoundException',
      404,
    );
  });

  void test('sessions and participants: GetStageSession, ListStageSessions, GetParticipant, ListParticipants, ListParticipantEvents, DisconnectParticipant', async () => {
    const { stage, participantTokens } = await ivs.send(
      new CreateStageCommand({
        name: 'session',
        participantTokenConfigurations: [{ userId: 'alice' }, { userId: 'bob', capabilities: ['SUBSCRIBE'] }],
      }),
    );
    const [alice, bob] = participantTokens!;
    const joined = await fx.control.join(alice!.token!, { publish: true });
    await fx.control.join(bob!.token!);
    const sessionId = joined.sessionId;
    assert.match(sessionId, /^st-[a-zA-Z0-9]{13}$/);
    assert.equal((await ivs.send(new GetStageCommand({ arn: stage!.arn }))).stage!.activeSessionId, sessionId);

    const { stageSession } = await ivs.send(new GetStageSessionCommand({ stageArn: stage!.arn, sessionId }));
    assert.equal(stageSession!.sessionId, sessionId);
    assert.ok(stageSession!.startTime instanceof Date);
    assert.equal(stageSession!.endTime, undefined, 'the session is still running');

    const { stageSessions } = await ivs.send(new ListStageSessionsCommand({ stageArn: stage!.arn }));
    assert.deepEqual(
      stageSessions!.map((s) => s.sessionId),
      [sessionId],
    );

    const { participant } = await ivs.send(
      new GetParticipantCommand({ stageArn: stage!.arn, sessionId, participantId: alice!.participantId }),
    );
    assert.equal(participant!.participantId, alice!.participantId);
    assert.equal(participant!.userId, 'alice');
    assert.equal(participant!.state, 'CONNECTED');
    assert.equal(participant!.published, true);
    assert.ok(participant!.firstJoinTime instanceof Date);

    const { participants } = await ivs.send(new ListParticipantsCommand({ stageArn: stage!.arn, sessionId }));
    assert.deepEqual(participants!.map((p) => p.userId).sort(), ['alice', 'bob']);
    const published = await ivs.send(
      new ListParticipantsCommand({ stageArn: stage!.arn, sessionId, filterByPublished: true }),
    );
    assert.deepEqual(
      published.participants!.map((p) => p.participantId),
      [alice!.participantId],
    );

    await ivs.send(new DisconnectParticipantCommand({ stageArn: stage!.arn, participantId: bob!.participantId }));
    const bobAfter = await ivs.send(
      new GetParticipantCommand({ stageArn: stage!.arn, sessionId, participantId: bob!.participantId }),
    );
    assert.equal(bobAfter.participant!.state, 'DISCONNECTED');

    const { events } = await ivs.send(
      new ListParticipantEventsCommand({ stageArn: stage!.arn, sessionId, participantId: alice!.participantId }),
    );
    assert.deepEqual(
      events!.map((e) => e.name),
      ['JOINED', 'PUBLISH_STARTED'],
    );
    for (const e of events!) {
      assert.equal(e.participantId, alice!.participantId);
      assert.ok(e.eventTime instanceof Date);
    }
    const bobEvents = await ivs.send(
      new ListParticipantEventsCommand({ stageArn: stage!.arn, sessionId, participantId: bob!.participantId }),
    );
    assert.deepEqual(
      bobEvents.events!.map((e) => e.name),
      ['JOINED', 'LEFT'],
    );
  });

  void test('participant replication: StartParticipantReplication, ListParticipantReplicas, StopParticipantReplication', async () => {
    const source = await ivs.send(
      new CreateStageCommand({ name: 'replica-src', participantTokenConfigurations: [{ userId: 'star' }] }),
    );
    const destination = (await ivs.send(new CreateStageCommand({ name: 'replica-dst' }))).stage!;
    const token = source.participantTokens![0]!;
    const sourceArn = source.stage!.arn!;
    await fx.control.join(token.token!, { publish: true });

    await ivs.send(
      new StartParticipantReplicationCommand({
        sourceStageArn: sourceArn,
        destinationStageArn: destination.arn,
        participantId: token.participantId,
        attributes: { replicated: 'yes' },
      }),
    );
    const { replicas } = await ivs.send(
      new ListParticipantReplicasCommand({ sourceStageArn: sourceArn, participantId: token.participantId }),
    );
    assert.equal(replicas!.length, 1);
    assert.equal(replicas![0]!.destinationStageArn, destination.arn);
    assert.equal(replicas![0]!.replicationState, 'ACTIVE');
    assert.match(replicas![0]!.destinationSessionId!, /^st-/);

    const destinationSession = replicas![0]!.destinationSessionId!;
    const inDestination = await ivs.send(
      new ListParticipantsCommand({ stageArn: destination.arn, sessionId: destinationSession }),
    );
    assert.equal(inDestination.participants!.length, 1);
    assert.equal(inDestination.participants![0]!.replicationType, 'REPLICA');
    assert.equal(inDestination.participants![0]!.sourceStageArn, sourceArn);

    await ivs.send(
      new StopParticipantReplicationCommand({
        sourceStageArn: sourceArn,
        destinationStageArn: destination.arn,
        participantId: token.participantId,
      }),
    );
    const afterStop = await ivs.send(
      new ListParticipantReplicasCommand({ sourceStageArn: sourceArn, participantId: token.participantId }),
    );
    assert.deepEqual(afterStop.replicas, []);
  });

  void test('encoder configurations: Create, Get, List, Delete', async () => {
    const created = await encoderConfiguration('enc-1080p');
    assert.match(created.arn!, arnPattern('encoder-configuration'));
    assert.deepEqual(created.video, { width: 1920, height: 1080, framerate: 30, bitrate: 4_000_000 });
    const defaults = (await ivs.send(new CreateEncoderConfigurationCommand({ name: 'enc-defaults' })))
      .encoderConfiguration!;
    assert.deepEqual(defaults.video, { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 });

    const got = (await ivs.send(new GetEncoderConfigurationCommand({ arn: created.arn }))).encoderConfiguration!;
    assert.deepEqual(got, created);
    const listed = (await ivs.send(new ListEncoderConfigurationsCommand({}))).encoderConfigurations!;
    assert.deepEqual(
      listed.map((e) => e.arn),
      [created.arn, defaults.arn],
    );
    await ivs.send(new DeleteEncoderConfigurationCommand({ arn: created.arn }));
    await ivs.send(new DeleteEncoderConfigurationCommand({ arn: defaults.arn }));
    await rejectsWith(
      ivs.send(new GetEncoderConfigurationCommand({ arn: created.arn })),
      'ResourceNotFoundException',
      404,
    );
  });

  void test('storage configurations: Create, Get, List, Delete', async () => {
    const created = await storageConfiguration('store');
    assert.match(created.arn!, arnPattern('storage-configuration'));
    assert.deepEqual(created.s3, { bucketName: bucket });
    const got = (await ivs.send(new GetStorageConfigurationCommand({ arn: created.arn }))).storageConfiguration!;
    assert.deepEqual(got, created);
    const listed = (await ivs.send(new ListStorageConfigurationsCommand({}))).storageConfigurations!;
    assert.ok(listed.some((s) => s.arn === created.arn && s.s3?.bucketName === bucket));
    await ivs.send(new DeleteStorageConfigurationCommand({ arn: created.arn }));
    await rejectsWith(
      ivs.send(new GetStorageConfigurationCommand({ arn: created.arn })),
      'ResourceNotFoundException',
      404,
    );
  });

  void test('compositions: StartComposition, GetComposition, ListCompositions, StopComposition', async () => {
    const stage = (await ivs.send(new CreateStageCommand({ name: 'composed' }))).stage!;
    const storage = await storageConfiguration('composite');
    const encoder = await encoderConfiguration('composite');
    const { composition } = await ivs.send(
      new StartCompositionCommand({
        stageArn: stage.arn,
        idempotencyToken: 'ops-composition-1',
        layout: { grid: { featuredParticipantAttribute: 'featured' } },
        destinations: [{ s3: { storageConfigurationArn: storage.arn, encoderConfigurationArns: [encoder.arn!] } }],
        tags: { show: 'pilot' },
      }),
    );
    assert.match(composition!.arn!, arnPattern('composition'));
    assert.equal(composition!.stageArn, stage.arn);
    assert.equal(composition!.state, 'STARTING');
    assert.ok(composition!.startTime instanceof Date);
    assert.equal(composition!.layout!.grid!.featuredParticipantAttribute, 'featured');
    assert.equal(composition!.destinations!.length, 1);
    const destination = composition!.destinations![0]!;
    assert.equal(destination.configuration!.s3!.storageConfigurationArn, storage.arn);
    assert.equal(destination.configuration!.s3!.recordingConfiguration!.format, 'HLS');
    assert.match(destination.detail!.s3!.recordingPrefix!, /\/composite$/);

    const again = await ivs.send(
      new StartCompositionCommand({
        stageArn: stage.arn,
        idempotencyToken: 'ops-composition-1',
        layout: { grid: { featuredParticipantAttribute: 'featured' } },
        destinations: [{ s3: { storageConfigurationArn: storage.arn, encoderConfigurationArns: [encoder.arn!] } }],
        tags: { show: 'pilot' },
      }),
    );
    assert.equal(again.composition!.arn, composition!.arn, 'the same idempotency token returns the same composition');

    const active = await until(
      async () => (await ivs.send(new GetCompositionCommand({ arn: composition!.arn }))).composition!,
      // The composition goes ACTIVE first; its destinations follow once the bucket was checked.
      (c) => c.state === 'ACTIVE' && c.destinations![0]!.state === 'ACTIVE',
      'composition and destination ACTIVE',
    );
    assert.ok(active.destinations![0]!.startTime instanceof Date);

    const listed = (await ivs.send(new ListCompositionsCommand({ filterByStageArn: stage.arn }))).compositions!;
    assert.deepEqual(
      listed.map((c) => c.arn),
      [composition!.arn],
    );
    assert.deepEqual(listed[0]!.tags, { show: 'pilot' });
    const byEncoder = await ivs.send(new ListCompositionsCommand({ filterByEncoderConfigurationArn: encoder.arn }));
    assert.deepEqual(
      byEncoder.compositions!.map((c) => c.arn),
      [composition!.arn],
    );

    await ivs.send(new StopCompositionCommand({ arn: composition!.arn }));
    const stopped = await until(
      async () => (await ivs.send(new GetCompositionCommand({ arn: composition!.arn }))).composition!,
      (c) => c.state === 'STOPPED',
      'composition STOPPED',
    );
    assert.ok(stopped.endTime instanceof Date);
    assert.equal(stopped.destinations![0]!.state, 'STOPPED');
  });

  void test('ingest configurations: Create, Get, List, Update, Delete', async () => {
    const stageA = (await ivs.send(new CreateStageCommand({ name: 'ingest-a' }))).stage!;
    const stageB = (await ivs.send(new CreateStageCommand({ name: 'ingest-b' }))).stage!;
    const { ingestConfiguration: created } = await ivs.send(
      new CreateIngestConfigurationCommand({
        name: 'encoder-box',
        stageArn: stageA.arn,
        userId: 'studio',
        attributes: { camera: 'main' },
        ingestProtocol: 'RTMPS',
      }),
    );
    assert.match(created!.arn!, arnPattern('ingest-configuration'));
    assert.equal(created!.state, 'INACTIVE');
    assert.equal(created!.stageArn, stageA.arn);
    assert.equal(created!.ingestProtocol, 'RTMPS');
    assert.match(created!.streamKey!, new RegExp(`^rt_${ACCOUNT}_${REGION}_`));
    assert.match(created!.participantId!, /^[a-zA-Z0-9]+$/);

    const got = (await ivs.send(new GetIngestConfigurationCommand({ arn: created!.arn }))).ingestConfiguration!;
    assert.equal(got.streamKey, created!.streamKey);
    assert.deepEqual(got.attributes, { camera: 'main' });

    const listed = (await ivs.send(new ListIngestConfigurationsCommand({ filterByStageArn: stageA.arn })))
      .ingestConfigurations!;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.arn, created!.arn);
    assert.ok(!('streamKey' in listed[0]!), 'summaries never carry the stream key');

    const updated = await ivs.send(new UpdateIngestConfigurationCommand({ arn: created!.arn, stageArn: stageB.arn }));
    assert.equal(updated.ingestConfiguration!.stageArn, stageB.arn);

    await ivs.send(new DeleteIngestConfigurationCommand({ arn: created!.arn }));
    await rejectsWith(
      ivs.send(new GetIngestConfigurationCommand({ arn: created!.arn })),
      'ResourceNotFoundException',
      404,
    );
  });

  void test('public keys: ImportPublicKey (P-384 only), GetPublicKey, ListPublicKeys, DeletePublicKey', async () => {
    const pem = p384PublicKeyPem();
    const { publicKey } = await ivs.send(new ImportPublicKeyCommand({ name: 'signer', publicKeyMaterial: pem }));
    assert.match(publicKey!.arn!, arnPattern('public-key'));
    assert.equal(publicKey!.name, 'signer');
    assert.equal(publicKey!.publicKeyMaterial, pem);
    assert.match(publicKey!.fingerprint!, /^([0-9a-f]{2}:)+[0-9a-f]{2}$/);

    const got = (await ivs.send(new GetPublicKeyCommand({ arn: publicKey!.arn }))).publicKey!;
    assert.deepEqual(got, publicKey);
    const listed = (await ivs.send(new ListPublicKeysCommand({}))).publicKeys!;
    assert.ok(listed.some((k) => k.arn === publicKey!.arn && k.name === 'signer'));

    await rejectsWith(ivs.send(new ImportPublicKeyCommand({ publicKeyMaterial: pem })), 'ConflictException', 409);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    await rejectsWith(
      ivs.send(new ImportPublicKeyCommand({ publicKeyMaterial: p256 as string })),
      'ValidationException',
      400,
    );
    await rejectsWith(
      ivs.send(new ImportPublicKeyCommand({ publicKeyMaterial: 'not a key' })),
      'ValidationException',
      400,
    );

    await ivs.send(new DeletePublicKeyCommand({ arn: publicKey!.arn }));
    await rejectsWith(ivs.send(new GetPublicKeyCommand({ arn: publicKey!.arn })), 'ResourceNotFoundException', 404);
  });

  void test('tags round trip on every taggable resource type', async () => {
    const stage = (await ivs.send(new CreateStageCommand({ name: 'tagged', tags: { keep: 'k' } }))).stage!;
    const storage = (
      await ivs.send(
        new CreateStorageConfigurationCommand({ name: 'tagged', s3: { bucketName: bucket }, tags: { keep: 'k' } }),
      )
    ).storageConfiguration!;
    const encoder = (await ivs.send(new CreateEncoderConfigurationCommand({ name: 'tagged', tags: { keep: 'k' } })))
      .encoderConfiguration!;
    const composition = (
      await ivs.send(
        new StartCompositionCommand({
          stageArn: stage.arn,
          destinations: [{ s3: { storageConfigurationArn: storage.arn, encoderConfigurationArns: [encoder.arn!] } }],
          tags: { keep: 'k' },
        }),
      )
    ).composition!;
    const ingest = (
      await ivs.send(
        new CreateIngestConfigurationCommand({ name: 'tagged', ingestProtocol: 'RTMPS', tags: { keep: 'k' } }),
      )
    ).ingestConfiguration!;
    const publicKey = (
      await ivs.send(
        new ImportPublicKeyCommand({ name: 'tagged', publicKeyMaterial: p384PublicKeyPem(), tags: { keep: 'k' } }),
      )
    ).publicKey!;

    const resources = {
      stage: stage.arn!,
      composition: composition.arn!,
      'encoder-configuration': encoder.arn!,
      'storage-configuration': storage.arn!,
      'ingest-configuration': ingest.arn!,
      'public-key': publicKey.arn!,
    };
    for (const [type, arn] of Object.entries(resources)) {
      assert.match(arn, arnPattern(type));
      assert.deepEqual((await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { keep: 'k' });
      await ivs.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2', c: '3', keep: 'kept' } }));
      assert.deepEqual(
        (await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags,
        { keep: 'kept', a: '1', b: '2', c: '3' },
        type,
      );
      await ivs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'c', 'not-there'] }));
      assert.deepEqual(
        (await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags,
        { keep: 'kept', b: '2' },
        type,
      );
    }
    // Tags set through the tag operations are what the resource's own Get returns.
    assert.deepEqual((await ivs.send(new GetStageCommand({ arn: stage.arn }))).stage!.tags, { keep: 'kept', b: '2' });
    const missing = stage.arn!.replace(/[a-zA-Z0-9]{12}$/, 'AAAAAAAAAAAA');
    await rejectsWith(
      ivs.send(new ListTagsForResourceCommand({ resourceArn: missing })),
      'ResourceNotFoundException',
      404,
    );
    await ivs.send(new StopCompositionCommand({ arn: composition.arn }));
  });

  void test('every operation of the service model was called successfully above', () => {
    const modelOperations = Object.keys(constraints.operations).sort();
    assert.equal(modelOperations.length, 39);
    assert.deepEqual([...succeeded].sort(), modelOperations);
  });
});
