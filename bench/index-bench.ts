/**
 * Scenario "index": the recordings index over a stage with 100,000 recording objects in versitygw. The objects are
 * loaded first with bare signed PUTs in parallel (the technique of test/activities/recordings-index.test.ts; not
 * timed), then a child process that runs only the indexer (bench/index-child.ts) indexes them: wall time of the
 * `indexRecordings` call and the child's peak RSS (getrusage maxRSS, cross-checked by sampling /proc from here).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { RecordingsIndexInput } from '../activities/recordings';
import { s3BulkLoader } from '../dev/aws/s3-bulk-loader';
import { startVersitygw, type VersitygwServer } from '../dev/services/versitygw';
import {
  int,
  markdownTable,
  mb,
  median,
  REPO_ROOT,
  runSuffix,
  seconds,
  type Progress,
  type ScenarioReport,
  startScenarioRun,
} from './bench-support';
import type { IndexChildResult } from './index-child';

export interface IndexOptions {
  objects: number;
  runs: number;
}

const TIME_TARGET_MS = 15_000;
const RSS_TARGET_BYTES = 300 * 1024 * 1024;
const CHILD = path.join(REPO_ROOT, 'bench', 'index-child.ts');
const PARTICIPANT_RECORDINGS = 20;
const LOAD_CONCURRENCY = 64;

/**
 * The objects of one recording as IVS lays them out: events documents, an HLS multivariant playlist, two renditions
 * with their playlists, init segments and 2 s media segments, and sequential thumbnails (one per 10 segments).
 */
function recordingObjects(stageArn: string, count: number): [string, string][] {
  const hls = {
    path: 'media/hls',
    playlist: 'multivariant.m3u8',
    renditions: [
      { path: 'high', playlist: 'playlist.m3u8' },
      { path: 'low', playlist: 'playlist.m3u8' },
    ],
  };
  const fixed: [string, string][] = [
    ['media/hls/multivariant.m3u8', '#EXTM3U\n'],
    ['media/hls/high/playlist.m3u8', '#EXTM3U\n'],
    ['media/hls/high/init-0.mp4', 'i'],
    ['media/hls/low/playlist.m3u8', '#EXTM3U\n'],
    ['media/hls/low/init-0.mp4', 'i'],
  ];
  const media = count - fixed.length - 2;
  const thumbnails = Math.floor(media / 21);
  const segments = Math.floor((media - thumbnails) / 2);
  const out: [string, string][] = [...fixed];
  for (let i = 0; i < segments; i++) out.push([`media/hls/high/${i}.mp4`, 's'], [`media/hls/low/${i}.mp4`, 's']);
  for (let i = 0; out.length < count - 2; i++) out.push([`media/thumbnails/high/${i}.jpg`, 't']);
  const doc = (status: string, ended: boolean) =>
    JSON.stringify({
      version: 'v1',
      stage_arn: stageArn,
      recording_started_at: '2024-01-01T00:00:00Z',
      ...(ended ? { recording_ended_at: '2024-01-02T00:00:00Z' } : {}),
      recording_status: status,
      media: {
        hls: ended ? { ...hls, duration_ms: segments * 2000 } : hls,
        thumbnails: { path: 'media/thumbnails', renditions: [{ path: 'high' }] },
      },
    });
  out.push(
    ['events/recording-started.json', doc('RECORDING_STARTED', false)],
    ['events/recording-ended.json', doc('RECORDING_ENDED', true)],
  );
  return out;
}

interface Layout {
  input: RecordingsIndexInput;
  objects: [string, string][];
}

