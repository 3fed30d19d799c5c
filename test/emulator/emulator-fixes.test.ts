import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import {
  CreateIngestConfigurationCommand,
  DeleteIngestConfigurationCommand,
  DeleteStageCommand,
  DisconnectParticipantCommand,
  ImportPublicKeyCommand,
  ListParticipantReplicasCommand,
  ListParticipantsCommand,
  ListTagsForResourceCommand,
  StartParticipantReplicationCommand,
  TagResourceCommand,
  type IVSRealTimeClient,
} from '@aws-sdk/client-ivs-realtime';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { startEmulator } from '../../emulator/src';
import { parseEmulatorConfig } from '../../emulator/src/config';
import { rejectsWithControlError } from '../support/emulator-assertions';
import {
  activeSessionId,
  createStage,
  createToken,
  EMULATOR_TEST_TIMINGS,
  emulatorFixturePerSuite,
  getParticipant,
  participantEvents,
  publishingParticipant,
  rawControlRequest,
  scaledEmulatorConfig,
  storageWithBucket,
} from '../support/emulator-scenarios';
import { sleep, waitFor } from '../support/wait-for';

/** Collects a server-sent-events stream's frames until `close()`. */
function openEventStream(endpoint: string, query = ''): Promise<{ events: () => string[]; close: () => void }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const req = http.get(`${endpoint}/_emulator/events/stream${query}`, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', () => undefined);
      resolve({
        events: () =>
          text
            .split('\n\n')
            .filter((frame) => frame.includes('\ndata: '))
            .map((frame) => frame.slice(frame.indexOf('\ndata: ') + 7)),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

/** Regression tests for reported emulator bugs; each test names the behaviour it pins down. */
void describe('emulator fixes', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig());

  const stage = (name: string, ivs: IVSRealTimeClient = fx.ivs) => createStage(ivs, name);
  const token = (stageArn: string, capabilities?: ('PUBLISH' | 'SUBSCRIBE')[], ivs = fx.ivs) =>
    createToken(ivs, stageArn, { userId: 'u', capabilities });
  const eventNames = async (stageArn: string, sessionId: string, participantId: string) =>
    (await participantEvents(fx.ivs, stageArn, sessionId, participantId)).map((e) => e.name!);

  const rawControl = (method: string, path: string, body?: unknown) =>
    rawControlRequest(fx, method, path, body === undefined ? undefined : JSON.stringify(body));

  void describe('an ingest participant leaving ends its replications', () => {
    /** An RTMPS publisher on a source stage, replicated to a destination stage. */
    async function replicatedIngest(name: string) {
      const source = await stage(`${name}-src`);
      const destination = await stage(`${name}-dst`);
      const { ingestConfiguration } = await fx.ivs.send(
        new CreateIngestConfigurationCommand({ stageArn: source, ingestProtocol: 'RTMPS' }),
      );
      const config = ingestConfiguration!;
      const { sessionId } = await fx.control.connectIngest(config.streamKey!);
      const participantId = config.participantId!;
      await fx.ivs.send(
        new StartParticipantReplicationCommand({
          sourceStageArn: source,
          destinationStageArn: destination,
          participantId,
        }),
      );
      const replicas = async () =>
        (await fx.ivs.send(new ListParticipantReplicasCommand({ sourceStageArn: source, participantId }))).replicas ??
        [];
      assert.equal((await replicas()).length, 1);
      const destinationSession = (await activeSessionId(fx.ivs, destination))!;
      return { source, destination, config, sessionId, participantId, replicas, destinationSession };
    }

    async function assertReplicationEnded(r: Awaited<ReturnType<typeof replicatedIngest>>): Promise<void> {
      assert.deepEqual(await r.replicas(), []);
      const replica = await getParticipant(fx.ivs, r.destination, r.destinationSession, r.participantId);
      assert.equal(replica.state, 'DISCONNECTED', 'the replica left the destination');
      assert.equal(replica.replicationState, 'STOPPED');
      assert.equal(await activeSessionId(fx.ivs, r.destination), undefined);
      const names = await eventNames(r.source, r.sessionId, r.participantId);
      assert.ok(names.includes('REPLICATION_STOPPED'), names.join());
      assert.ok(names.indexOf('REPLICATION_STOPPED') < names.indexOf('LEFT'), names.join());
    }

    void test('the publisher disconnecting (/ingest/disconnect)', async () => {
      const r = await replicatedIngest('ingest-disconnect');
      await fx.control.disconnectIngest(r.config.streamKey!);
      await assertReplicationEnded(r);
    });

    void test('DisconnectParticipant of the ingest participant', async () => {
      const r = await replicatedIngest('ingest-kicked');
      await fx.ivs.send(new DisconnectParticipantCommand({ stageArn: r.source, participantId: r.participantId }));
      await assertReplicationEnded(r);
    });

    void test('forced DeleteIngestConfiguration', async () => {
      const r = await replicatedIngest('ingest-deleted');
      await fx.ivs.send(new DeleteIngestConfigurationCommand({ arn: r.config.arn!, force: true }));
      await assertReplicationEnded(r);
    });
  });

  void test('GET /events/stream answers invalid parameters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['?delayMs=soon', 'delayMs'],
      ['?delayMs=', 'delayMs'],
      ['?delayMs=-5', 'delayMs'],
      ['?jitterMs=NaN', 'jitterMs'],
      ['?dropProbability=2', 'dropProbability'],
      ['?dropProbability=x', 'dropProbability'],
      ['?detailType=IVS%20Stage%20Update&detailType=IVS%20Nonsense', 'detailType'],
      ['?delayMs=1&delayMs=2', 'delayMs'],
      ['?detailTypes=IVS%20Stage%20Update', 'detailTypes'],
    ];
    for (const [query, parameter] of cases) {
      const { status, json } = await rawControl('GET', `/events/stream${query}`);
      assert.equal(status, 400, `${query}: ${json.message}`);
      assert.equal(json.error, 'ValidationException');
      assert.ok(json.message?.includes(parameter), `${query}: ${json.message}`);
    }
    const ok = await openEventStream(
      fx.emulator.endpoint,
      '?detailType=IVS%20Stage%20Update&delayMs=0&jitterMs=0.5&dropProbability=0',
    );
    ok.close();
  });

  void test('PATCH /config refuses unknown quota and timing names with 400 naming them', async () => {
    const cases: [unknown, string][] = [
      [{ quotas: { stagesPerRegin: 3 } }, 'stagesPerRegin'],
      [{ timings: { compositionStrtMs: 10 } }, 'compositionStrtMs'],
      [{ quotas: { stagesPerRegion: 5, publishersPerStag: 2 } }, 'publishersPerStag'],
    ];
    for (const [patch, misspelt] of cases) {
      const { status, json } = await rawControl('PATCH', '/config', patch);
      assert.equal(status, 400, json.message);
      assert.equal(json.error, 'ValidationException');
      assert.ok(json.message?.includes(misspelt), json.message);
    }
    const config = (await (await fetch(`${fx.emulator.endpoint}/_emulator/config`)).json()) as {
      quotas: { stagesPerRegion: number };
    };
    assert.equal(config.quotas.stagesPerRegion, 1000, 'a refused patch changes nothing');
    await assert.rejects(
      startEmulator({ timings: { compositionStrtMs: 1 } as never }, () => undefined),
      /compositionStrtMs/,
    );
  });

  void test('the per-region publisher quota names itself when hit', async () => {
    const ivs = fx.client({ accessKeyId: '300000000003' });
    const [a, b] = [await stage('region-quota-a', ivs), await stage('region-quota-b', ivs)];
    await fx.control.configure({ quotas: { concurrentPublishersPerRegion: 1 } });
    try {
      await fx.control.join((await token(a, undefined, ivs)).token!, { publish: true });
      const second = (await token(b, undefined, ivs)).token!;
      await fx.control.join(second);
      const error = await rejectsWithControlError(
        fx.control.publish({ token: second }),
        402,
        'ServiceQuotaExceededException',
      );
      assert.match(error.message, /concurrentPublishersPerRegion/);
      assert.match(error.message, /1 concurrent publishers/);
      assert.doesNotMatch(error.message, /publishersPerStage|12 publishers/);
    } finally {
      await fx.control.configure({ quotas: { concurrentPublishersPerRegion: 1000 } });
    }
    await ivs.send(new DeleteStageCommand({ arn: a }));
    await ivs.send(new DeleteStageCommand({ arn: b }));
  });

  void test('join with publish: true is all or nothing: a refused publish leaves the participant out', async () => {
    const stageArn = await stage('atomic-join');
    const viewer = await token(stageArn, ['SUBSCRIBE']);
    await rejectsWithControlError(fx.control.join(viewer.token!, { publish: true }), 403, 'AccessDeniedException');
    assert.equal(await activeSessionId(fx.ivs, stageArn), undefined, 'nobody is connected');
    // Not left connected: the same token can join again (a connected participant could not: 409).
    const { sessionId } = await fx.control.join(viewer.token!);
    const { participants } = await fx.ivs.send(new ListParticipantsCommand({ stageArn, sessionId }));
    assert.equal(participants!.filter((p) => p.state === 'CONNECTED').length, 1);
    await fx.control.leave({ token: viewer.token! });
  });

  void test("self-signed tokens must be signed with a key of the stage's account and region", async () => {
    const stageArn = await stage('self-signed-scope');
    const nowSeconds = Math.floor((await fx.control.clock()).epochMs / 1000);
    const keyIn = async (ivs: IVSRealTimeClient) => {
      const pair = await generateKeyPair('ES384', { extractable: true });
      const { publicKey } = await ivs.send(
        new ImportPublicKeyCommand({ publicKeyMaterial: await exportSPKI(pair.publicKey) }),
      );
      return { privateKey: pair.privateKey, arn: publicKey!.arn! };
    };
    const sign = (key: { privateKey: Parameters<SignJWT['sign']>[0]; arn: string }, participantId: string) =>
      new SignJWT({ resource: stageArn, capabilities: { allow_publish: true, allow_subscribe: true }, version: '1.0' })
        .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: key.arn })
        .setJti(participantId)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + 3600)
        .sign(key.privateKey);

    const otherAccount = await keyIn(fx.client({ accessKeyId: '444455556666' }));
    const e1 = await rejectsWithControlError(
      fx.control.join(await sign(otherAccount, 'crossAccount1')),
      403,
      'AccessDeniedException',
    );
    assert.match(e1.message, /account and region/);
    const otherRegion = await keyIn(fx.client({ region: 'eu-west-1' }));
    await rejectsWithControlError(
      fx.control.join(await sign(otherRegion, 'crossRegion01')),
      403,
      'AccessDeniedException',
    );
    const own = await keyIn(fx.ivs);
    const joined = await fx.control.join(await sign(own, 'sameAccount01'));
    assert.equal(joined.participantId, 'sameAccount01');
    await fx.ivs.send(new DeleteStageCommand({ arn: stageArn }));
  });

  void test('lost-response on a GET (ListTagsForResource) and a POST drops the answer and is counted', async () => {
    const stageArn = await stage('lost-tags');
    const noRetry = fx.client({ maxAttempts: 1 });
    fx.emulator.metrics.reset();
    await fx.control.addFault({ operation: 'ListTagsForResource', mode: 'lost-response', count: 1 });
    await assert.rejects(noRetry.send(new ListTagsForResourceCommand({ resourceArn: stageArn })));
    await fx.control.addFault({ operation: 'TagResource', mode: 'lost-response', count: 1 });
    await assert.rejects(noRetry.send(new TagResourceCommand({ resourceArn: stageArn, tags: { lost: 'yes' } })));
    // The change of the lost TagResource was applied, and the next call is answered normally.
    const { tags } = await noRetry.send(new ListTagsForResourceCommand({ resourceArn: stageArn }));
    assert.deepEqual(tags, { lost: 'yes' });
    const api = (await fx.control.metrics()).api['123456789012/us-east-1']!;
    const { peakPerSecond, ...counted } = api.ListTagsForResource!;
    assert.deepEqual(counted, { calls: 2, errors: { LostResponse: 1 } });
    // Both calls in one clock second, or one in each: the second depends on the machine's pace, not the emulator.
    assert.ok(peakPerSecond === 1 || peakPerSecond === 2, `peakPerSecond ${peakPerSecond}`);
    assert.equal(api.TagResource!.errors.LostResponse, 1);
  });

  void test('reset clears the recent events; open SSE streams stay open and get only new events', async () => {
    const stageArn = await stage('reset-events');
    const stream = await openEventStream(fx.emulator.endpoint, '?detailType=IVS%20Stage%20Update');
    // 30 emulated seconds are 300 real ms: still pending when the reset comes.
    const delayed = await openEventStream(fx.emulator.endpoint, '?detailType=IVS%20Stage%20Update&delayMs=30000');
    try {
      await fx.control.join((await token(stageArn)).token!, { publish: true });
      await waitFor(() => stream.events().length === 1);
      assert.ok((await fx.control.recentEvents()).length > 0);

      await fx.control.reset();
      assert.deepEqual(await fx.control.recentEvents(), []);
      const after = await stage('reset-events-after');
      const { participantId } = await fx.control.join((await token(after)).token!, { publish: true });
      await waitFor(() => stream.events().length === 2, 10_000, { description: 'the stream got the new event' });
      assert.equal(await fx.control.recentEvents().then((e) => e.length), 1);
      await waitFor(() => delayed.events().length >= 1, 10_000, { description: 'the delayed stream got an event' });
      await sleep(400);
      const delivered = delayed.events().map((e) => JSON.parse(e) as { detail: { participant_id: string } });
      assert.deepEqual(
        delivered.map((e) => e.detail.participant_id),
        [participantId],
        'the delayed event from before the reset was discarded',
      );
    } finally {
      stream.close();
      delayed.close();
    }
  });
});

