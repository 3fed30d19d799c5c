/**
 * The indexer alone, for bench/index-bench.ts: one `indexRecordings` call in a process that does nothing else, so
 * its peak RSS is the indexer's (plus Node, tsx and the AWS SDK, measured before the call). Prints one RESULT line.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createRecordingsActivities, type RecordingsIndexInput } from '../activities/recordings';

export interface IndexChildResult {
  elapsedMs: number;
  objectsScanned: number;
  participantRecordings: number;
  compositeRecordings: number;
  /** Bytes. */
  rssBefore: number;
  maxRss: number;
  peakHeapUsed: number;
  indexBytes: number;
}

interface ChildInput {
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  input: RecordingsIndexInput;
}

async function main(): Promise<void> {
  const { s3: config, input } = JSON.parse(process.env.BENCH_INDEX ?? '{}') as ChildInput;
  const s3 = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  const activities = createRecordingsActivities({ s3: () => s3, heartbeat: () => undefined });
  let peakHeapUsed = 0;
  // The heap between GCs, sampled: what the index itself holds at its largest.
  const sampler = setInterval(() => (peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed)), 10);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const summary = await activities.indexRecordings(input);
  const elapsedMs = performance.now() - started;
  clearInterval(sampler);
  // getrusage's peak, in kB on Linux: covers moments the sampler's timer could not run.
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const written = await s3.send(
    new GetObjectCommand({ Bucket: input.indexLocation.bucket, Key: input.indexLocation.key }),
  );
  const indexBytes = (await written.Body!.transformToByteArray()).length;
  s3.destroy();
  const result: IndexChildResult = {
    elapsedMs,
    objectsScanned: summary.objectsScanned,
    participantRecordings: summary.participantRecordings,
    compositeRecordings: summary.compositeRecordings,
    rssBefore,
    maxRss,
    peakHeapUsed,
    indexBytes,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error((e as Error).stack ?? String(e));
    process.exit(1);
  },
);