/** 20 participant recordings of one session, and one composite recording, with `total` objects between them. */
function layout(bucket: string, total: number): Layout {
  const stageId = 'BenchStage001';
  const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/${stageId}`;
  const recordings = PARTICIPANT_RECORDINGS + 1;
  const per = Math.floor(total / recordings);
  const objects: [string, string][] = [];
  for (let p = 0; p < PARTICIPANT_RECORDINGS; p++) {
    const prefix = `${stageId}/st-BenchSession01/participant${String(p).padStart(3, '0')}/2024-01-01T00-00-00Z`;
    for (const [key, body] of recordingObjects(stageArn, per)) objects.push([`${prefix}/${key}`, body]);
  }
  const compositePrefix = `${stageId}/BenchComposition01/composite`;
  for (const [key, body] of recordingObjects(stageArn, total - objects.length))
    objects.push([`${compositePrefix}/${key}`, body]);
  return {
    objects,
    input: {
      stageArn,
      participantRecordingBucket: bucket,
      composites: [
        {
          compositionArn: 'arn:aws:ivs:us-east-1:123456789012:composition/BenchComposition01',
          bucket,
          prefix: compositePrefix,
        },
      ],
      indexLocation: { bucket, key: `${stageId}/showrunner-recordings-index.json` },
      settleTimeoutMs: 5_000,
    },
  };
}

/** Peak VmRSS of a process, read from /proc while it runs (Linux only; undefined elsewhere). */
function sampleRss(pid: number): { stop(): number | undefined } {
  let peak: number | undefined;
  const read = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
    } catch {
      // The child has exited.
    }
  };
  const timer = setInterval(read, 20);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

async function indexInChild(
  s3: VersitygwServer,
  input: RecordingsIndexInput,
): Promise<IndexChildResult & { sampledPeakRss?: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BENCH_INDEX: JSON.stringify({
        s3: {
          endpoint: s3.endpoint,
          region: s3.region,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
        input,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sampler = sampleRss(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const sampledPeakRss = sampler.stop();
  const m = /RESULT (\{.*\})/.exec(stdout);
  if (code !== 0 || !m) throw new Error(`index child exited ${code}:\n${stderr}`);
  return { ...(JSON.parse(m[1]!) as IndexChildResult), sampledPeakRss };
}

export async function runIndex(o: IndexOptions, progress: Progress, command: string): Promise<ScenarioReport> {
  const run = startScenarioRun();
  const { machineBefore } = run;
  progress('index: starting versitygw…');
  const s3Server = await startVersitygw({ accessKeyId: 'test', secretAccessKey: 'test' });
  const s3 = new S3Client({
    endpoint: s3Server.endpoint,
    region: s3Server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3Server.accessKeyId, secretAccessKey: s3Server.secretAccessKey },
  });
  try {
    const bucket = `bench-index-${runSuffix()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { input, objects } = layout(bucket, o.objects);
    progress(`index: loading ${int(objects.length)} objects (${LOAD_CONCURRENCY} signed PUTs in flight)…`);
    const loader = s3BulkLoader(s3Server, LOAD_CONCURRENCY);
    const loadStarted = Date.now();
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: LOAD_CONCURRENCY }, async () => {
          while (next < objects.length) {
            const [key, body] = objects[next++]!;
            await loader.put(bucket, key, body);
          }
        }),
      );
    } finally {
      loader.close();
    }
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const runs: (IndexChildResult & { sampledPeakRss?: number })[] = [];
    for (let run = 0; run < o.runs; run++) {
      progress(`index: indexer run ${run + 1}/${o.runs} in a child process…`);
      const result = await indexInChild(s3Server, input);
      // A fast index of the wrong thing is no figure.
      if (result.objectsScanned !== objects.length)
        throw new Error(`the index scanned ${result.objectsScanned} objects, ${objects.length} were loaded`);
      if (result.participantRecordings !== PARTICIPANT_RECORDINGS || result.compositeRecordings !== 1)
        throw new Error(
          `the index found ${result.participantRecordings} participant and ${result.compositeRecordings} composite ` +
            `recordings, expected ${PARTICIPANT_RECORDINGS} and 1`,
        );
      runs.push(result);
    }
    const time = median(runs.map((r) => r.elapsedMs));
    const rss = Math.max(...runs.map((r) => r.maxRss));
    const rows = [
      {
        figure: `Index ${int(objects.length)} recording objects: time (median of ${o.runs})`,
        value: `${seconds(time)} s`,
        target: `≤ ${TIME_TARGET_MS / 1000} s`,
        verdict: time <= TIME_TARGET_MS ? ('met' as const) : ('missed' as const),
        note: time <= TIME_TARGET_MS ? undefined : 'listing pages from versitygw dominate; see the per-run figures',
      },
      {
        figure: `Index ${int(objects.length)} recording objects: peak RSS of the indexer process (worst run)`,
        value: `${mb(rss)} MB`,
        target: `≤ ${RSS_TARGET_BYTES / 1024 / 1024} MB`,
        verdict: rss <= RSS_TARGET_BYTES ? ('met' as const) : ('missed' as const),
        note: rss <= RSS_TARGET_BYTES ? undefined : 'see the heap figures per run',
      },
    ];
    const details = [
      `versitygw (posix backend on ${machineBefore.platform}) holds one stage: ${PARTICIPANT_RECORDINGS} participant ` +
        'recordings of one session and one composite recording, each laid out as IVS writes them (events documents, ' +
        'an HLS multivariant playlist, two renditions with playlists, init and media segments, sequential ' +
        `thumbnails); ${int(objects.length)} objects in all. Loading took ${loadSeconds.toFixed(0)} s ` +
        `(${int(objects.length / loadSeconds)} PUT/s, ${LOAD_CONCURRENCY} in flight) and is not part of any figure.`,
      '',
      `Each run is a fresh child process (\`node --import tsx bench/index-child.ts\`) that creates the activity with ` +
        '`createRecordingsActivities({ s3 })` and calls `indexRecordings` once; time is that call alone, the peak is ' +
        "the child's getrusage maxRSS (whole process: Node, tsx, the AWS SDK, the index), cross-checked by sampling " +
        '/proc every 20 ms from the bench. The recordings are already settled, so the settle wait is one round.',
      '',
      markdownTable(
        [
          'run',
          'time s',
          'objects scanned',
          'RSS before MB',
          'peak RSS MB',
          'sampled peak MB',
          'peak heap used MB',
          'index JSON KB',
        ],
        runs.map((r, i) => [
          String(i + 1),
          seconds(r.elapsedMs),
          int(r.objectsScanned),
          mb(r.rssBefore),
          mb(r.maxRss),
          r.sampledPeakRss ? mb(r.sampledPeakRss) : '—',
          mb(r.peakHeapUsed),
          (r.indexBytes / 1024).toFixed(0),
        ]),
      ),
    ];
    return run.report({ id: 'index', title: 'Recordings index over 100,000 objects', command, rows, details });
  } finally {
    s3.destroy();
    await s3Server.stop();
  }
}
