import type { AudienceKey } from '../../contracts/audience';
import type { CompositionSnapshot, ObservedCompositionState } from '../../contracts/composition';
import type { Incident, ResourceRef, ShowOutcome, ShowPhase, ShowTimings } from '../../contracts/show-status';
import type { IssuedToken } from '../../contracts/stage';
import type { ShowSpec } from '../../show-spec/show-spec';
import { plannedWindow } from './plan';

/** One composition the show started, as the show last saw it. */
export interface CompositionRun {
  arn: string;
  /** When the show started it, and when it was seen stopped: the timeline's composition spans (timeline/). */
  startedAt?: string;
  endedAt?: string;
  state: ObservedCompositionState;
  destinations: { id: string; kind: 'channel' | 's3'; state: string; recordingPrefix?: string }[];
  /** Bucket of its S3 destination, for the recordings index. */
  recordingBucket?: string;
}

/**
 * Everything a show carries across continue-as-new. Tokens are secrets: history holds them encrypted only.
 * Runs continued from older code may carry fields no longer listed here; nothing reads them.
 */
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
  /** The audience's imported public key and its private half (a secret, like the tokens: encrypted in history). */
  audience?: AudienceKey;
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
  /** Preparation began: from here on IVS may hold something under the run tag, so tidy-up sweeps. */
  prepareStarted?: boolean;
  /** What the show's sweeps removed beyond its own tidy-up (duplicates, unrecorded leftovers); see ShowResult. */
  swept?: ResourceRef[];
  sweepCalls?: Record<string, number>;
  /** Latest snapshot from the composition monitor not yet acted on. */
  pendingSnapshot?: CompositionSnapshot;
  restartRequested?: string;
  /** How the show ended and why (set when it stops running live; see ShowEnding). */
  outcome?: ShowOutcome;
  endReason?: string;
  failure?: string;
  /** When tidy-up's sweep of the run tag looked (it may have found nothing). */
  sweptAt?: string;
  recordingsIndexUri?: string;
  /** IVS events signalled to the show, and how many of them woke a poll (the rest could not matter then). */
  ivsEvents?: { received: number; acted: number };
}

export function initialState(spec: ShowSpec, runKey: string, startedAt: number): ShowState {
  const { startAt, endAt } = plannedWindow(spec, startedAt);
  return {
    phase: 'SCHEDULED',
    runKey,
    region: spec.region ?? '',
    startAt,
    endAt,
    compositions: [],
    tokens: [],
    incidents: [],
    restarts: 0,
    reconnectingSince: {},
    made: [],
    removed: [],
    kept: [],
    timings: {},
    continuedAsNew: 0,
  };
}
