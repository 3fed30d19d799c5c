import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateEncoderConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  GetCompositionCommand,
  GetParticipantCommand,
  StartCompositionCommand,
  StopCompositionCommand,
  type ParticipantToken,
} from '@aws-sdk/client-ivs-realtime';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import {
  createRecordingsActivities,
  type RecordingsIndexDocument,
  type RecordingsIndexInput,
  type RecordingsIndexSummary,
} from '../../activities/recordings';
import { isMissingBucketError } from '../../activities/recordings/recordings-s3';
import { parseRecordingEvent } from '../../activities/recordings/recording-events';
import { idOf } from '../../contracts/arn';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';
import { s3BulkLoader } from '../../dev/aws/s3-bulk-loader';
import { testS3ClientConfig, testS3Env } from '../support/test-env';
import { realMs, sleep, waitFor } from '../support/wait-for';

/** 1 emulated second = 20 real ms: recordings of tens of seconds take well under a second. */
const SCALE = 50;

interface EventsJson {
  recording_started_at?: string;
  recording_ended_at?: string;
  recording_status: string;
  recording_status_message?: string;
  media: { hls?: { duration_ms?: number } };
}

void describe('recordings index activity', () => {
  let fx: EmulatorFixture;
  /** The client handed to the activity; a middleware records every command it sends. */
  let activityS3: S3Client;
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const heartbeats: unknown[] = [];

  before(async () => {
    fx = await startEmulatorFixture({
      clockScale: SCALE,
      timings: { compositionStartMs: 500, compositionStopMs: 500 },
    });
    activityS3 = new S3Client(testS3ClientConfig());
    activityS3.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: context.commandName ?? '?', input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  });
  after(async () => {
    activityS3?.destroy();
    await fx?.stop();
  });

  function activities(sleeps: number[] = []) {
    return createRecordingsActivities({
      s3: () => activityS3,
      heartbeat: (details) => heartbeats.push(details),
      sleep: async (ms) => {
        sleeps.push(ms);
        await sleep(ms);
      },
    });
  }

  const emulatedSleep = (ms: number) => sleep(realMs(ms, SCALE));

  async function listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await fx.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) keys.push(o.Key!);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async function readText(bucket: string, key: string): Promise<{ text: string; contentType?: string }> {
    const object = await fx.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { text: await object.Body!.transformToString(), contentType: object.ContentType };
  }

  async function readIndex(summary: RecordingsIndexSummary): Promise<RecordingsIndexDocument> {
    const { text, contentType } = await readText(summary.location.bucket, summary.location.key);
    assert.match(contentType ?? '', /^application\/json/);
    return JSON.parse(text) as RecordingsIndexDocument;
  }

  async function exists(bucket: string, key: string): Promise<boolean> {
    try {
      await fx.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch {
      return false;
    }
  }

  const put = (bucket: string, key: string, body: string | Uint8Array) =>
    fx.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  async function recordingStage(bucket: string, name: string) {
    const { storageConfiguration } = await fx.ivs.send(
      new CreateStorageConfigurationCommand({ name, s3: { bucketName: bucket } }),
    );
    const { stage } = await fx.ivs.send(
      new CreateStageCommand({
        name,
        autoParticipantRecordingConfiguration: {
          storageConfigurationArn: storageConfiguration!.arn,
          mediaTypes: ['AUDIO_VIDEO'],
          thumbnailConfiguration: {
            recordingMode: 'INTERVAL',
            targetIntervalSeconds: 2,
            storage: ['SEQUENTIAL', 'LATEST'],
          },
          recordingReconnectWindowSeconds: 0,
          hlsConfiguration: { targetSegmentDurationSeconds: 2 },
        },
      }),
    );
    const stageArn = stage!.arn!;
    return { stageArn, stageId: idOf(stageArn), storageArn: storageConfiguration!.arn! };
  }

  async function token(stageArn: string, userId: string): Promise<ParticipantToken> {
    return (await fx.ivs.send(new CreateParticipantTokenCommand({ stageArn, userId }))).participantToken!;
  }

  async function participant(stageArn: string, sessionId: string, participantId: string) {
    return (await fx.ivs.send(new GetParticipantCommand({ stageArn, sessionId, participantId }))).participant!;
  }

  /** Publishes, waits until IVS would have written recording-started.json, and returns the recording prefix. */
  async function recordingStarted(bucket: string, stageArn: string, sessionId: string, participantId: string) {
    return waitFor(async () => {
      const p = await participant(stageArn, sessionId, participantId);
      const prefix = p.recordingState === 'ACTIVE' ? p.recordingS3Prefix : undefined;
      return prefix && (await exists(bucket, `${prefix}/events/recording-started.json`)) ? prefix : undefined;
    }, 10_000);
  }

  void test('indexes participant and composite recordings written by the emulator, field by field', async () => {
    const bucket = await fx.createBucket('idx');
    const { stageArn, stageId, storageArn } = await recordingStage(bucket, 'indexed');
    const { encoderConfiguration } = await fx.ivs.send(
      new CreateEncoderConfigurationCommand({
        name: 'indexed',
        video: { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 },
      }),
    );
    const alice = await token(stageArn, 'alice');
    const bob = await token(stageArn, 'bob');
    const { sessionId } = await fx.control.join(alice.token!, { publish: true });
    await fx.control.join(bob.token!, { publish: true });

    const { composition } = await fx.ivs.send(
      new StartCompositionCommand({
        stageArn,
        destinations: [
          {
            s3: {
              storageConfigurationArn: storageArn,
              encoderConfigurationArns: [encoderConfiguration!.arn!],
              thumbnailConfigurations: [{ targetIntervalSeconds: 2, storage: ['SEQUENTIAL', 'LATEST'] }],
            },
          },
        ],
      }),
    );
    const compositionArn = composition!.arn!;
    const compositePrefix = composition!.destinations![0]!.detail!.s3!.recordingPrefix!;
    await waitFor(async () => {
      const c = (await fx.ivs.send(new GetCompositionCommand({ arn: compositionArn }))).composition!;
      return c.state === 'ACTIVE' && c.destinations![0]!.state === 'ACTIVE';
    }, 10_000);

    await emulatedSleep(10_000);
    // Bob publishes twice: with reconnect window 0 the first recording ends and the second gets its own prefix.
    await fx.control.unpublish({ token: bob.token! });
    await waitFor(
      async () => (await participant(stageArn, sessionId, bob.participantId!)).recordingState === 'STOPPED',
    );
    await emulatedSleep(2_000); // prefixes carry whole seconds
    await fx.control.publish({ token: bob.token! });
    await emulatedSleep(8_000);
    await fx.ivs.send(new StopCompositionCommand({ arn: compositionArn }));
    await fx.control.leave({ token: alice.token! });
    await fx.control.leave({ token: bob.token! });

    // A failed recording (hard to provoke through the emulator) and one whose final document is corrupt.
    const failedPrefix = `${stageId}/${sessionId}/zzFailedPart/2024-01-01T00-00-00Z`;
    const failedDoc = {
      version: 'v1',
      stage_arn: stageArn,
      session_id: sessionId,
      participant_id: 'zzFailedPart',
      recording_started_at: '2024-01-01T00:00:00Z',
      recording_ended_at: '2024-01-01T00:00:09Z',
      recording_status: 'RECORDING_ENDED_WITH_FAILURE',
      recording_status_message: 'S3 write of media/hls/high/2.mp4 failed: AccessDenied',
      media: {
        hls: {
          duration_ms: 4000,
          path: 'media/hls',
          playlist: 'multivariant.m3u8',
          renditions: [{ path: 'high', playlist: 'playlist.m3u8' }],
        },
      },
    };
    const { duration_ms: _omit, ...startedHls } = failedDoc.media.hls;
    await Promise.all([
      put(
        bucket,
        `${failedPrefix}/events/recording-started.json`,
        JSON.stringify({ ...failedDoc, recording_status: 'RECORDING_STARTED', media: { hls: startedHls } }),
      ),
      put(bucket, `${failedPrefix}/events/recording-failed.json`, JSON.stringify(failedDoc)),
      put(bucket, `${failedPrefix}/media/hls/multivariant.m3u8`, '#EXTM3U\n'),
      put(bucket, `${failedPrefix}/media/hls/high/playlist.m3u8`, '#EXTM3U\n'),
      put(bucket, `${failedPrefix}/media/hls/high/init-0.mp4`, 'i'),
      put(bucket, `${failedPrefix}/media/hls/high/0.mp4`, 's'),
      put(bucket, `${failedPrefix}/media/hls/high/1.mp4`, 's'),
    ]);
    const brokenPrefix = `${stageId}/${sessionId}/zzBrokenPart/2024-01-01T00-00-00Z`;
    await Promise.all([
      put(bucket, `${brokenPrefix}/events/recording-ended.json`, '{"version": "v1", "recording_status": '),
      put(bucket, `${brokenPrefix}/media/hls/high/0.mp4`, 's'),
    ]);

    const sleeps: number[] = [];
    const input: RecordingsIndexInput = {
      stageArn,
      participantRecordingBucket: bucket,
      composites: [{ compositionArn, bucket, prefix: compositePrefix }],
      indexLocation: { bucket, key: `indexes/${stageId}/recordings.json` },
      settleTimeoutMs: 30_000,
      pollIntervalMs: 100,
    };
    const summary = await activities(sleeps).indexRecordings(input);
    const index = await readIndex(summary);

    // Ground truth straight from S3.
    const sessionKeys = await listKeys(bucket, `${stageId}/${sessionId}/`);
    const compositeKeys = await listKeys(bucket, `${compositePrefix}/`);
    const under = (keys: string[], folder: string, pattern: RegExp) =>
      keys.filter((k) => k.startsWith(`${folder}/`) && pattern.test(k.slice(folder.length + 1))).length;
    const endedJson = async (prefix: string) =>
      JSON.parse((await readText(bucket, `${prefix}/events/recording-ended.json`)).text) as EventsJson;

    assert.equal(index.version, 1);
    assert.equal(index.stageArn, stageArn);
    assert.ok(!Number.isNaN(Date.parse(index.generatedAt)));
    assert.equal(index.participantRecordingBucket, bucket);
    assert.equal(index.settleWait.timedOut, false);
    const ids = index.participants.map((p) => p.participantId);
    assert.deepEqual(ids, [...ids].sort(), 'participants sorted by ID');
    assert.deepEqual(
      [...ids].sort(),
      [alice.participantId!, bob.participantId!, 'zzBrokenPart', 'zzFailedPart'].sort(),
    );
    for (const p of index.participants) assert.equal(p.sessionId, sessionId);
    const byId = (id: string) => index.participants.find((p) => p.participantId === id)!;

    let expectedTotal = 0;
    for (const id of [alice.participantId!, bob.participantId!]) {
      const { recordings } = byId(id);
      assert.equal(recordings.length, id === bob.participantId ? 2 : 1, `recordings of ${id}`);
      for (const r of recordings) {
        const ended = await endedJson(r.prefix);
        const hls = `${r.prefix}/media/hls`;
        assert.match(
          r.prefix,
          new RegExp(`^${stageId}/${sessionId}/${id}/\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ$`),
        );
        assert.equal(r.status, 'RECORDING_ENDED');
        assert.equal(r.status_message, undefined);
        assert.equal(r.start, ended.recording_started_at);
        assert.equal(r.end, ended.recording_ended_at);
        assert.equal(typeof ended.media.hls?.duration_ms, 'number');
        assert.equal(r.duration_ms, ended.media.hls!.duration_ms);
        assert.ok(r.duration_ms > 0, 'something was recorded');
        expectedTotal += r.duration_ms;
        assert.deepEqual(r.media_types, ['AUDIO_VIDEO']);
        assert.equal(r.playlist, `${hls}/multivariant.m3u8`);
        assert.equal(r.renditions.length, 1);
        const [high] = r.renditions;
        assert.equal(high!.path, 'high');
        assert.equal(high!.playlist, `${hls}/high/playlist.m3u8`);
        assert.equal(high!.segments, under(sessionKeys, `${hls}/high`, /^\d+\.mp4$/));
        assert.ok(high!.segments > 0);
        assert.equal(high!.init_segments, 1);
        assert.equal(r.thumbnails.sequential, under(sessionKeys, `${r.prefix}/media/thumbnails/high`, /^\d+\.jpg$/));
        assert.ok(r.thumbnails.sequential > 0);
        assert.equal(r.thumbnails.latest, `${r.prefix}/media/latest_thumbnail/high/thumb.jpg`);
        assert.equal(r.objects, sessionKeys.filter((k) => k.startsWith(`${r.prefix}/`)).length);
        for (const key of [r.playlist, high!.playlist, r.thumbnails.latest]) assert.ok(await exists(bucket, key), key);
      }
    }
    const bobs = byId(bob.participantId!).recordings;
    assert.ok(bobs[0]!.start! <= bobs[1]!.start!, "bob's recordings sorted by start");
    assert.notEqual(bobs[0]!.prefix, bobs[1]!.prefix);

    const [failed] = byId('zzFailedPart').recordings;
    assert.equal(failed!.status, 'RECORDING_ENDED_WITH_FAILURE');
    assert.equal(failed!.status_message, failedDoc.recording_status_message);
    assert.equal(failed!.start, '2024-01-01T00:00:00Z');
    assert.equal(failed!.end, '2024-01-01T00:00:09Z');
    assert.equal(failed!.duration_ms, 4000);
    expectedTotal += 4000;
    assert.equal(failed!.renditions[0]!.segments, 2);
    assert.equal(failed!.thumbnails.sequential, 0);
    assert.equal(failed!.thumbnails.latest, null);

    const [broken] = byId('zzBrokenPart').recordings;
    assert.equal(broken!.status, 'UNREADABLE');
    assert.match(broken!.status_message!, /^recording-ended\.json: invalid JSON/);
    assert.equal(broken!.duration_ms, null);
    assert.equal(broken!.playlist, null, 'no multivariant playlist was written');
    assert.equal(broken!.renditions[0]!.segments, 1);

    assert.equal(index.composites.length, 1);
    const composite = index.composites[0]!;
    const compositeEnded = await endedJson(compositePrefix);
    assert.equal(composite.compositionArn, compositionArn);
    assert.equal(composite.bucket, bucket);
    assert.equal(composite.prefix, compositePrefix);
    assert.equal(composite.status, 'RECORDING_ENDED');
    assert.equal(composite.start, compositeEnded.recording_started_at);
    assert.equal(composite.end, compositeEnded.recording_ended_at);
    assert.equal(composite.duration_ms, compositeEnded.media.hls!.duration_ms);
    expectedTotal += composite.duration_ms;
    assert.equal(composite.playlist, `${compositePrefix}/media/hls/multivariant.m3u8`);
    assert.equal(composite.renditions.length, 1);
    const rendition = composite.renditions[0]!;
    assert.match(rendition.path, /^720p30-[a-zA-Z0-9]{10}$/);
    assert.equal(rendition.resolution_width, 1280);
    assert.equal(rendition.resolution_height, 720);
    assert.equal(rendition.playlist, `${compositePrefix}/media/hls/${rendition.path}/playlist.m3u8`);
    const compositeHls = `${compositePrefix}/media/hls/${rendition.path}`;
    assert.equal(rendition.segments, under(compositeKeys, compositeHls, /^\d+\.mp4$/));
    assert.ok(rendition.segments > 0);
    assert.equal(
      composite.thumbnails.sequential,
      under(compositeKeys, `${compositePrefix}/media/thumbnails/1280x720`, /^\d+\.jpg$/),
    );
    assert.equal(composite.thumbnails.latest, `${compositePrefix}/media/latest_thumbnail/1280x720/thumb.jpg`);
    for (const key of [composite.playlist, rendition.playlist, composite.thumbnails.latest]) {
      assert.ok(await exists(bucket, key), key);
    }

    const expectedSummary = {
      participants: 4,
      participantRecordings: 5,
      compositeRecordings: 1,
      failedRecordings: 1,
      unsettledRecordings: 0,
      totalDurationMs: expectedTotal,
      objectsScanned: sessionKeys.length + compositeKeys.length,
    };
    assert.deepEqual(summary, {
      location: { bucket, key: input.indexLocation.key, uri: `s3://${bucket}/${input.indexLocation.key}` },
      ...expectedSummary,
    });
    assert.deepEqual(index.summary, { ...expectedSummary, unreadableRecordings: 1, missingRecordings: 0 });

    // Session filter: the same session gives the same index; an unknown one none of the participant recordings.
    const same = await activities().indexRecordings({ ...input, sessionIds: [sessionId], settleTimeoutMs: 0 });
    assert.equal(same.participantRecordings, 5);
    const none = await activities().indexRecordings({ ...input, sessionIds: ['st-unknownSess01'], composites: [] });
    assert.equal(none.participants, 0);
    assert.equal(none.objectsScanned, 0);
  });

  void test('settle wait: a recording still in progress is UNSETTLED after the timeout; one that ends during the wait is settled', async () => {
    const bucket = await fx.createBucket('settle');
    const { stageArn, stageId } = await recordingStage(bucket, 'settling');
    const carol = await token(stageArn, 'carol');
    const { sessionId } = await fx.control.join(carol.token!, { publish: true });
    const prefix = await recordingStarted(bucket, stageArn, sessionId, carol.participantId!);
    const input: RecordingsIndexInput = {
      stageArn,
      participantRecordingBucket: bucket,
      composites: [],
      indexLocation: { bucket, key: 'index.json' },
      settleTimeoutMs: 1500,
      pollIntervalMs: 250,
    };

    heartbeats.length = 0;
    let began = Date.now();
    const unsettled = await activities().indexRecordings(input);
    let elapsed = Date.now() - began;
    assert.ok(elapsed >= 1400 && elapsed < 1500 + 3000, `returned after ${elapsed} ms`);
    assert.equal(unsettled.unsettledRecordings, 1);
    assert.equal(unsettled.participantRecordings, 1);
    const settling = heartbeats.filter((h) => (h as { phase?: string }).phase === 'settling');
    assert.ok(settling.length >= 3, `heartbeats while waiting: ${settling.length}`);
    let index = await readIndex(unsettled);
    assert.equal(index.settleWait.timedOut, true);
    let [recording] = index.participants[0]!.recordings;
    assert.equal(recording!.prefix, prefix);
    assert.ok(prefix.startsWith(`${stageId}/${sessionId}/`));
    assert.equal(recording!.status, 'UNSETTLED');
    assert.ok(recording!.start, 'start comes from recording-started.json');
    assert.equal(recording!.end, null);
    assert.equal(recording!.duration_ms, null);

    // Carol leaves while the next call waits: the recording ends and is indexed as such.
    const sleeps: number[] = [];
    const leaving = sleep(600).then(() => fx.control.leave({ token: carol.token! }));
    began = Date.now();
    const settled = await activities(sleeps).indexRecordings({
      ...input,
      settleTimeoutMs: 20_000,
      pollIntervalMs: 100,
    });
    elapsed = Date.now() - began;
    await leaving;
    assert.ok(sleeps.length > 0, 'the activity waited');
    assert.ok(elapsed < 20_000, `settled after ${elapsed} ms`);
    assert.equal(settled.unsettledRecordings, 0);
    index = await readIndex(settled);
    assert.equal(index.settleWait.timedOut, false);
    [recording] = index.participants[0]!.recordings;
    assert.equal(recording!.status, 'RECORDING_ENDED');
    const ended = JSON.parse((await readText(bucket, `${prefix}/events/recording-ended.json`)).text) as EventsJson;
    assert.equal(recording!.duration_ms, ended.media.hls!.duration_ms);
    assert.equal(settled.totalDurationMs, ended.media.hls!.duration_ms);
  });

  void test('scale smoke: 20,000 segments of one recording are counted from paged listings', async () => {
    const bucket = await fx.createBucket('scale');
    const stageId = 'SynthStage01';
    const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/${stageId}`;
    const prefix = `${stageId}/st-synthSession1/synthPart001/2024-01-01T00-00-00Z`;
    const segments = 20_000;
    const hls = {
      path: 'media/hls',
      playlist: 'multivariant.m3u8',
      renditions: [{ path: 'high', playlist: 'playlist.m3u8' }],
    };
    const doc = (status: string, extra: object) =>
      JSON.stringify({
        version: 'v1',
        stage_arn: stageArn,
        recording_started_at: '2024-01-01T00:00:00Z',
        recording_status: status,
        ...extra,
      });
    const objects: [string, string][] = [
      ['events/recording-started.json', doc('RECORDING_STARTED', { media: { hls } })],
      [
        'events/recording-ended.json',
        doc('RECORDING_ENDED', {
          recording_ended_at: '2024-01-01T11:06:40Z',
          media: { hls: { duration_ms: segments * 2000, ...hls } },
        }),
      ],
      ['media/hls/multivariant.m3u8', '#EXTM3U\n'],
      ['media/hls/high/playlist.m3u8', '#EXTM3U\n'],
      ['media/hls/high/init-0.mp4', 'i'],
    ];
    const keys = Array.from({ length: objects.length + segments }, (_, i) =>
      i < objects.length ? objects[i]! : ([`media/hls/high/${i - objects.length}.mp4`, 's'] as [string, string]),
    );
    const loader = s3BulkLoader(testS3Env(), 200);
    try {
      for (let i = 0; i < keys.length; i += 200) {
        await Promise.all(keys.slice(i, i + 200).map(([key, body]) => loader.put(bucket, `${prefix}/${key}`, body)));
      }
    } finally {
      loader.close();
    }

    sent.length = 0;
    const summary = await activities().indexRecordings({
      stageArn,
      participantRecordingBucket: bucket,
      composites: [],
      indexLocation: { bucket, key: 'index.json' },
      settleTimeoutMs: 5_000,
    });
    assert.equal(summary.objectsScanned, segments + 5);
    assert.equal(summary.participantRecordings, 1);
    assert.equal(summary.totalDurationMs, segments * 2000);
    const index = await readIndex(summary);
    const [recording] = index.participants[0]!.recordings;
    assert.equal(recording!.renditions[0]!.segments, segments);
    assert.equal(recording!.renditions[0]!.init_segments, 1);
    assert.equal(recording!.objects, segments + 5);

    const lists = sent.filter((s) => s.command === 'ListObjectsV2Command');
    assert.ok(
      lists.every((s) => s.input.MaxKeys === 1000),
      'pages of 1000',
    );
    assert.ok(lists.filter((s) => s.input.Delimiter === undefined).length >= segments / 1000, 'the flat listing pages');
    const reads = sent.filter((s) => s.command === 'GetObjectCommand' || s.command === 'HeadObjectCommand');
    assert.deepEqual(
      reads.map((s) => s.input.Key),
      [`${prefix}/events/recording-ended.json`],
      'only the final events document is read',
    );
  });

  void test('a missing bucket fails for good with RecordingsBucketMissing, before any waiting', async () => {
    const bucket = await fx.createBucket('present');
    const missing = `missing-${randomBytes(6).toString('hex')}`;
    const base: RecordingsIndexInput = {
      stageArn: 'arn:aws:ivs:us-east-1:123456789012:stage/MissingStage',
      participantRecordingBucket: bucket,
      composites: [],
      indexLocation: { bucket, key: 'index.json' },
      settleTimeoutMs: 60_000,
    };
    const isBucketMissing = (error: unknown) => {
      assert.ok(error instanceof ApplicationFailure, `expected ApplicationFailure, got ${String(error)}`);
      assert.equal(error.type, 'RecordingsBucketMissing');
      assert.equal(error.nonRetryable, true);
      assert.ok(error.message.includes(missing), error.message);
      return true;
    };
    const began = Date.now();
    await assert.rejects(
      activities().indexRecordings({ ...base, participantRecordingBucket: missing }),
      isBucketMissing,
    );
    await assert.rejects(
      activities().indexRecordings({
        ...base,
        composites: [
          {
            compositionArn: 'arn:aws:ivs:us-east-1:123456789012:composition/c1',
            bucket: missing,
            prefix: 'x/y/z/composite',
          },
        ],
      }),
      isBucketMissing,
    );
    await assert.rejects(
      activities().indexRecordings({ ...base, indexLocation: { bucket: missing, key: 'i.json' } }),
      isBucketMissing,
    );
    assert.ok(Date.now() - began < 10_000, 'no settle wait before failing');

    // A bucket deleted after the check surfaces as NoSuchBucket from ListObjectsV2, which maps the same way.
    const listed = await fx.s3.send(new ListObjectsV2Command({ Bucket: missing })).then(
      () => assert.fail('listing a missing bucket succeeded'),
      (error: unknown) => error,
    );
    assert.ok(isMissingBucketError(listed), `not recognised as a missing bucket: ${String(listed)}`);
  });

  void test('events documents: malformed JSON and wrong shapes are reported, not thrown', () => {
    const bad = parseRecordingEvent('{"recording_status": ');
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.reason : '', /^invalid JSON/);
    const wrong = parseRecordingEvent(
      JSON.stringify({ recording_status: 'RECORDING_ENDED', media: { hls: { duration_ms: 'long' } } }),
    );
    assert.equal(wrong.ok, false);
    assert.match(!wrong.ok ? wrong.reason : '', /^unexpected document: media\.hls\./);
    const good = parseRecordingEvent(
      JSON.stringify({ recording_status: 'RECORDING_STARTED', recording_started_at: '2024-01-01T00:00:00Z', extra: 1 }),
    );
    assert.ok(good.ok);
    assert.equal(good.document.recording_started_at, '2024-01-01T00:00:00Z');
  });
});