void describe('minimumRecordedPublishMs', () => {
  const scale = 10;
  const minimumMs = 20_000; // 2 real seconds
  const fx = emulatorFixturePerSuite({
    clockScale: scale,
    timings: { ...EMULATOR_TEST_TIMINGS, minimumRecordedPublishMs: minimumMs },
  });

  void test('a publish shorter than the minimum is not recorded; a longer one is, dated from the publish start', async () => {
    const { bucket, arn: storageConfigurationArn } = await storageWithBucket(fx, 'minpub');
    const stageArn = await createStage(fx.ivs, 'short-publishes', {
      autoParticipantRecordingConfiguration: { storageConfigurationArn },
    });
    const participant = (sessionId: string, participantId: string) =>
      getParticipant(fx.ivs, stageArn, sessionId, participantId);
    const objects = async () => (await fx.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount ?? 0;

    const short = await publishingParticipant(fx, stageArn);
    await fx.control.unpublish({ token: short.token });
    await sleep(minimumMs / scale + 500);
    assert.equal((await participant(short.sessionId, short.participantId)).recordingState, 'DISABLED');
    assert.equal(await objects(), 0, 'nothing was written for the short publish');
    await fx.control.leave({ token: short.token });

    const long = await publishingParticipant(fx, stageArn);
    const { sessionId, participantId } = long;
    const publishedAt = (await participantEvents(fx.ivs, stageArn, sessionId, participantId)).find(
      (e) => e.name === 'PUBLISH_STARTED',
    )!.eventTime!;
    const active = await waitFor(
      async () => {
        const p = await participant(sessionId, participantId);
        return p.recordingState === 'ACTIVE' ? p : undefined;
      },
      15_000,
      { description: 'the recording started' },
    );
    const prefix = active.recordingS3Prefix!;
    const stamp = prefix.slice(prefix.lastIndexOf('/') + 1).replace(/T(\d\d)-(\d\d)-(\d\d)/, 'T$1:$2:$3');
    assert.ok(Math.abs(Date.parse(stamp) - publishedAt.getTime()) < 1500, `${stamp} vs ${publishedAt.toISOString()}`);
    const started = JSON.parse(
      await (
        await fx.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/events/recording-started.json` }))
      ).Body!.transformToString(),
    ) as { recording_started_at: string };
    assert.ok(Date.parse(started.recording_started_at) - publishedAt.getTime() < 1500, started.recording_started_at);
    await fx.control.leave({ token: long.token });
    await waitFor(async () => (await participant(sessionId, participantId)).recordingState === 'STOPPED', 15_000);
    await fx.ivs.send(new DeleteStageCommand({ arn: stageArn }));
  });
});

void describe('slow clients', () => {
  const fx = emulatorFixturePerSuite({ requestTimeoutMs: 500 });

  /** Sends `data` and never the rest; resolves with what the server answered once it closes the connection. */
  function stall(data: string): Promise<{ answer: string; ms: number }> {
    const url = new URL(fx.emulator.endpoint);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write(data));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the server kept the stalled connection open for 10 s'));
      }, 10_000).unref();
    });
  }

  void test('the request timeout defaults to 30 s and can be shortened', () => {
    assert.equal(parseEmulatorConfig({}).requestTimeoutMs, 30_000);
    assert.equal(fx.emulator.config.requestTimeoutMs, 500);
  });

  void test('a client that never finishes its headers is disconnected', async () => {
    const { answer, ms } = await stall('POST /ListStages HTTP/1.1\r\nHost: localhost\r\n');
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.ok(ms >= 400, `closed after ${ms} ms`);
  });

  void test('a client that never finishes its body is disconnected', async () => {
    const headers = 'Host: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"tok';
    for (const path of ['/_emulator/participants/join', '/ListStages']) {
      const { answer, ms } = await stall(`POST ${path} HTTP/1.1\r\n${headers}`);
      assert.match(answer, /^HTTP\/1\.1 408 /, path);
      assert.ok(ms >= 400, `${path}: closed after ${ms} ms`);
    }
    // Counted as the client's incomplete request, not as an internal error; and the server is still fine.
    const { api } = await fx.control.metrics();
    assert.deepEqual(api['-/-']?.ListStages?.errors, { IncompleteRequest: 1 });
    assert.equal((await fx.control.health()).status, 'ok');
  });
});
