import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  DeleteEncoderConfigurationCommand,
  DeleteIngestConfigurationCommand,
  DeletePublicKeyCommand,
  DeleteStageCommand,
  DeleteStorageConfigurationCommand,
  GetCompositionCommand,
  GetStageCommand,
  ImportPublicKeyCommand,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { exportSPKI, generateKeyPair } from 'jose';
import {
  createStage,
  EMULATOR_TEST_TIMINGS,
  emulatorFixturePerSuite,
  publishingParticipant,
  rawControlRequest,
  scaledEmulatorConfig,
  storageWithBucket,
} from '../support/emulator-scenarios';
import { waitFor } from '../support/wait-for';

const OTHER_ACCOUNT = '210987654321';

void describe('simulation and control API', () => {
  // publishersPerStage differs from its default so the PATCH test can tell "kept" from "reset to default".
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig({ quotas: { publishersPerStage: 6 } }));

  /** A raw control call, for bodies the typed client would never send. */
  const rawControl = (method: string, path: string, body?: string) => rawControlRequest(fx, method, path, body);

  void test('inventory lists live resources, and the live counts return to zero once everything is deleted', async () => {
    const { ivs, control } = fx;
    const stageArn = await createStage(ivs, 'inventory', { tags: { owner: 'showrunner' } });
    const { ingestConfiguration } = await ivs.send(
      new CreateIngestConfigurationCommand({ name: 'camera', stageArn, ingestProtocol: 'RTMPS' }),
    );
    const { encoderConfiguration } = await ivs.send(new CreateEncoderConfigurationCommand({ name: 'hd' }));
    const storage = await storageWithBucket(fx, 'inventory', 'archive');
    const { publicKey } = await generateKeyPair('ES384', { extractable: true });
    const { publicKey: imported } = await ivs.send(
      new ImportPublicKeyCommand({ name: 'app', publicKeyMaterial: await exportSPKI(publicKey) }),
    );
    const joined = await publishingParticipant(fx, stageArn);
    const { composition } = await ivs.send(
      new StartCompositionCommand({
        stageArn,
        destinations: [{ channel: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/inventory01' } }],
      }),
    );
    const other = fx.client({ accessKeyId: OTHER_ACCOUNT, region: 'eu-west-1' });
    const { stage: otherStage } = await other.send(new CreateStageCommand({ name: 'elsewhere' }));

    const inventory = await control.inventory();
    assert.deepEqual(inventory.live, { stages: 2, ingestConfigurations: 1, compositions: 1 });
    const home = inventory.regions.find((r) => r.accountId === '123456789012' && r.region === 'us-east-1');
    assert.ok(home);
    assert.deepEqual(home.stages, [
      {
        arn: stageArn,
        name: 'inventory',
        tags: { owner: 'showrunner' },
        activeSessionId: joined.sessionId,
        connectedParticipants: 1,
      },
    ]);
    assert.equal(home.compositions.length, 1);
    assert.equal(home.compositions[0]!.arn, composition!.arn);
    assert.equal(home.compositions[0]!.stageArn, stageArn);
    assert.deepEqual(
      home.ingestConfigurations.map((c) => [c.arn, c.name, c.stageArn, c.state]),
      [[ingestConfiguration!.arn, 'camera', stageArn, 'INACTIVE']],
    );
    assert.deepEqual(
      home.encoderConfigurations.map((e) => e.arn),
      [encoderConfiguration!.arn],
    );
    assert.deepEqual(home.storageConfigurations, [
      { arn: storage.arn, name: 'archive', bucketName: storage.bucket, tags: {} },
    ]);
    assert.deepEqual(home.publicKeys, [{ arn: imported!.arn, name: 'app' }]);
    const away = inventory.regions.find((r) => r.accountId === OTHER_ACCOUNT && r.region === 'eu-west-1');
    assert.deepEqual(
      away?.stages.map((s) => s.arn),
      [otherStage!.arn],
    );

    await ivs.send(new StopCompositionCommand({ arn: composition!.arn! }));
    await control.leave({ token: joined.token });
    await ivs.send(new DeleteIngestConfigurationCommand({ arn: ingestConfiguration!.arn! }));
    await ivs.send(new DeleteStageCommand({ arn: stageArn }));
    await other.send(new DeleteStageCommand({ arn: otherStage!.arn! }));
    await waitFor(async () => {
      const { composition: c } = await ivs.send(new GetCompositionCommand({ arn: composition!.arn! }));
      return c!.state === 'STOPPED';
    });
    await ivs.send(new DeleteEncoderConfigurationCommand({ arn: encoderConfiguration!.arn }));
    await ivs.send(new DeleteStorageConfigurationCommand({ arn: storage.arn }));
    await ivs.send(new DeletePublicKeyCommand({ arn: imported!.arn! }));

    const emptied = await control.inventory();
    assert.deepEqual(emptied.live, { stages: 0, ingestConfigurations: 0, compositions: 0 });
    // A stopped composition is listed until it is purged, but it no longer counts as live.
    const leftovers = emptied.regions.flatMap((r) => [
      ...r.stages,
      ...r.ingestConfigurations,
      ...r.encoderConfigurations,
      ...r.storageConfigurations,
      ...r.publicKeys,
    ]);
    assert.deepEqual(leftovers, []);
    assert.deepEqual(
      emptied.regions.flatMap((r) => r.compositions.map((c) => c.state)),
      ['STOPPED'],
    );
  });

  void test('reset forgets every resource', async () => {
    const { stage } = await fx.ivs.send(new CreateStageCommand({ name: 'to-forget' }));
    await fx.ivs.send(new CreateIngestConfigurationCommand({ stageArn: stage!.arn!, ingestProtocol: 'RTMPS' }));
    await fx.control.addFault({ operation: 'ListStages', count: 5 });
    assert.equal((await fx.control.inventory()).live.stages, 1);

    assert.deepEqual(await fx.control.reset(), { reset: true });
    const inventory = await fx.control.inventory();
    assert.deepEqual(inventory.regions, []);
    assert.deepEqual(inventory.live, { stages: 0, ingestConfigurations: 0, compositions: 0 });
    assert.deepEqual(await fx.control.listFaults(), []);
    await assert.rejects(fx.ivs.send(new GetStageCommand({ arn: stage!.arn! })), { name: 'ResourceNotFoundException' });
  });

  void test('bad control bodies are 400 ValidationException naming the field', async () => {
    const cases: [string, string, string, RegExp][] = [
      ['POST', '/participants/join', '{}', /token/],
      ['POST', '/participants/join', '{"token":"x","extra":true}', /extra/],
      ['POST', '/participants/join', '{"token":"x","protocol":"RTMP"}', /protocol/],
      ['POST', '/participants/publish', '{"stageArn":"not-an-arn","participantId":"p"}', /stageArn|token/],
      ['POST', '/ingest/connect', '{"streamKey":""}', /streamKey/],
      ['POST', '/ingest/connect', '{"streamKey":"k","protocol":"SRT"}', /protocol/],
      ['POST', '/compositions/state', '{"compositionArn":"nope","state":"ACTIVE"}', /compositionArn/],
      ['POST', '/channels/busy', '{"channelArn":"arn:aws:ivs:us-east-1:123456789012:channel/x"}', /busy/],
      ['PATCH', '/config', '{"quotas":{"stagesPerRegion":0}}', /quotas\.stagesPerRegion/],
      ['PATCH', '/config', '{"timings":{"compositionStartMs":-1}}', /timings\.compositionStartMs/],
    ];
    for (const [method, path, body, field] of cases) {
      const { status, json } = await rawControl(method, path, body);
      assert.equal(status, 400, `${method} ${path} ${body}: ${JSON.stringify(json)}`);
      assert.equal(json.error, 'ValidationException', `${method} ${path} ${body}`);
      assert.match(json.message ?? '', field, `${method} ${path} ${body}: ${json.message}`);
    }
    const malformed = await rawControl('POST', '/participants/join', '{"token":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.error, 'SerializationException');
  });

  void test('unknown control paths and methods are 404', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/inventory'],
      ['GET', '/participants/join'],
      ['DELETE', '/faults/no-such-fault'],
    ] as const) {
      const { status, json } = await rawControl(method, path);
      assert.equal(status, 404, `${method} ${path}`);
      assert.ok(json.message, 'a 404 still explains itself');
    }
  });

  void test('PATCH /config changes a quota at runtime', async () => {
    const { ivs, control } = fx;
    const before = (await control.inventory()).live.stages;
    const patched = (await control.configure({ quotas: { stagesPerRegion: before + 1 } })) as {
      quotas: { stagesPerRegion: number; publishersPerStage: number };
    };
    assert.equal(patched.quotas.stagesPerRegion, before + 1);
    assert.equal(patched.quotas.publishersPerStage, 6, 'other quotas keep their values, not the defaults');
    try {
      const { stage } = await ivs.send(new CreateStageCommand({ name: 'last-one' }));
      await assert.rejects(
        ivs.send(new CreateStageCommand({ name: 'one-too-many' })),
        (
          e: Error & {
            $metadata?: { httpStatusCode?: number };
          },
        ) => {
          assert.equal(e.name, 'ServiceQuotaExceededException');
          assert.equal(e.$metadata?.httpStatusCode, 402);
          return true;
        },
      );
      await control.configure({ quotas: { stagesPerRegion: before + 2 } });
      await ivs.send(new CreateStageCommand({ name: 'allowed-again' }));
      await ivs.send(new DeleteStageCommand({ arn: stage!.arn! }));
    } finally {
      await control.configure({ quotas: { stagesPerRegion: 1000 } });
    }
    await control.configure({ timings: { compositionStopMs: 2500 } });
    const res = await fetch(`${fx.emulator.endpoint}/_emulator/config`);
    const config = (await res.json()) as {
      quotas: { stagesPerRegion: number; publishersPerStage: number };
      timings: Record<string, number>;
    };
    assert.equal(config.quotas.stagesPerRegion, 1000);
    assert.equal(config.quotas.publishersPerStage, 6);
    assert.equal(config.timings.compositionStopMs, 2500);
    assert.equal(
      config.timings.compositionStartMs,
      EMULATOR_TEST_TIMINGS.compositionStartMs,
      'a timings patch keeps the others',
    );
    assert.equal(config.timings.compositionPurgeMs, EMULATOR_TEST_TIMINGS.compositionPurgeMs);
  });
});
