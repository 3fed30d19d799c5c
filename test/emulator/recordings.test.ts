import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AutoParticipantRecordingConfiguration,
  CreateEncoderConfigurationCommand,
  GetCompositionCommand,
  ListParticipantsCommand,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { DeleteBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { IvsEvent } from '../../emulator/src';
import {
  emulatorFixturePerSuite,
  publishingParticipant,
  scaledEmulatorConfig,
  stageKit,
  storageWithBucket,
} from '../support/emulator-scenarios';
import { realMs, waitFor } from '../support/wait-for';

/**
 * A lower scale than the other emulator tests: each 2 s segment is a segment object plus a playlist rewrite, and at
 * scale 20 that is ~20 S3 writes a second per recording, which a loaded machine keeps up with.
 */
const SCALE = 20;
const PREFIX_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z/;

interface RecordingDocument {
  version: string;
  stage_arn: string;
  session_id?: string;
  participant_id?: string;
  recording_started_at?: string;
  recording_ended_at?: string;
  recording_status: string;
  recording_status_message?: string;
  media: {
    hls?: { duration_ms?: number; path: string; playlist: string; renditions: { path: string; playlist: string }[] };
    thumbnails?: { path: string };
    latest_thumbnail?: { path: string };
  };
}

void describe('recordings', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig({ clockScale: SCALE }));

  async function listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await fx.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) keys.push(o.Key!.slice(prefix.length + 1));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  }

  async function readText(bucket: string, key: string): Promise<string | undefined> {
    try {
      const { Body } = await fx.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await Body!.transformToString();
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async function readJson(bucket: string, key: string): Promise<RecordingDocument> {
    const text = await readText(bucket, key);
    assert.ok(text, `s3://${bucket}/${key} exists`);
    return JSON.parse(text) as RecordingDocument;
  }

  const storageConfiguration = (prefix: string) => storageWithBucket(fx, prefix, prefix);

  const { stage, participant } = stageKit(fx);
  const recordedStage = (name: string, recording: AutoParticipantRecordingConfiguration) =>
    stage(name, { autoParticipantRecordingConfiguration: recording });
  const joinAndPublish = (stageArn: string) => publishingParticipant(fx, stageArn, { userId: 'host' });

  async function waitForRecordingState(stageArn: string, sessionId: string, participantId: string, state: string) {
    return waitFor(
      async () => {
        const p = await participant(stageArn, sessionId, participantId);
        return p.recordingState === state ? p : undefined;
      },
      15_000,
      { description: `recordingState ${state}` },
    );
  }

  /** Waits until the media playlist holds at least `count` segments (and the text matches `extra`, if given). */
  async function waitForSegments(bucket: string, key: string, count: number, extra?: RegExp): Promise<string> {
    return waitFor(
      async () => {
        const text = await readText(bucket, key);
        const segments = text?.match(/#EXTINF:/g)?.length ?? 0;
        return text && segments >= count && (!extra || extra.test(text)) ? text : undefined;
      },
      15_000,
      { description: `${count} segments in ${key}` },
    );
  }

  async function recordingEvents(participantId: string): Promise<IvsEvent[]> {
    return (await fx.control.recentEvents()).filter(
      (e) => e['detail-type'] === 'IVS Participant Recording State Change' && e.detail.participant_id === participantId,
    );
  }

  void test('individual participant recording: prefix, states, S3 objects and events', async () => {
    const storage = await storageConfiguration('participant');
    const stageArn = await recordedStage('recorded', {
      storageConfigurationArn: storage.arn,
      mediaTypes: ['AUDIO_VIDEO'],
      thumbnailConfiguration: {
        recordingMode: 'INTERVAL',
        targetIntervalSeconds: 2,
        storage: ['SEQUENTIAL', 'LATEST'],
      },
      hlsConfiguration: { targetSegmentDurationSeconds: 2 },
      recordingReconnectWindowSeconds: 0,
    });
    const stageId = stageArn.slice(stageArn.lastIndexOf('/') + 1);
    const host = await joinAndPublish(stageArn);

    const active = await waitForRecordingState(stageArn, host.sessionId, host.participantId, 'ACTIVE');
    assert.equal(active.recordingS3BucketName, storage.bucket);
    const prefix = active.recordingS3Prefix!;
    assert.match(prefix, new RegExp(`^${stageId}/${host.sessionId}/${host.participantId}/${PREFIX_TIMESTAMP.source}$`));
    const { participants } = await fx.ivs.send(
      new ListParticipantsCommand({ stageArn, sessionId: host.sessionId, filterByRecordingState: 'ACTIVE' }),
    );
    assert.deepEqual(
      participants!.map((p) => p.participantId),
      [host.participantId],
    );

    const playlistKey = `${prefix}/media/hls/high/playlist.m3u8`;
    const live = await waitForSegments(storage.bucket, playlistKey, 3);
    assert.match(live, /#EXT-X-PLAYLIST-TYPE:EVENT/);
    assert.doesNotMatch(live, /#EXT-X-ENDLIST/);
    await fx.control.leave({ token: host.token });

    const stopped = await waitForRecordingState(stageArn, host.sessionId, host.participantId, 'STOPPED');
    assert.equal(stopped.recordingS3Prefix, prefix);

    const keys = await listKeys(storage.bucket, prefix);
    for (const key of [
      'events/recording-started.json',
      'events/recording-ended.json',
      'media/hls/multivariant.m3u8',
      'media/hls/high/playlist.m3u8',
      'media/hls/high/init-0.mp4',
      'media/thumbnails/high/1.jpg',
      'media/latest_thumbnail/high/thumb.jpg',
    ]) {
      assert.ok(keys.includes(key), `${key} is in S3 (have ${keys.join(', ')})`);
    }
    assert.ok(!keys.includes('events/recording-failed.json'));

    const playlist = (await readText(storage.bucket, playlistKey))!;
    assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
    assert.match(playlist, /#EXT-X-ENDLIST\n$/);
    assert.match(playlist, /#EXT-X-MAP:URI="init-0.mp4"/);
    assert.match(playlist, /#EXT-X-PROGRAM-DATE-TIME:/);
    const segmentObjects = keys.filter((k) => /^media\/hls\/high\/\d+\.mp4$/.test(k));
    const extinf = playlist.match(/#EXTINF:/g)?.length ?? 0;
    assert.ok(extinf >= 3);
    assert.equal(extinf, segmentObjects.length, 'every playlist entry has its segment object and vice versa');
    for (const uri of playlist.split('\n').filter((l) => /^\d+\.mp4$/.test(l))) {
      assert.ok(keys.includes(`media/hls/high/${uri}`), `${uri} exists`);
    }
    const multivariant = (await readText(storage.bucket, `${prefix}/media/hls/multivariant.m3u8`))!;
    assert.match(multivariant, /^#EXTM3U/);
    assert.match(multivariant, /high\/playlist\.m3u8/);

    const started = await readJson(storage.bucket, `${prefix}/events/recording-started.json`);
    assert.equal(started.recording_status, 'RECORDING_STARTED');
    assert.equal(started.stage_arn, stageArn);
    assert.equal(started.session_id, host.sessionId);
    assert.equal(started.participant_id, host.participantId);
    assert.equal(started.media.hls?.duration_ms, undefined, 'duration is only known at the end');
    const ended = await readJson(storage.bucket, `${prefix}/events/recording-ended.json`);
    assert.equal(ended.version, 'v1');
    assert.equal(ended.recording_status, 'RECORDING_ENDED');
    assert.ok(ended.recording_started_at && ended.recording_ended_at);
    assert.ok(Date.parse(ended.recording_ended_at) >= Date.parse(ended.recording_started_at));
    assert.ok((ended.media.hls?.duration_ms ?? 0) > 0, 'duration_ms > 0');
    assert.equal(ended.media.hls?.path, 'media/hls');
    assert.deepEqual(ended.media.hls?.renditions, [{ path: 'high', playlist: 'playlist.m3u8' }]);
    assert.equal(ended.media.thumbnails?.path, 'media/thumbnails');
    assert.equal(ended.media.latest_thumbnail?.path, 'media/latest_thumbnail');

    const events = await recordingEvents(host.participantId);
    assert.deepEqual(
      events.map((e) => e.detail.event_name),
      ['Recording Start', 'Recording End'],
    );
    for (const e of events) {
      assert.deepEqual(e.resources, [stageArn]);
      assert.equal(e.detail.session_id, host.sessionId);
      assert.equal(e.detail.recording_s3_bucket_name, storage.bucket);
      assert.equal(e.detail.recording_s3_key_prefix, prefix);
    }
  });

  void test('reconnect window: republishing within it continues the same recording behind a discontinuity', async () => {
    const storage = await storageConfiguration('reconnect');
    const windowSeconds = 30;
    const stageArn = await recordedStage('reconnect', {
      storageConfigurationArn: storage.arn,
      hlsConfiguration: { targetSegmentDurationSeconds: 2 },
      recordingReconnectWindowSeconds: windowSeconds,
    });
    const host = await joinAndPublish(stageArn);
    const first = await waitForRecordingState(stageArn, host.sessionId, host.participantId, 'ACTIVE');
    const prefix = first.recordingS3Prefix!;
    const playlistKey = `${prefix}/media/hls/high/playlist.m3u8`;
    await waitForSegments(storage.bucket, playlistKey, 1);

    await fx.control.unpublish({ token: host.token });
    await fx.control.publish({ token: host.token });
    const resumed = await participant(stageArn, host.sessionId, host.participantId);
    assert.equal(resumed.recordingS3Prefix, prefix, 'the same prefix continues');
    assert.equal(resumed.recordingState, 'ACTIVE');
    const continued = await waitForSegments(
      storage.bucket,
      playlistKey,
      2,
      /#EXT-X-MAP:URI="init-1.mp4"\n#EXT-X-PROGRAM-DATE-TIME:.+\n#EXTINF/,
    );
    assert.equal(continued.match(/#EXT-X-DISCONTINUITY/g)?.length, 1);
    assert.match(continued, /#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-1.mp4"/);

    const stoppedAt = (await fx.control.clock()).epochMs;
    await fx.control.leave({ token: host.token });
    // Within the window the recording is still open: no ended document, still ACTIVE.
    assert.equal(await readText(storage.bucket, `${prefix}/events/recording-ended.json`), undefined);
    assert.equal((await participant(stageArn, host.sessionId, host.participantId)).recordingState, 'ACTIVE');

    await waitFor(
      async () => (await participant(stageArn, host.sessionId, host.participantId)).recordingState === 'STOPPED',
      realMs(windowSeconds * 1000, SCALE) + 15_000,
    );
    const ended = await readJson(storage.bucket, `${prefix}/events/recording-ended.json`);
    assert.equal(ended.recording_status, 'RECORDING_ENDED');
    // recording_ended_at has whole seconds; allow for the truncation.
    assert.ok(
      Date.parse(ended.recording_ended_at!) >= stoppedAt + windowSeconds * 1000 - 1000,
      `ended at ${ended.recording_ended_at}, the window closed no earlier than ${new Date(stoppedAt + windowSeconds * 1000).toISOString()}`,
    );
    const keys = await listKeys(storage.bucket, prefix);
    assert.ok(keys.includes('media/hls/high/init-1.mp4'));
    const playlist = (await readText(storage.bucket, playlistKey))!;
    assert.match(playlist, /#EXT-X-ENDLIST\n$/);
    assert.equal(
      playlist.match(/#EXTINF:/g)?.length,
      keys.filter((k) => /^media\/hls\/high\/\d+\.mp4$/.test(k)).length,
    );
    assert.deepEqual(
      (await recordingEvents(host.participantId)).map((e) => e.detail.event_name),
      ['Recording Start', 'Recording End'],
      'one recording, not two',
    );
  });

  void test('composite recording of a composition s3 destination', async () => {
    const storage = await storageConfiguration('composite');
    const { encoderConfiguration } = await fx.ivs.send(
      new CreateEncoderConfigurationCommand({ name: 'hd', video: { width: 1280, height: 720, framerate: 30 } }),
    );
    const encoderArn: string = encoderConfiguration!.arn!;
    const stageArn = await stage('composite');
    const host = await joinAndPublish(stageArn);
    const { composition } = await fx.ivs.send(
      new StartCompositionCommand({
        stageArn,
        destinations: [
          {
            s3: {
              storageConfigurationArn: storage.arn,
              encoderConfigurationArns: [encoderArn],
              recordingConfiguration: { hlsConfiguration: { targetSegmentDurationSeconds: 2 } },
            },
          },
        ],
      }),
    );
    const arn = composition!.arn!;
    const active = await waitFor(async () => {
      const { composition: c } = await fx.ivs.send(new GetCompositionCommand({ arn }));
      return c!.destinations![0]!.state === 'ACTIVE' ? c : undefined;
    });
    const prefix = active.destinations![0]!.detail!.s3!.recordingPrefix!;

    const started = await waitFor(() => readText(storage.bucket, `${prefix}/events/recording-started.json`));
    assert.equal((JSON.parse(started) as RecordingDocument).recording_status, 'RECORDING_STARTED');
    const multivariant = (await readText(storage.bucket, `${prefix}/media/hls/multivariant.m3u8`))!;
    const renditionUri = multivariant.split('\n').find((l) => l.endsWith('playlist.m3u8'));
    assert.match(renditionUri ?? '', /^720p30-[a-zA-Z0-9]{10}\/playlist\.m3u8$/);
    assert.match(multivariant, /RESOLUTION=1280x720/);
    const renditionKey = `${prefix}/media/hls/${renditionUri}`;
    const live = await waitForSegments(storage.bucket, renditionKey, 2);
    assert.match(live, /#EXT-X-PLAYLIST-TYPE:EVENT/);

    await fx.ivs.send(new StopCompositionCommand({ arn }));
    const endedText = await waitFor(() => readText(storage.bucket, `${prefix}/events/recording-ended.json`), 15_000);
    const ended = JSON.parse(endedText) as RecordingDocument;
    assert.equal(ended.recording_status, 'RECORDING_ENDED');
    assert.equal(ended.stage_arn, stageArn);
    assert.equal(ended.session_id, undefined, 'composite documents name only the stage');
    assert.ok((ended.media.hls?.duration_ms ?? 0) > 0);
    const vod = (await readText(storage.bucket, renditionKey))!;
    assert.match(vod, /#EXT-X-PLAYLIST-TYPE:VOD/);
    assert.match(vod, /#EXT-X-ENDLIST\n$/);
    const renditionDir = renditionKey.slice(prefix.length + 1, renditionKey.lastIndexOf('/'));
    const segments = (await listKeys(storage.bucket, prefix)).filter((k) =>
      new RegExp(`^${renditionDir}/\\d+\\.mp4$`).test(k),
    );
    assert.equal(vod.match(/#EXTINF:/g)?.length, segments.length);
    await fx.control.leave({ token: host.token });
  });

  void test('participant recording into a deleted bucket fails with a Recording Start Failure', async () => {
    const storage = await storageConfiguration('missing');
    await fx.s3.send(new DeleteBucketCommand({ Bucket: storage.bucket }));
    const stageArn = await recordedStage('missing-bucket', {
      storageConfigurationArn: storage.arn,
      hlsConfiguration: { targetSegmentDurationSeconds: 2 },
    });
    const host = await joinAndPublish(stageArn);
    const failed = await waitForRecordingState(stageArn, host.sessionId, host.participantId, 'FAILED');
    assert.equal(failed.published, true, 'the participant keeps publishing; only the recording failed');
    const event = await waitFor(async () =>
      (await recordingEvents(host.participantId)).find((e) => e.detail.event_name === 'Recording Start Failure'),
    );
    assert.equal(event.detail.recording_s3_bucket_name, storage.bucket);
    assert.equal(event.detail.recording_s3_key_prefix, failed.recordingS3Prefix);
    assert.match(String(event.detail.recording_failure_reason), /\S/);
    assert.ok(
      !(await recordingEvents(host.participantId)).some((e) => e.detail.event_name === 'Recording Start'),
      'no Recording Start before the failure',
    );
    await fx.control.leave({ token: host.token });
  });
});
