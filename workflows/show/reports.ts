import type { ShowEnding, ShowOutcome, ShowResult, ShowStatus } from '../../contracts/show-status';
import type { ShowSpec } from '../../show-spec/show-spec';
import { shownDestinationState, wasRemoved } from './decisions';
import type { ShowState } from './state';

/** A resource's ARN while it exists; once tidy-up or the sweep removed it, nothing. */
const existing = (state: ShowState, arn: string | undefined) => (wasRemoved(state, arn) ? undefined : arn);

/** How the show ended, once it has (see ShowEnding). */
export function showEnding(state: ShowState): ShowEnding | undefined {
  if (!state.outcome) return undefined;
  return {
    outcome: state.outcome,
    reason: state.endReason ?? state.outcome,
    ...(state.failure ? { failure: state.failure } : {}),
    removed: state.removed,
    kept: state.kept,
    ...(state.sweptAt ? { swept: state.swept ?? [] } : {}),
    ...(state.recordingsIndexUri ? { recordingsIndex: state.recordingsIndexUri } : {}),
  };
}

export function buildStatus(spec: ShowSpec, state: ShowState, nextDeadline: ShowStatus['nextDeadline']): ShowStatus {
  const run = state.compositions[state.compositions.length - 1];
  return {
    showId: spec.id,
    name: spec.name,
    phase: state.phase,
    region: state.region,
    scheduledStart: new Date(state.startAt).toISOString(),
    plannedEnd: new Date(state.endAt).toISOString(),
    resources: {
      stageArn: existing(state, state.stageArn),
      ingestConfigurationArn: existing(state, state.ingestConfigurationArn),
      compositionArn: existing(state, run?.arn),
      encoderConfigurationArn: state.encoderConfigurationArn,
      storageConfigurationArns: [state.participantStorage?.arn, state.compositeStorage?.arn].filter(
        (a): a is string => !!a,
      ),
    },
    composition: run && {
      arn: run.arn,
      state: run.state,
      destinations: run.destinations.map((d) => ({
        id: d.id,
        kind: d.kind,
        state: shownDestinationState(run, d.state),
      })),
    },
    participants: state.tokens.map((t) => ({
      userId: t.userId,
      participantId: t.participantId,
      tokenExpiresAt: t.expiresAt,
    })),
    incidents: state.incidents,
    compositionRestarts: state.restarts,
    nextDeadline,
    ...(state.outcome ? { ending: showEnding(state) } : {}),
  };
}

export function buildResult(
  spec: ShowSpec,
  state: ShowState,
  outcome: ShowOutcome,
  recordingsIndex: ShowResult['recordingsIndex'],
): ShowResult {
  return {
    showId: spec.id,
    outcome,
    made: state.made,
    removed: state.removed,
    kept: state.kept,
    incidents: state.incidents,
    compositionRestarts: state.restarts,
    timings: {
      ...state.timings,
      scheduledStart: new Date(state.startAt).toISOString(),
      plannedEnd: new Date(state.endAt).toISOString(),
    },
    recordingsIndex,
    continuedAsNew: state.continuedAsNew,
    swept: state.swept,
    sweepCalls: state.sweepCalls,
  };
}
