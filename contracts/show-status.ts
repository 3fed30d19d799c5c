/**
 * What a show tells the outside world: its phases, incidents, the `status` query's answer and its result. The CLI,
 * the events endpoint and tests read these; the show workflow writes them.
 */

/** Where a show stands, in the order a show goes through them; also the ShowPhase search attribute. */
export const SHOW_PHASES = [
  'SCHEDULED',
  'PREPARING',
  'WAITING_FOR_PUBLISHER',
  'STARTING_COMPOSITION',
  'LIVE',
  'RECOVERING',
  'ENDING',
  'TIDYING',
  'INDEXING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
] as const;
export type ShowPhase = (typeof SHOW_PHASES)[number];

/** From ENDING on, a show only winds down: no more tokens, restarts, extensions or end requests. */
export const ENDING_PHASES: readonly ShowPhase[] = SHOW_PHASES.slice(SHOW_PHASES.indexOf('ENDING'));
/** The phases a show ends in. */
export const FINAL_PHASES: readonly ShowPhase[] = SHOW_PHASES.slice(SHOW_PHASES.indexOf('COMPLETED'));

/** For phases read back as plain strings (history, search attributes). */
export const isEndingPhase = (phase: string) => (ENDING_PHASES as readonly string[]).includes(phase);
export const isFinalPhase = (phase: string) => (FINAL_PHASES as readonly string[]).includes(phase);

export const INCIDENT_KINDS = [
  'DESTINATION_RECONNECTING',
  'DESTINATION_RECOVERED',
  'RECONNECTING_TOO_LONG',
  'DESTINATION_FAILED',
  'COMPOSITION_FAILED',
  'COMPOSITION_STOPPED',
  'COMPOSITION_RESTARTED',
  'RESTART_REQUESTED',
  'RESTART_LIMIT_REACHED',
  'NO_PUBLISHER',
  'STAGE_DELETED',
  'START_FAILED',
  'TIDY_UP_FAILED',
  'INDEXING_FAILED',
  /** The same kind appeared twice under the show's run tag during preparation: the extra was deleted at once. */
  'DUPLICATE_REMOVED',
  /** Tidy-up's sweep found a resource under the show's run tag that the show had not recorded, and removed it. */
  'UNRECORDED_SWEPT',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface Incident {
  at: string;
  kind: IncidentKind;
  compositionArn?: string;
  destinationId?: string;
  detail: string;
}

export type ResourceKind =
  'stage' | 'ingest-configuration' | 'composition' | 'storage-configuration' | 'encoder-configuration' | 'public-key';

export interface ResourceRef {
  kind: ResourceKind;
  arn: string;
  /** Shared configurations outlive the show that created them. */
  shared?: boolean;
}

export type ShowOutcome = 'COMPLETED' | 'NO_PUBLISHER' | 'ENDED_BEFORE_START' | 'FAILED' | 'CANCELLED';

export type ShowTimings = Partial<
  Record<'preparedAt' | 'firstPublisherAt' | 'compositionActiveAt' | 'endedAt' | 'tidiedAt' | 'indexedAt', string>
>;

export interface ShowResult {
  showId: string;
  outcome: ShowOutcome;
  made: ResourceRef[];
  removed: ResourceRef[];
  kept: ResourceRef[];
  incidents: Incident[];
  compositionRestarts: number;
  timings: ShowTimings & { scheduledStart: string; plannedEnd: string };
  recordingsIndex?: { location: { bucket: string; key: string; uri: string }; summary: Record<string, number> };
  continuedAsNew: number;
  /**
   * What the show's sweeps (of everything IVS held under its run tag) removed beyond its own tidy-up: duplicates
   * deleted during preparation and leftovers found before tidy-up finished. Absent for shows started before sweeps.
   */
  swept?: ResourceRef[];
  /** The IVS calls those sweeps cost, by operation. */
  sweepCalls?: Record<string, number>;
}

/** What the show does next and when; in the status and the Web UI's details. */
export interface ShowDeadline {
  what: string;
  at: string;
}

/**
 * How a show ended, once it has: the outcome and why, the failure's cause, what tidy-up removed and kept, what the
 * sweep of the run tag found, and where the recordings index is. In the status and the Web UI's final details.
 */
export interface ShowEnding {
  outcome: ShowOutcome;
  /** Why it ended: the end request's reason, the planned end, no publisher, a cancellation, a failure. */
  reason: string;
  /** A failed show: the step that failed and the innermost cause (the AWS or validation error). */
  failure?: string;
  removed: ResourceRef[];
  kept: ResourceRef[];
  /** What the sweep of the run tag removed beyond tidy-up's own list; absent when no sweep ran. */
  swept?: ResourceRef[];
  recordingsIndex?: string;
}

/** The `status` query: safe to show anyone (no tokens, no stream keys). */
export interface ShowStatus {
  showId: string;
  name: string;
  phase: ShowPhase;
  region: string;
  scheduledStart: string;
  plannedEnd: string;
  /** What exists now: a resource tidy-up or the sweep removed is no longer listed (see `ending`). */
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
  nextDeadline?: ShowDeadline;
  /** Set once the show has ended (outcome known); complete once the phase is final. */
  ending?: ShowEnding;
}
