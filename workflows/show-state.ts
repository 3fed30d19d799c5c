import type { CompositionSnapshot, ObservedCompositionState } from '../contracts/composition';
import type { Incident, ResourceRef, ShowPhase, ShowTimings } from '../contracts/show-status';
import type { IssuedToken } from '../contracts/stage';

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
  timings: ShowTimings;
  continuedAsNew: number;
  /** Latest snapshot from the composition monitor not yet acted on. */
  pendingSnapshot?: CompositionSnapshot;
  restartRequested?: string;
  recordingsIndex?: { bucket: string; key: string; uri: string };
}
