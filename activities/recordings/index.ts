import type { S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import type { AccountRegion } from '../../contracts/aws-scope';
import type { RecordingsActivities, RecordingsIndexInput, RecordingsIndexSummary } from '../../contracts/recordings';
import { contextAbortSignal, contextHeartbeat, contextSleep } from '../activity-context';
import { mapWithConcurrency } from './concurrency';
import { IndexBuilder } from './index-document';
import { participantRecordingEntry, recordingEntry } from './index-entries';
import {
  COMPOSITE_ROLE,
  INDEX_ROLE,
  PARTICIPANT_ROLE,
  participantRecordingPrefixes,
  recordingProgress,
  sessionPrefixes,
} from './recording-discovery';
import { tallyParticipantRecordings, tallyRecording } from './recording-inventory';
import { readRecording } from './recording-reader';
import { RecordingsS3 } from './recordings-s3';
import { waitForRecordingsToSettle, type RecordingRef } from './settle-wait';
import { parseStageArn } from './stage-arn';

export { BUCKET_MISSING_FAILURE_TYPE } from './recordings-s3';
export type { RecordingsIndexDocument, ParticipantEntry, CompositeEntry, IndexSummary } from './index-document';
export type { ParticipantRecordingEntry, RecordingEntry, RenditionEntry, ThumbnailsEntry } from './index-entries';
export type { RecordingsIndexInput, RecordingsIndexSummary };

export interface RecordingsIndexDeps {
  s3: (scope: AccountRegion) => S3Client;
  heartbeat?: (details?: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const DEFAULT_POLL_INTERVAL_MS = 2000;
/** Events documents read at once: enough to hide latency, few enough not to provoke throttling. */
const READ_CONCURRENCY = 8;

function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidRecordingsIndexInput');
}

function validate(input: RecordingsIndexInput): void {
  if (!input.indexLocation?.bucket || !input.indexLocation.key)
    throw invalidInput('indexLocation needs a bucket and a key');
  if (!Number.isFinite(input.settleTimeoutMs) || input.settleTimeoutMs < 0) {
    throw invalidInput(`settleTimeoutMs must be a non-negative number, got ${input.settleTimeoutMs}`);
  }
  if (input.pollIntervalMs !== undefined && !(input.pollIntervalMs > 0)) {
    throw invalidInput(`pollIntervalMs must be positive, got ${input.pollIntervalMs}`);
  }
  for (const composite of input.composites ?? []) {
    if (!composite.bucket || !composite.prefix)
      throw invalidInput(`composite ${composite.compositionArn} needs a bucket and a prefix`);
  }
}

/** Without trailing slashes: recording prefixes are joined with '/' everywhere. */
const trimPrefix = (prefix: string) => prefix.replace(/\/+$/, '');

export function createRecordingsActivities(deps: RecordingsIndexDeps): RecordingsActivities {
  const heartbeat = deps.heartbeat ?? contextHeartbeat;
  const sleep = deps.sleep ?? contextSleep;
  const now = deps.now ?? Date.now;

  /**
   * Waits (bounded) for the stage's recordings to settle, then lists them page by page and writes one JSON index of
   * every participant and composite recording to `indexLocation`. Idempotent: a retry rewrites the same key.
   */
  async function indexRecordings(input: RecordingsIndexInput): Promise<RecordingsIndexSummary> {
    validate(input);
    const { region, stageId } = parseStageArn(input.stageArn);
    const s3 = new RecordingsS3(deps.s3({ region, account: input.account }), contextAbortSignal);
    const participantBucket = input.participantRecordingBucket || undefined;
    const composites = (input.composites ?? []).map((c) => ({ ...c, prefix: trimPrefix(c.prefix) }));
    const location = input.indexLocation;

    // Before any waiting: a missing bucket fails the activity at once, not after the settle timeout.
    const roles = new Map<string, string>();
    if (participantBucket) roles.set(participantBucket, PARTICIPANT_ROLE);
    for (const c of composites) if (!roles.has(c.bucket)) roles.set(c.bucket, COMPOSITE_ROLE);
    if (!roles.has(location.bucket)) roles.set(location.bucket, INDEX_ROLE);
    for (const [bucket, role] of roles) await s3.assertBucketExists(bucket, role);

    const discover = async (): Promise<RecordingRef[]> => {
      const refs: RecordingRef[] = composites.map((c) => ({ bucket: c.bucket, prefix: c.prefix, optional: true }));
      if (!participantBucket) return refs;
      const sessions = await sessionPrefixes(s3, participantBucket, stageId, input.sessionIds);
      const prefixes = await participantRecordingPrefixes(s3, participantBucket, sessions);
      return [...prefixes.map((prefix) => ({ bucket: participantBucket, prefix, optional: false })), ...refs];
    };
    const settle = await waitForRecordingsToSettle({
      timeoutMs: input.settleTimeoutMs,
      pollIntervalMs: input.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      discover,
      progress: (ref) =>
        recordingProgress(s3, ref.bucket, ref.optional ? COMPOSITE_ROLE : PARTICIPANT_ROLE, ref.prefix),
      now,
      sleep,
      heartbeat,
    });

    const builder = new IndexBuilder();
    let objectsScanned = 0;
    const onPage = (objects: number) => {
      objectsScanned += objects;
      heartbeat({ phase: 'scanning', objectsScanned });
    };

    if (participantBucket) {
      // Session by session, so tallies are dropped once their entries are built.
      for (const session of await sessionPrefixes(s3, participantBucket, stageId, input.sessionIds)) {
        const tallies = await tallyParticipantRecordings(s3, participantBucket, PARTICIPANT_ROLE, session, onPage);
        const readings = await mapWithConcurrency(tallies, READ_CONCURRENCY, (t) =>
          readRecording(s3, t.tally, PARTICIPANT_ROLE),
        );
        tallies.forEach((t, i) => {
          const reading = readings[i]!;
          builder.addParticipantRecording(
            t.sessionId,
            t.participantId,
            participantRecordingEntry(t.tally, reading),
            reading.outcome,
          );
        });
        heartbeat({ phase: 'scanning', objectsScanned, session });
      }
    }

    for (const composite of composites) {
      const tally = await tallyRecording(s3, composite.bucket, COMPOSITE_ROLE, composite.prefix, onPage);
      const reading = await readRecording(s3, tally, COMPOSITE_ROLE);
      const { prefix, ...entry } = recordingEntry(tally, reading);
      builder.addComposite(
        { compositionArn: composite.compositionArn, bucket: composite.bucket, prefix, ...entry },
        reading.outcome,
      );
    }

    const document = builder.build({
      stageArn: input.stageArn,
      generatedAt: new Date(now()).toISOString(),
      participantRecordingBucket: participantBucket ?? null,
      settleWait: { waitedMs: settle.waitedMs, rounds: settle.rounds, timedOut: settle.timedOut },
      objectsScanned,
      show: input.show,
    });
    heartbeat({ phase: 'writing', objectsScanned });
    await s3.putJson(location.bucket, INDEX_ROLE, location.key, `${JSON.stringify(document, null, 2)}\n`);

    const { summary } = document;
    return {
      location: { bucket: location.bucket, key: location.key, uri: `s3://${location.bucket}/${location.key}` },
      participants: summary.participants,
      participantRecordings: summary.participantRecordings,
      compositeRecordings: summary.compositeRecordings,
      failedRecordings: summary.failedRecordings,
      unsettledRecordings: summary.unsettledRecordings,
      totalDurationMs: summary.totalDurationMs,
      objectsScanned: summary.objectsScanned,
    };
  }

  return { indexRecordings };
}
