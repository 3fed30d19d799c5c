import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { ScaledClock } from '../../emulator/src/clock';
import { participantRecordingPrefix, recordingTimestamp } from '../../emulator/src/recording/recording-prefix';
import { createS3RecordingWriterFactory } from '../../emulator/src/recording/s3-recording-writer';
import type {
  CompositeRecordingSpec,
  ParticipantRecorder,
  ParticipantRecordingSpec,
  ParticipantRecordingState,
  RecordingObserver,
  RecordingWriterFactory,
} from '../../emulator/src/recording/types';

const endpoint = process.env.SHOWRUNNER_S3_ENDPOINT;
// High enough for quick tests, low enough that S3 latency under load does not pile up minutes of media.
const SCALE = 200;
const STAGE_ARN = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

function s3Client(): S3Client {
  return new S3Client({
    endpoint,
    region: process.env.SHOWRUNNER_S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.SHOWRUNNER_S3_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.SHOWRUNNER_S3_SECRET_ACCESS_KEY ?? 'test',
    },
  });
}

class StateLog implements RecordingObserver {
  readonly states: ParticipantRecordingState[] = [];
  readonly messages: (string | undefined)[] = [];
  private waiters: { state: ParticipantRecordingState; resolve: () => void }[] = [];

  onState(state: ParticipantRecordingState, message?: string): void {
    this.states.push(state);
    this.messages.push(message);
    for (const waiter of this.waiters.filter((w) => w.state === state)) waiter.resolve();
  }

  reached(state: ParticipantRecordingState): Promise<void> {
    if (this.states.includes(state)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ state, resolve }));
  }
}

/** Parsed media playlist: tags in order, plus the segment list with the tags that preceded each segment. */
interface ParsedPlaylist {
  lines: string[];
  segments: { uri: string; durationMs: number; tags: string[] }[];
}

function parsePlaylist(text: string): ParsedPlaylist {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const segments: ParsedPlaylist['segments'] = [];
  let pending: string[] = [];
  let durationMs: number | undefined;
  for (const line of lines.slice(1)) {
    if (line.startsWith('#EXTINF:')) durationMs = Math.round(Number(line.slice(8).replace(/,$/, '')) * 1000);
    else if (line.startsWith('#')) pending.push(line);
    else {
      assert.ok(durationMs !== undefined, `segment ${line} without EXTINF`);
      segments.push({ uri: line, durationMs, tags: pending });
      pending = [];
      durationMs = undefined;
    }
  }
  return { lines, segments };
}

function participantSpec(bucket: string, overrides: Partial<ParticipantRecordingSpec> = {}): ParticipantRecordingSpec {
  const participantId = `p${randomBytes(5).toString('hex')}`;
  return {
    bucket,
    prefix: participantRecordingPrefix('AbCdef1G2hij', 'st-ZyXwvu1T2s', participantId, Date.now()),
    stageArn: STAGE_ARN,
    sessionId: 'st-ZyXwvu1T2s',
    participantId,
    mediaType: 'AUDIO_VIDEO',
    segmentDurationSeconds: 2,
    thumbnails: { recordingMode: 'INTERVAL', targetIntervalSeconds: 3, storage: ['SEQUENTIAL', 'LATEST'] },
    reconnectWindowSeconds: 0,
    ...overrides,
  };
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes.at(-2) === 0xff && bytes.at(-1) === 0xd9;
}

function boxType(bytes: Uint8Array, offset = 0): string {
  return Buffer.from(bytes.subarray(offset + 4, offset + 8)).toString('latin1');
}

void describe('recording prefix helpers', () => {
  void test('recordingTimestamp drops milliseconds and replaces colons', () => {
    assert.equal(recordingTimestamp(Date.UTC(2024, 0, 1, 12, 0, 55, 789)), '2024-01-01T12-00-55Z');
  });

  void test('participantRecordingPrefix joins stage, session, participant and timestamp', () => {
    assert.equal(
      participantRecordingPrefix('stage1', 'st-1', 'part1', Date.UTC(2024, 0, 1, 12, 0, 55)),
      'stage1/st-1/part1/2024-01-01T12-00-55Z',
    );
  });
});

