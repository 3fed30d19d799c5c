import type { AccountRegion } from './aws-scope';
import type { ShowIdentity } from './tags';

/**
 * What IVS holds for one show (found by its run tag), and the plain decisions about it. Types, constants and pure
 * functions only: the show workflow imports this file.
 */

export type ShowResourceKind = 'stage' | 'ingestConfiguration' | 'composition' | 'publicKey';

export interface ShowResource {
  kind: ShowResourceKind;
  arn: string;
  /** Compositions: their state (STARTING, ACTIVE, STOPPING, STOPPED, FAILED). */
  state?: string;
  /** Compositions and ingest configurations: the stage they belong to ('' for an ingest configuration detached by DeleteStage). */
  stageArn?: string;
  /** Compositions: startTime, ISO. IVS reports no creation time for stages, ingest configurations or public keys. */
  startedAt?: string;
}

/** A composition in these states still runs (and costs); the rest stop on their own and are purged by IVS. */
export const LIVE_COMPOSITION_STATES: ReadonlySet<string> = new Set(['STARTING', 'ACTIVE']);

export const needsRemoval = (r: ShowResource) => r.kind !== 'composition' || LIVE_COMPOSITION_STATES.has(r.state ?? '');

/** Order of removal: compositions first (they use the stage), then what uses the stage, then the stage. */
export const REMOVAL_ORDER: readonly ShowResourceKind[] = ['composition', 'ingestConfiguration', 'stage', 'publicKey'];

/** The first ARN in code-unit order: the same answer on every worker and in every replay. */
export function firstByArn(arns: readonly string[]): string | undefined {
  let first: string | undefined;
  for (const arn of arns) if (first === undefined || arn < first) first = arn;
  return first;
}

/** What the workflow has recorded as the show's own (from activity results). */
export interface RecordedResources {
  stageArn?: string;
  ingestConfigurationArn?: string;
  /** Every composition the show started and still counts as its own. */
  compositionArns?: readonly string[];
  publicKeyArns?: readonly string[];
}

export interface DedupeDecision {
  keep: ShowResource[];
  /** To delete at once (and report as an incident): duplicates of what is kept. */
  remove: ShowResource[];
}

/**
 * When a kind the show makes once appears more than once under its run tag (a create that landed after its attempt
 * gave up on it), which one the show keeps.
 *
 * - The one the workflow recorded, always: tokens were issued for that stage, the encoder operator reads that ingest
 *   configuration's stream key, the composition runs on that stage. Deleting it would break what is already out.
 * - Nothing recorded (the result of the create never reached the workflow): the first by ARN. "The oldest" would be
 *   the natural choice, but IVS reports no creation time for stages or ingest configurations and their IDs are
 *   random, so age cannot be read; the first ARN is a choice every attempt and every replay makes identically from
 *   the same listing, and ensureStage's own lookup makes the same one. An ingest configuration prefers one on the
 *   kept stage.
 * - Compositions: several can be the show's own (restarts), so every live one the workflow recorded is kept; of
 *   live unrecorded ones, one is kept only if no recorded one is live (the earliest started, then by ARN). Stopped
 *   ones need nothing.
 */
export function dedupe(found: readonly ShowResource[], recorded: RecordedResources): DedupeDecision {
  const keep: ShowResource[] = [];
  const remove: ShowResource[] = [];
  const of = (kind: ShowResourceKind) => found.filter((r) => r.kind === kind);
  const pickOne = (
    candidates: ShowResource[],
    recordedArn: string | undefined,
    prefer?: (r: ShowResource) => boolean,
  ) => {
    if (candidates.length === 0) return;
    const preferred = prefer ? candidates.filter(prefer) : [];
    const keptArn =
      candidates.find((r) => r.arn === recordedArn)?.arn ??
      firstByArn((preferred.length > 0 ? preferred : candidates).map((r) => r.arn));
    for (const r of candidates) (r.arn === keptArn ? keep : remove).push(r);
  };

  pickOne(of('stage'), recorded.stageArn);
  const keptStage = keep.find((r) => r.kind === 'stage')?.arn;
  pickOne(of('ingestConfiguration'), recorded.ingestConfigurationArn, (r) => !!keptStage && r.stageArn === keptStage);

  const compositions = of('composition');
  const recordedCompositions = new Set(recorded.compositionArns ?? []);
  const live = compositions.filter(needsRemoval);
  const liveRecorded = live.filter((r) => recordedCompositions.has(r.arn));
  const liveUnrecorded = live.filter((r) => !recordedCompositions.has(r.arn));
  const byAge = [...liveUnrecorded].sort(
    (a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0),
  );
  const adopted = liveRecorded.length === 0 ? byAge.slice(0, 1) : [];
  keep.push(...compositions.filter((r) => !needsRemoval(r)), ...liveRecorded, ...adopted);
  remove.push(...byAge.slice(adopted.length));

  const recordedKeys = new Set(recorded.publicKeyArns ?? []);
  for (const r of of('publicKey')) (recordedKeys.has(r.arn) ? keep : remove).push(r);
  return { keep, remove };
}

/** What a sweep found, and what it cost: IVS calls by operation (each within the account's per-operation rate). */
export interface ShowSweep extends AccountRegion {
  resources: ShowResource[];
  calls: Record<string, number>;
}

export interface RemoveShowResourcesResult {
  results: {
    kind: ShowResourceKind;
    arn: string;
    /** removed: stopped or deleted now; gone: already gone (or a composition already stopping); refused: not this show's. */
    outcome: 'removed' | 'gone' | 'refused';
    reason?: string;
  }[];
  calls: Record<string, number>;
}

export interface SweepInput extends AccountRegion {
  identity: ShowIdentity;
  /** Also list public keys (one ListPublicKeys page per 100 keys). Shows import none today, so off by default. */
  publicKeys?: boolean;
  /**
   * The show's ingest configuration name, when it has one: a configuration whose stage is gone (blank, or naming a
   * deleted stage) is checked for the run tag only if it bears this name. Without it, every such one is.
   */
  ingestConfigurationName?: string;
  /**
   * ARNs the show recorded as made by its own creates (so they carry its run tag): an ingest configuration among
   * them needs no ListTagsForResource to be counted as the show's.
   */
  knownMine?: string[];
}

export interface RemoveInput extends AccountRegion {
  identity: ShowIdentity;
  resources: Pick<ShowResource, 'kind' | 'arn'>[];
}

export interface ShowSweepActivities {
  /** Everything IVS holds under the show's run tag (see the implementation for the calls it costs). */
  findShowResources(input: SweepInput): Promise<ShowSweep>;
  /** Stops or deletes each, only while it still carries the run tag; already gone is done. */
  removeShowResources(input: RemoveInput): Promise<RemoveShowResourcesResult>;
}
