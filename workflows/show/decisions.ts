import { isTerminal, type CompositionSnapshot } from '../../contracts/composition';
import { rootMessage } from '../../contracts/errors';
import { endsComposition, ivsEventWakes, type ShowIvsEvent } from '../../contracts/show-ivs-events';
import {
  needsRemoval,
  type RecordedResources,
  type ShowResource,
  type ShowResourceKind,
} from '../../contracts/show-resources';
import {
  ENDING_PHASES,
  type IncidentKind,
  type ResourceKind,
  type ResourceRef,
  type ShowDeadline,
  type ShowOutcome,
  type ShowPhase,
} from '../../contracts/show-status';
import type { ShowPolicies, ShowSpec } from '../../show-spec/show-spec';
import type { CompositionRun, ShowState } from './state';

/**
 * The show's decisions, as plain functions of its spec, its state and the time: no I/O, no Temporal API, so unit
 * tests call them directly. The workflow code around them does what they decide.
 */

/** An incident to record, before it has a time. */
export interface IncidentDraft {
  kind: IncidentKind;
  detail: string;
  compositionArn?: string;
  destinationId?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** From ENDING on, a show only winds down. */
export const isEnding = (state: ShowState) => ENDING_PHASES.includes(state.phase);

/** The planned end has come, or someone asked the show to end. */
export const endReached = (state: ShowState, now: number) => !!state.endRequested || now >= state.endAt;

/** The composition the show keeps on air: the latest one, unless it stopped, failed or was purged. */
export function liveComposition(state: ShowState): CompositionRun | undefined {
  const last = state.compositions[state.compositions.length - 1];
  return last && !isTerminal(last.state) ? last : undefined;
}

/** When a destination that went RECONNECTING has had all the time the policy allows (Infinity when none is). */
export function reconnectDeadline(state: ShowState, tolerance: number): number {
  const since = Object.values(state.reconnectingSince);
  return since.length > 0 ? Math.min(...since) + tolerance : Infinity;
}

/** What the show waits for next, for the status and the Web UI. */
export function nextDeadline(spec: ShowSpec, state: ShowState): ShowDeadline | undefined {
  if (state.phase === 'SCHEDULED') return { what: 'prepare', at: iso(state.startAt - spec.schedule.leadTime) };
  const reconnect = reconnectDeadline(state, spec.policies.reconnectingTolerance);
  if (Number.isFinite(reconnect)) return { what: 'reconnect tolerance ends', at: iso(reconnect) };
  if (!isEnding(state)) return { what: 'planned end', at: iso(state.endAt) };
  return undefined;
}

/** The phase of a show with a composition on air. */
export function livePhase(state: ShowState, run: CompositionRun): ShowPhase {
  if (run.state === 'STARTING') return 'STARTING_COMPOSITION';
  return Object.keys(state.reconnectingSince).length > 0 ? 'RECOVERING' : 'LIVE';
}

/** How long the show waits for its first publisher: the policy's timeout, but never past the planned end. */
export const publisherWaitDeadline = (policies: ShowPolicies, state: ShowState, now: number) =>
  now + Math.min(policies.publisherWaitTimeout, Math.max(0, state.endAt - now));

export type SnapshotVerdict = 'ok' | 'replace' | 'stopped';

/**
 * Applies the monitor's snapshot of the composition on air to the show's state: destination states, when each
 * went RECONNECTING, when the composition first went ACTIVE. Says what happened (incidents, in order) and whether
 * the composition must be replaced (it or a destination failed) or has stopped on its own (idle or deleted stage).
 */
export function applySnapshot(
  state: ShowState,
  run: CompositionRun,
  snapshot: CompositionSnapshot,
  now: number,
): { verdict: SnapshotVerdict; incidents: IncidentDraft[] } {
  const incidents: IncidentDraft[] = [];
  run.state = snapshot.state;
  for (const observed of snapshot.destinations) {
    const destination = run.destinations.find((d) => d.id === observed.id);
    if (!destination || destination.state === observed.state) continue;
    destination.state = observed.state;
    const where = { compositionArn: run.arn, destinationId: observed.id };
    if (observed.state === 'RECONNECTING') {
      state.reconnectingSince[observed.id] ??= now;
      incidents.push({
        kind: 'DESTINATION_RECONNECTING',
        detail: `${destination.kind} destination is reconnecting`,
        ...where,
      });
    } else if (observed.state === 'ACTIVE' && state.reconnectingSince[observed.id] !== undefined) {
      delete state.reconnectingSince[observed.id];
      incidents.push({
        kind: 'DESTINATION_RECOVERED',
        detail: `${destination.kind} destination is active again`,
        ...where,
      });
    } else if (observed.state === 'FAILED') {
      incidents.push({ kind: 'DESTINATION_FAILED', detail: `${destination.kind} destination failed`, ...where });
    }
  }
  if (snapshot.state === 'ACTIVE') state.timings.compositionActiveAt ??= iso(now);
  const compositionArn = run.arn;
  if (snapshot.state === 'FAILED') {
    incidents.push({ kind: 'COMPOSITION_FAILED', detail: 'composition failed', compositionArn });
    return { verdict: 'replace', incidents };
  }
  if (snapshot.state === 'STOPPED' || snapshot.state === 'GONE') {
    run.endedAt ??= iso(now);
    const what = snapshot.state === 'GONE' ? 'disappeared' : 'stopped';
    incidents.push({
      kind: 'COMPOSITION_STOPPED',
      detail: `composition ${what} while the show is on (idle stage or deleted stage)`,
      compositionArn,
    });
    return { verdict: 'stopped', incidents };
  }
  return { verdict: run.destinations.some((d) => d.state === 'FAILED') ? 'replace' : 'ok', incidents };
}

/**
 * Where a snapshot from the monitor goes: the composition on air acts on it in the live loop; an older one that
 * has not stopped yet (a replaced composition on its way out) only updates its state.
 */
export function receiveSnapshot(state: ShowState, snapshot: CompositionSnapshot): void {
  if (snapshot.arn === liveComposition(state)?.arn) {
    state.pendingSnapshot = snapshot;
    return;
  }
  const run = state.compositions.find((c) => c.arn === snapshot.arn);
  if (run && !isTerminal(run.state)) run.state = snapshot.state;
}

/** What an IVS event wakes up: the wait for a publisher, or the composition's poll. */
export const wakesOn = (event: ShowIvsEvent) => ivsEventWakes(event);

/**
 * What an IVS event wakes in the show as it stands, so that events that cannot matter now change nothing (and
 * cost no poll, no pollNow signal, no cancelled activity): a publisher only while the show waits for one; a
 * composition event only for a composition of the show's that has not ended — and for one being stopped, only the
 * event that says it ended.
 */
export function eventWakesNow(
  event: ShowIvsEvent,
  state: Pick<ShowState, 'phase' | 'compositions'>,
  show: { stopping: ReadonlySet<string>; lastPollNowAt?: number; now: number; pollIntervalMs: number },
): { publisher: boolean; composition: boolean } {
  const wakes = ivsEventWakes(event);
  const run = state.compositions.find((c) => c.arn === event.resourceArn);
  let composition = wakes.composition && !!run && !isTerminal(run.state);
  if (composition && show.stopping.has(run!.arn)) composition = endsComposition(event);
  else if (composition) composition = pollNowDue(show.lastPollNowAt, show.now, show.pollIntervalMs);
  return { publisher: wakes.publisher && state.phase === 'WAITING_FOR_PUBLISHER', composition };
}

/**
 * Whether the show passes an IVS event on to the composition monitor as pollNow: at most once per poll interval
 * (the monitor lets events cut a poll short at most once per interval anyway, so more would only add signals).
 */
export const pollNowDue = (lastSentAt: number | undefined, now: number, pollIntervalMs: number) =>
  lastSentAt === undefined || now - lastSentAt >= pollIntervalMs;

/** Automatic restarts are bounded by the policy; operator-requested restarts do not use them up. */
export const restartBudgetSpent = (state: ShowState, policies: ShowPolicies, manual: boolean) =>
  !manual && (state.automaticRestarts ?? 0) >= policies.maxCompositionRestarts;

/** Exponential restart backoff, capped. */
export function restartDelayMs(policy: ShowPolicies['restartBackoff'], restartNumber: number): number {
  return Math.min(policy.max, policy.initial * policy.multiplier ** Math.max(0, restartNumber - 1));
}

/** Time to continue as new: the server suggests it, or history reached the test hook's length. */
export const continueAsNewDue = (
  history: { continueAsNewSuggested: boolean; historyLength: number },
  afterEvents: number | undefined,
) => history.continueAsNewSuggested || (afterEvents !== undefined && history.historyLength >= afterEvents);

/** A show that waited in vain for a publisher: nobody came at all, or nobody came back. */
export const outcomeWithoutPublisher = (state: ShowState): ShowOutcome =>
  state.compositions.length === 0 ? 'NO_PUBLISHER' : 'COMPLETED';

/** The phase a show ends in. */
export function finalPhase(outcome: ShowOutcome): ShowPhase {
  return outcome === 'CANCELLED' || outcome === 'FAILED' ? outcome : 'COMPLETED';
}

/** The show's name for a kind of resource the sweep reports. */
const RESOURCE_KIND_OF: Record<ShowResourceKind, ResourceKind> = {
  stage: 'stage',
  ingestConfiguration: 'ingest-configuration',
  composition: 'composition',
  publicKey: 'public-key',
};
export const refOf = (r: Pick<ShowResource, 'kind' | 'arn'>): ResourceRef => ({
  kind: RESOURCE_KIND_OF[r.kind],
  arn: r.arn,
});

/** What the show recorded as its own, in the terms of the dedupe decision. */
export function recordedResources(state: ShowState): RecordedResources {
  return {
    stageArn: state.stageArn,
    ingestConfigurationArn: state.ingestConfigurationArn,
    compositionArns: state.compositions.map((c) => c.arn),
    ...(state.audience ? { publicKeyArns: [state.audience.publicKeyArn] } : {}),
  };
}

/**
 * What tidy-up's sweep removes of what IVS holds under the run tag: every resource that still runs or exists,
 * recorded or not, except what the show keeps by policy (state.kept, filled by tidy-up before the sweep). Unrecorded
 * ones are the windows the sweep closes (a create that landed after its result was lost): each is an incident.
 */
export function sweepPlan(
  found: readonly ShowResource[],
  state: Pick<ShowState, 'made' | 'kept'>,
): { remove: ShowResource[]; unrecorded: ShowResource[] } {
  const kept = new Set(state.kept.map((r) => r.arn));
  const made = new Set(state.made.map((r) => r.arn));
  const remove = found.filter((r) => needsRemoval(r) && !kept.has(r.arn));
  return { remove, unrecorded: remove.filter((r) => !made.has(r.arn)) };
}

/** Adds one sweep's IVS calls to the show's running count. */
export function addCalls(total: Record<string, number>, calls: Record<string, number>): Record<string, number> {
  const sum = { ...total };
  for (const [operation, n] of Object.entries(calls)) sum[operation] = (sum[operation] ?? 0) + n;
  return sum;
}

/**
 * Why the show ended, in a sentence for the status and the Web UI: the end request's reason, the planned end, the
 * wait for a publisher that ran out, a cancellation or a failure.
 */
export function endReasonOf(outcome: ShowOutcome, state: ShowState, failure?: string): string {
  const requested = state.endRequested?.reason;
  const noPublisher = [...state.incidents].reverse().find((i) => i.kind === 'NO_PUBLISHER')?.detail;
  switch (outcome) {
    case 'ENDED_BEFORE_START':
      return `ended before its slot came: ${requested ?? 'end requested'}`;
    case 'NO_PUBLISHER':
      return noPublisher ?? 'nobody published';
    case 'CANCELLED':
      return 'the workflow was cancelled';
    case 'FAILED':
      return failure ?? 'failed (cause unknown)';
    case 'COMPLETED':
      if (requested !== undefined) return `ended on request: ${requested}`;
      if (noPublisher !== undefined) return `nobody published again: ${noPublisher}`;
      return 'the planned end came';
  }
}

/**
 * What a failed show says went wrong: the phase it failed in, the activity (if an activity failed) and the innermost
 * message along the cause chain — the AWS or validation error ("The S3 bucket must exist and be accessible").
 */
export function failureCause(error: unknown, phase: ShowPhase): string {
  let activity: string | undefined;
  for (let e = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const type = (e as { activityType?: unknown }).activityType;
    if (typeof type === 'string') activity = type;
  }
  return `${phase.toLowerCase().replace(/_/g, ' ')}${activity ? ` (${activity})` : ''}: ${rootMessage(error)}`;
}

/** Whether tidy-up or the sweep removed this resource. */
export const wasRemoved = (state: Pick<ShowState, 'removed' | 'swept'>, arn: string | undefined) =>
  arn !== undefined && [...state.removed, ...(state.swept ?? [])].some((r) => r.arn === arn);

/**
 * A destination's state as the show reports it: what the monitor last saw, except that a composition that stopped
 * (or is gone) has no destination running — IVS reports its destinations STOPPED — however it was last seen.
 */
export function shownDestinationState(run: CompositionRun, destinationState: string): string {
  if (!isTerminal(run.state)) return destinationState;
  return ['STARTING', 'ACTIVE', 'RECONNECTING'].includes(destinationState) ? 'STOPPED' : destinationState;
}
