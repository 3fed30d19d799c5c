import type { CompositionSnapshot, ObservedCompositionState } from '../activities/composition-activities';
import type { IssuedToken } from '../activities/stage-activities';

/** Where a show stands; also the ShowPhase search attribute. */
export type ShowPhase =
  | 'SCHEDULED'
  | 'PREPARING'
  | 'WAITING_FOR_PUBLISHER'
  | 'STARTING_COMPOSITION'
  | 'LIVE'
  | 'RECOVERING'
  | 'ENDING'
  | 'TIDYING'
  | 'INDEXING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED';

export type IncidentKind =
  | 'DESTINATION_RECONNECTING'
  | 'DESTINATION_RECOVERED'
  | 'RECONNECTING_TOO_LONG'
  | 'DESTINATION_FAILED'
  | 'COMPOSITION_FAILED'
  | 'COMPOSITION_STOPPED'
  | 'COMPOSITION_RESTARTED'
  | 'RESTART_REQUESTED'
  | 'RESTART_LIMIT_REACHED'
  | 'NO_PUBLISHER'
  | 'STAGE_DELETED'
  | 'START_FAILED'
  | 'TIDY_UP_FAILED'
  | 'INDEXING_FAILED';

export interface Incident {
  at: string;
  kind: IncidentKind;
  compositionArn?: string;
  destinationId?: string;
  detail: string;
}

export type ResourceKind =
  'stage' | 'ingest-configuration' | 'composition' | 'storage-configuration' | 'encoder-configuration';

export interface ResourceRef {
  kind: ResourceKind;
  arn: string;
  /** Shared configurations outlive the show that created them. */
  shared?: boolean;
}

export interface CompositionRun {
  arn: string;
  idempotencyToken: string;
  startedAt: string;
  endedAt?: string;
  state: ObservedCompositionState;
  destinations: { id: string; kind: 'channel' | 's3'; state: string; recordingPrefix?: string }[];
  /** Bucket of its S3 destination, for the recordings index. */
  recordingBucket?: string;
  stopRequested: boolean;
}

/** Everything a show carries across continue-as-new. Tokens are secrets: history holds them encrypted only. */
export interface ShowState {
  phase: ShowPhase;
  runKey: string;
  region: string;
  startAt: number;
  endAt: number;
  endRequested?: { at: string; reason: string };
  stageArn?: string;
  stageId?: string;
  ingestConfigurationArn?: string;
  ingestParticipantId?: string;
  participantStorage?: { arn: string; bucket: string };
  compositeStorage?: { arn: string; bucket: string };
  encoderConfigurationArn?: string;
  compositions: CompositionRun[];
  tokens: IssuedToken[];
  incidents: Incident[];
  restarts: number;
  /** Restarts after failures (not operator requests): bounded by maxCompositionRestarts. */
  automaticRestarts?: number;
  /** Destination ID → when it was first seen RECONNECTING (epoch ms). */
  reconnectingSince: Record<string, number>;
  made: ResourceRef[];
  removed: ResourceRef[];
  kept: ResourceRef[];
  timings: Partial<
    Record<'preparedAt' | 'firstPublisherAt' | 'compositionActiveAt' | 'endedAt' | 'tidiedAt' | 'indexedAt', string>
  >;
  continuedAsNew: number;
  /** Latest snapshot from the composition monitor not yet acted on. */
  pendingSnapshot?: CompositionSnapshot;
  restartRequested?: string;
  recordingsIndex?: { bucket: string; key: string; uri: string };
}

export type ShowOutcome = 'COMPLETED' | 'NO_PUBLISHER' | 'ENDED_BEFORE_START' | 'FAILED' | 'CANCELLED';

export interface ShowResult {
  showId: string;
  outcome: ShowOutcome;
  made: ResourceRef[];
  removed: ResourceRef[];
  kept: ResourceRef[];
  incidents: Incident[];
  compositionRestarts: number;
  timings: ShowState['timings'] & { scheduledStart: string; plannedEnd: string };
  recordingsIndex?: { location: { bucket: string; key: string; uri: string }; summary: Record<string, number> };
  continuedAsNew: number;
}

/** The `status` query: safe to show anyone (no tokens, no stream keys). */
export interface ShowStatus {
  showId: string;
  name: string;
  phase: ShowPhase;
  region: string;
  scheduledStart: string;
  plannedEnd: string;
  resources: {
    stageArn?: string;
    ingestConfigurationArn?: string;
    compositionArn?: string;
    encoderConfigurationArn?: string;
    storageConfigurationArns: string[];
  };
  composition?: { arn: string; state: string; destinations: { id: string; kind: string; state: string }[] };
  participants: { userId: string; participantId: string; tokenExpiresAt: string }[];
  incidents: Incident[];
  compositionRestarts: number;
  nextDeadline?: { what: string; at: string };
}