void describe('S3 recording writer', { skip: endpoint ? false : 'SHOWRUNNER_S3_ENDPOINT is not set' }, () => {
  const bucket = `showrunner-rec-${randomBytes(4).toString('hex')}`;
  const unhandled: unknown[] = [];
  const logs: string[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  let s3: S3Client;
  let clock: ScaledClock;
  let writers: RecordingWriterFactory;

  async function listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(prefix.length + 1));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async function readBytes(key: string): Promise<Uint8Array> {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.ok(object.Body, `no body for ${key}`);
    return object.Body.transformToByteArray();
  }

  async function readText(key: string): Promise<string> {
    return Buffer.from(await readBytes(key)).toString('utf8');
  }

  /** Objects land some time after the emulated clock passes them (S3 latency); poll for ones a live recording owes. */
  async function eventually(key: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await readText(key);
      } catch (error) {
        if (attempt >= 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }

  /** Every recorder a test creates is ended afterwards, so a failed assertion cannot leave one recording forever. */
  const recorders: { end(): Promise<void> }[] = [];
  function participant(spec: ParticipantRecordingSpec, observer: RecordingObserver): ParticipantRecorder {
    const recorder = writers.participant(spec, observer);
    recorders.push(recorder);
    return recorder;
  }

  async function readJson(key: string): Promise<Record<string, unknown>> {
    return JSON.parse(await readText(key)) as Record<string, unknown>;
  }

  function segmentNumbers(keys: string[], dir: string, ext: string): number[] {
    const pattern = new RegExp(`^${dir}/(\\d+)\\.${ext}$`);
    return keys
      .map((key) => pattern.exec(key)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  // The clock's timers are unref'd (they never keep the emulator alive), so an idle moment in a test would end the
  // process while it awaits `clock.sleep`; this handle keeps the event loop alive for the suite.
  let keepAlive: NodeJS.Timeout | undefined;

  before(async () => {
    keepAlive = setInterval(() => undefined, 60_000);
    process.on('unhandledRejection', onUnhandled);
    s3 = s3Client();
    clock = new ScaledClock(SCALE);
    writers = createS3RecordingWriterFactory({ s3, clock, log: (msg) => logs.push(msg) });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  after(async () => {
    await Promise.all(recorders.map((recorder) => recorder.end()));
    await writers.drain();
    process.off('unhandledRejection', onUnhandled);
    clearInterval(keepAlive);
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    let keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => k !== undefined);
    let token = page.IsTruncated ? page.NextContinuationToken : undefined;
    while (token) {
      const next = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      keys = keys.concat((next.Contents ?? []).map((o) => o.Key).filter((k): k is string => k !== undefined));
      token = next.IsTruncated ? next.NextContinuationToken : undefined;
    }
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    s3.destroy();
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  void test('bucketExists answers through HeadBucket', async () => {
    assert.equal(await writers.bucketExists(bucket), true);
    assert.equal(await writers.bucketExists(`${bucket}-missing`), false);
  });

  void test('participant recording with a resume inside the reconnect window', async () => {
    const spec = participantSpec(bucket, { reconnectWindowSeconds: 120 });
    const observer = new StateLog();
    const recorder = participant(spec, observer);
    recorder.mediaStarted();
    // While live the playlist is an EVENT playlist without ENDLIST.
    await clock.sleep(9_000);
    const live = parsePlaylist(await eventually(`${spec.prefix}/media/hls/high/playlist.m3u8`));
    assert.ok(live.lines.includes('#EXT-X-PLAYLIST-TYPE:EVENT'));
    assert.ok(!live.lines.includes('#EXT-X-ENDLIST'));

    recorder.mediaStopped();
    await clock.sleep(3_000);
    recorder.mediaStarted();
    await clock.sleep(7_000);
    await recorder.end();
    assert.deepEqual(observer.states, ['STARTING', 'ACTIVE', 'STOPPING', 'STOPPED']);

    const started = await readJson(`${spec.prefix}/events/recording-started.json`);
    assert.deepEqual(Object.keys(started), [
      'version',
      'stage_arn',
      'session_id',
      'participant_id',
      'recording_started_at',
      'recording_status',
      'media',
    ]);
    assert.equal(started.version, 'v1');
    assert.equal(started.stage_arn, STAGE_ARN);
    assert.equal(started.session_id, spec.sessionId);
    assert.equal(started.participant_id, spec.participantId);
    assert.match(String(started.recording_started_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(started.recording_status, 'RECORDING_STARTED');
    assert.deepEqual(started.media, {
      hls: {
        path: 'media/hls',
        playlist: 'multivariant.m3u8',
        renditions: [{ path: 'high', playlist: 'playlist.m3u8' }],
      },
      thumbnails: { path: 'media/thumbnails', renditions: [{ path: 'high' }] },
      latest_thumbnail: { path: 'media/latest_thumbnail', renditions: [{ path: 'high' }] },
    });

    const multivariant = (await readText(`${spec.prefix}/media/hls/multivariant.m3u8`)).split('\n');
    assert.equal(multivariant[0], '#EXTM3U');
    assert.ok(multivariant.some((line) => /^#EXT-X-VERSION:\d+$/.test(line)));
    const streamInf = multivariant.findIndex((line) => line.startsWith('#EXT-X-STREAM-INF:'));
    assert.match(multivariant[streamInf] ?? '', /BANDWIDTH=\d+/);
    assert.match(multivariant[streamInf] ?? '', /RESOLUTION=\d+x\d+/);
    assert.match(multivariant[streamInf] ?? '', /CODECS="avc1\.[0-9A-F]+,mp4a\.40\.2"/);
    assert.equal(multivariant[streamInf + 1], 'high/playlist.m3u8');

    const keys = await listKeys(spec.prefix);
    for (const key of [
      'events/recording-started.json',
      'events/recording-ended.json',
      'media/hls/multivariant.m3u8',
      'media/hls/high/playlist.m3u8',
      'media/hls/high/init-0.mp4',
      'media/hls/high/init-1.mp4',
      'media/latest_thumbnail/high/thumb.jpg',
    ]) {
      assert.ok(keys.includes(key), `${key} missing from ${keys.join(', ')}`);
    }
    assert.ok(!keys.includes('events/recording-failed.json'));

    const segments = segmentNumbers(keys, 'media/hls/high', 'mp4');
    assert.deepEqual(
      segments,
      segments.map((_, i) => i),
      'segments numbered from 0 without gaps',
    );
    const playlist = parsePlaylist(await readText(`${spec.prefix}/media/hls/high/playlist.m3u8`));
    assert.equal(playlist.lines[0], '#EXTM3U');
    assert.ok(playlist.lines.includes('#EXT-X-VERSION:7'));
    assert.ok(playlist.lines.includes('#EXT-X-MEDIA-SEQUENCE:0'));
    assert.ok(playlist.lines.includes('#EXT-X-PLAYLIST-TYPE:VOD'));
    assert.equal(playlist.lines.at(-1), '#EXT-X-ENDLIST');
    const target = Number(playlist.lines.find((l) => l.startsWith('#EXT-X-TARGETDURATION:'))?.split(':')[1]);
    assert.ok(target >= 2);
    assert.deepEqual(
      playlist.segments.map((s) => s.uri),
      segments.map((n) => `${n}.mp4`),
      'EXTINF entries match the segment objects',
    );
    for (const segment of playlist.segments) assert.ok(Math.round(segment.durationMs / 1000) <= target);

    // Program date time on the first segment and right after the discontinuity, nowhere else.
    const withDateTime = playlist.segments.filter((s) => s.tags.some((t) => t.startsWith('#EXT-X-PROGRAM-DATE-TIME:')));
    assert.equal(withDateTime.length, 2);
    assert.equal(withDateTime[0], playlist.segments[0]);
    assert.ok(playlist.segments[0]?.tags.includes('#EXT-X-MAP:URI="init-0.mp4"'));
    const resumed = playlist.segments.findIndex((s) => s.tags.includes('#EXT-X-DISCONTINUITY'));
    assert.ok(resumed > 0);
    assert.equal(withDateTime[1], playlist.segments[resumed]);
    assert.deepEqual(
      playlist.segments[resumed]?.tags.filter((t) => !t.startsWith('#EXT-X-PROGRAM-DATE-TIME:')),
      ['#EXT-X-DISCONTINUITY', '#EXT-X-MAP:URI="init-1.mp4"'],
    );
    const firstDateTime = Date.parse(
      withDateTime[0]?.tags.find((t) => t.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))?.slice(25) ?? '',
    );
    const secondDateTime = Date.parse(
      withDateTime[1]?.tags.find((t) => t.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))?.slice(25) ?? '',
    );
    // The gap between the runs is the 3 s pause; a scaled timer may fire up to one real millisecond (600 ms) early.
    const firstRunMs = playlist.segments.slice(0, resumed).reduce((sum, s) => sum + s.durationMs, 0);
    assert.ok(secondDateTime - firstDateTime >= firstRunMs + 2_000);

    const ended = await readJson(`${spec.prefix}/events/recording-ended.json`);
    assert.equal(ended.recording_status, 'RECORDING_ENDED');
    assert.equal(ended.recording_started_at, started.recording_started_at);
    assert.match(String(ended.recording_ended_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const media = ended.media as { hls: { duration_ms: number } };
    const totalMs = playlist.segments.reduce((sum, s) => sum + s.durationMs, 0);
    assert.equal(media.hls.duration_ms, totalMs, 'duration_ms is the sum of EXTINF');
    assert.ok(totalMs >= 14_000, `about 16 s of media slept, ${totalMs} ms recorded`);
    const wallMs = Date.parse(String(ended.recording_ended_at)) - Date.parse(String(ended.recording_started_at));
    assert.ok(totalMs <= wallMs - 2_000 + 1_000, 'the pause is not counted as media');

    for (const n of segments.slice(0, 3)) {
      const bytes = await readBytes(`${spec.prefix}/media/hls/high/${n}.mp4`);
      assert.equal(boxType(bytes), 'styp');
      assert.ok(bytes.length < 1024);
    }
    const init = await readBytes(`${spec.prefix}/media/hls/high/init-1.mp4`);
    assert.equal(boxType(init), 'ftyp');
    assert.equal(boxType(init, Buffer.from(init).readUInt32BE(0)), 'moov');

    const thumbnails = segmentNumbers(keys, 'media/thumbnails/high', 'jpg');
    assert.ok(thumbnails.length >= 5, `about one thumbnail per 3 s of media, got ${thumbnails.length}`);
    assert.deepEqual(
      thumbnails,
      thumbnails.map((_, i) => i + 1),
      'thumbnails numbered from 1',
    );
    assert.ok(isJpeg(await readBytes(`${spec.prefix}/media/thumbnails/high/1.jpg`)));
    assert.ok(isJpeg(await readBytes(`${spec.prefix}/media/latest_thumbnail/high/thumb.jpg`)));
  });

  void test('AUDIO_ONLY recording ends once the reconnect window passes', async () => {
    const spec = participantSpec(bucket, {
      mediaType: 'AUDIO_ONLY',
      reconnectWindowSeconds: 5,
      thumbnails: { recordingMode: 'DISABLED', targetIntervalSeconds: 60, storage: ['SEQUENTIAL'] },
    });
    const observer = new StateLog();
    const recorder = participant(spec, observer);
    recorder.mediaStarted();
    await clock.sleep(5_000);
    const stoppedAt = clock.now();
    recorder.mediaStopped();
    await clock.sleep(1_000);
    assert.ok(!observer.states.includes('STOPPING'), 'still inside the reconnect window');
    await recorder.settled();
    assert.deepEqual(observer.states, ['STARTING', 'ACTIVE', 'STOPPING', 'STOPPED']);

    const keys = await listKeys(spec.prefix);
    assert.ok(!keys.some((key) => key.includes('thumbnail')), 'thumbnails disabled');
    const multivariant = await readText(`${spec.prefix}/media/hls/multivariant.m3u8`);
    assert.doesNotMatch(multivariant, /RESOLUTION=/);
    assert.match(multivariant, /CODECS="mp4a\.40\.2"/);
    const ended = await readJson(`${spec.prefix}/events/recording-ended.json`);
    assert.ok(Date.parse(String(ended.recording_ended_at)) >= stoppedAt + 5_000 - 1_000, 'ended after the window');
    const media = ended.media as Record<string, { duration_ms?: number }>;
    assert.deepEqual(Object.keys(media), ['hls']);
    const playlist = parsePlaylist(await readText(`${spec.prefix}/media/hls/high/playlist.m3u8`));
    assert.equal(
      media.hls?.duration_ms,
      playlist.segments.reduce((sum, s) => sum + s.durationMs, 0),
    );
    assert.equal(playlist.segments.length, segmentNumbers(keys, 'media/hls/high', 'mp4').length);
  });

  void test('mediaType NONE writes thumbnails only and ends at once with a zero window', async () => {
    const spec = participantSpec(bucket, {
      mediaType: 'NONE',
      thumbnails: { recordingMode: 'INTERVAL', targetIntervalSeconds: 2, storage: ['LATEST'] },
    });
    const observer = new StateLog();
    const recorder = participant(spec, observer);
    recorder.mediaStarted();
    await clock.sleep(5_000);
    recorder.mediaStopped();
    await recorder.settled();
    assert.deepEqual(observer.states, ['STARTING', 'ACTIVE', 'STOPPING', 'STOPPED']);
    const keys = await listKeys(spec.prefix);
    assert.deepEqual(keys, [
      'events/recording-ended.json',
      'events/recording-started.json',
      'media/latest_thumbnail/high/thumb.jpg',
    ]);
    const ended = await readJson(`${spec.prefix}/events/recording-ended.json`);
    assert.deepEqual(ended.media, {
      latest_thumbnail: { path: 'media/latest_thumbnail', renditions: [{ path: 'high' }] },
    });
  });

  void test('an immediate end records zero duration', async () => {
    const spec = participantSpec(bucket);
    const observer = new StateLog();
    const recorder = participant(spec, observer);
    await recorder.end();
    const ended = await readJson(`${spec.prefix}/events/recording-ended.json`);
    assert.equal((ended.media as { hls: { duration_ms: number } }).hls.duration_ms, 0);
    const playlist = parsePlaylist(await readText(`${spec.prefix}/media/hls/high/playlist.m3u8`));
    assert.equal(playlist.segments.length, 0);
    assert.equal(playlist.lines.at(-1), '#EXT-X-ENDLIST');
  });

  void test('fail() writes recording-failed.json with RECORDING_ENDED_WITH_FAILURE', async () => {
    const spec = participantSpec(bucket);
    const observer = new StateLog();
    const recorder = participant(spec, observer);
    recorder.mediaStarted();
    await clock.sleep(5_000);
    await recorder.fail('publisher media pipeline crashed');
    assert.deepEqual(observer.states, ['STARTING', 'ACTIVE', 'FAILED']);
    assert.equal(observer.messages.at(-1), 'publisher media pipeline crashed');
    const keys = await listKeys(spec.prefix);
    assert.ok(!keys.includes('events/recording-ended.json'));
    const failed = await readJson(`${spec.prefix}/events/recording-failed.json`);
    assert.equal(failed.recording_status, 'RECORDING_ENDED_WITH_FAILURE');
    assert.equal(failed.recording_status_message, 'publisher media pipeline crashed');
    assert.ok(failed.recording_started_at);
    assert.ok(failed.recording_ended_at);
    const playlist = parsePlaylist(await readText(`${spec.prefix}/media/hls/high/playlist.m3u8`));
    assert.equal(playlist.lines.at(-1), '#EXT-X-ENDLIST');
    assert.equal(
      (failed.media as { hls: { duration_ms: number } }).hls.duration_ms,
      playlist.segments.reduce((sum, s) => sum + s.durationMs, 0),
    );
  });

  void test('a missing bucket is a start failure, reported without unhandled rejections', async () => {
    const spec = participantSpec(`${bucket}-missing`);
    const observer = new StateLog();
    const recorder = participant(spec, observer);
    recorder.mediaStarted();
    await recorder.settled();
    recorder.mediaStopped();
    await recorder.end();
    assert.deepEqual(observer.states, ['STARTING', 'FAILED']);
    assert.match(observer.messages.at(-1) ?? '', /NoSuchBucket/);
    assert.ok(logs.some((line) => line.includes('NoSuchBucket')));
  });

  void test('a write failing mid-recording ends the recording with failure', async () => {
    const flaky = s3Client();
    flaky.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Key?: string };
        if (input.Key?.endsWith('/high/3.mp4')) throw Object.assign(new Error('injected'), { name: 'InternalError' });
        return next(args);
      },
      { step: 'initialize', name: 'failFourthSegment' },
    );
    const flakyWriters = createS3RecordingWriterFactory({ s3: flaky, clock, log: (msg) => logs.push(msg) });
    const spec = participantSpec(bucket, {
      thumbnails: { recordingMode: 'DISABLED', targetIntervalSeconds: 60, storage: [] },
    });
    const observer = new StateLog();
    const recorder = flakyWriters.participant(spec, observer);
    recorders.push(recorder);
    recorder.mediaStarted();
    await recorder.settled();
    await flakyWriters.drain();
    flaky.destroy();
    assert.deepEqual(observer.states, ['STARTING', 'ACTIVE', 'FAILED']);
    assert.match(observer.messages.at(-1) ?? '', /3\.mp4.*InternalError: injected/);

    const keys = await listKeys(spec.prefix);
    assert.deepEqual(segmentNumbers(keys, 'media/hls/high', 'mp4'), [0, 1, 2]);
    const failed = await readJson(`${spec.prefix}/events/recording-failed.json`);
    assert.equal(failed.recording_status, 'RECORDING_ENDED_WITH_FAILURE');
    assert.equal((failed.media as { hls: { duration_ms: number } }).hls.duration_ms, 6_000);
    const playlist = parsePlaylist(await readText(`${spec.prefix}/media/hls/high/playlist.m3u8`));
    assert.deepEqual(
      playlist.segments.map((s) => s.uri),
      ['0.mp4', '1.mp4', '2.mp4'],
      'the playlist is closed over the segments that were written',
    );
    assert.equal(playlist.lines.at(-1), '#EXT-X-ENDLIST');
  });

  void test('fail() before a composite starts reports RECORDING_START_FAILED', async () => {
    const spec = compositeSpec('SfFailStart');
    const observer = new StateLog();
    const recorder = writers.composite(spec, observer);
    await recorder.fail('bucket access denied');
    assert.deepEqual(observer.states, ['FAILED']);
    const failed = await readJson(`${spec.prefix}/events/recording-failed.json`);
    assert.equal(failed.recording_status, 'RECORDING_START_FAILED');
    assert.equal(failed.recording_status_message, 'bucket access denied');
    assert.ok(!('recording_started_at' in failed));
    assert.ok(!('recording_ended_at' in failed));
  });

  function compositeSpec(compositionId: string): CompositeRecordingSpec {
    return {
      bucket,
      prefix: `AbCdef1G2hij/${compositionId}/${randomBytes(6).toString('hex')}/composite`,
      stageArn: STAGE_ARN,
      segmentDurationSeconds: 2,
      video: { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 },
      thumbnails: [{ targetIntervalSeconds: 4, storage: ['SEQUENTIAL', 'LATEST'] }],
    };
  }

  void test('composite recording: rendition naming, resolutions, EVENT then VOD', async () => {
    const spec = compositeSpec('s2AdaGUbvQgp');
    const observer = new StateLog();
    const recorder = writers.composite(spec, observer);
    recorders.push(recorder);
    recorder.start();
    await observer.reached('ACTIVE');
    const started = await readJson(`${spec.prefix}/events/recording-started.json`);
    assert.ok(!('session_id' in started));
    assert.ok(!('participant_id' in started));
    const media = started.media as {
      hls: { renditions: { path: string; playlist: string; resolution_width: number; resolution_height: number }[] };
      thumbnails: unknown;
      latest_thumbnail: unknown;
    };
    const rendition = media.hls.renditions[0];
    assert.ok(rendition);
    assert.match(rendition.path, /^720p30-[A-Za-z0-9]{10}$/);
    assert.deepEqual(rendition, {
      path: rendition.path,
      playlist: 'playlist.m3u8',
      resolution_width: 1280,
      resolution_height: 720,
    });
    const resolutions = [{ path: '1280x720', resolution_width: 1280, resolution_height: 720 }];
    assert.deepEqual(media.thumbnails, { path: 'media/thumbnails', resolutions });
    assert.deepEqual(media.latest_thumbnail, { path: 'media/latest_thumbnail', resolutions });
    await clock.sleep(7_000);
    const live = parsePlaylist(await eventually(`${spec.prefix}/media/hls/${rendition.path}/playlist.m3u8`));
    assert.ok(live.lines.includes('#EXT-X-PLAYLIST-TYPE:EVENT'));
    await clock.sleep(5_000);
    await recorder.end();
    assert.deepEqual(observer.states, ['STARTING', 'ACTIVE', 'STOPPING', 'STOPPED']);

    const multivariant = await readText(`${spec.prefix}/media/hls/multivariant.m3u8`);
    assert.match(multivariant, /RESOLUTION=1280x720/);
    assert.ok(multivariant.split('\n').includes(`${rendition.path}/playlist.m3u8`));

    const keys = await listKeys(spec.prefix);
    const playlist = parsePlaylist(await readText(`${spec.prefix}/media/hls/${rendition.path}/playlist.m3u8`));
    assert.ok(playlist.lines.includes('#EXT-X-PLAYLIST-TYPE:VOD'));
    assert.equal(playlist.lines.at(-1), '#EXT-X-ENDLIST');
    assert.equal(playlist.segments.length, segmentNumbers(keys, `media/hls/${rendition.path}`, 'mp4').length);
    assert.ok(playlist.segments.length >= 6);
    assert.ok(keys.includes(`media/hls/${rendition.path}/init-0.mp4`));
    assert.ok(keys.includes('media/latest_thumbnail/1280x720/thumb.jpg'));
    const thumbnails = segmentNumbers(keys, 'media/thumbnails/1280x720', 'jpg');
    assert.ok(thumbnails.length >= 3);
    assert.deepEqual(
      thumbnails,
      thumbnails.map((_, i) => i + 1),
    );
    const ended = await readJson(`${spec.prefix}/events/recording-ended.json`);
    assert.equal(
      (ended.media as { hls: { duration_ms: number } }).hls.duration_ms,
      playlist.segments.reduce((sum, s) => sum + s.durationMs, 0),
    );
  });

  void test('drain waits for every ending recording', async () => {
    const recorders = Array.from({ length: 5 }, () => {
      const spec = participantSpec(bucket);
      const recorder = participant(spec, new StateLog());
      recorder.mediaStarted();
      return { spec, recorder };
    });
    await clock.sleep(3_000);
    for (const { recorder } of recorders) void recorder.end();
    await writers.drain();
    for (const { spec } of recorders) {
      const keys = await listKeys(spec.prefix);
      assert.ok(keys.includes('events/recording-ended.json'), `${spec.prefix} ended`);
    }
  });
});
