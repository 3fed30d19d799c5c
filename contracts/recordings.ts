import type { ShowFigures } from '../timeline/show-figures';
/** The recordings index activity's side of the contract: what to index, and what it found. */
export interface RecordingsIndexInput {
  /** arn:<partition>:ivs:<region>:<account>:stage/<stageId> */
  stageArn: string;
  /** The show's account when the worker acts there through a role (its buckets are that account's). */
  account?: string;
  /** Bucket of individual participant recordings (stage autoParticipantRecordingConfiguration), if any. */
  participantRecordingBucket?: string;
  /** Only these stage session IDs (st-...); all sessions of the stage under <stageId>/ when absent. */
  sessionIds?: string[];
  /** Composite recordings: bucket + recordingPrefix of each composition's s3 destination, in start order. */
  composites: { compositionArn: string; bucket: string; prefix: string }[];
  /** Where to write the index (bucket, key). */
  indexLocation: { bucket: string; key: string };
  /** Bounded wait for every participant recording to have recording-ended.json or recording-failed.json. */
  settleTimeoutMs: number;
  pollIntervalMs?: number; // default 2000
  /** The show's figures (timeline/state-events figuresFromState), written into the document as `show`. */
  show?: ShowFigures;
}

export interface RecordingsIndexSummary {
  location: { bucket: string; key: string; uri: string }; // uri = s3://bucket/key
  participants: number;
  participantRecordings: number;
  compositeRecordings: number;
  failedRecordings: number;
  unsettledRecordings: number; // still without ended/failed JSON when the wait ran out
  totalDurationMs: number;
  objectsScanned: number;
}

export interface RecordingsActivities {
  indexRecordings(input: RecordingsIndexInput): Promise<RecordingsIndexSummary>;
}

/** Where a show writes its recordings index: next to the stage's participant recordings. */
export const recordingsIndexKey = (stageId: string) => `${stageId}/showrunner-recordings-index.json`;
