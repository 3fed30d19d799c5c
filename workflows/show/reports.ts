import type { ShowOutcome, ShowResult, ShowStatus } from '../../contracts/show-status';
import type { ShowSpec } from '../../show-spec/show-spec';
import type { ShowState } from './state';

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
      stageArn: state.stageArn,
      ingestConfigurationArn: state.ingestConfigurationArn,
      compositionArn: run?.arn,
      encoderConfigurationArn: state.encoderConfigurationArn,
      storageConfigurationArns: [state.participantStorage?.arn, state.compositeStorage?.arn].filter(
        (a): a is string => !!a,
      ),
    },
    composition: run && {
      arn: run.arn,
      state: run.state,
      destinations: run.destinations.map((d) => ({ id: d.id, kind: d.kind, state: d.state })),
    },
    participants: state.tokens.map((t) => ({
      userId: t.userId,
      participantId: t.participantId,
      tokenExpiresAt: t.expiresAt,
    })),
    incidents: state.incidents,
    compositionRestarts: state.restarts,
    nextDeadline,
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
