import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  makeContinueAsNewFunc,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import { COMPOSITION_RESTART_LIMIT, STAGE_DELETED, STAGE_NOT_FOUND } from '../../contracts/failure-types';
import type { ShowOutcome } from '../../contracts/show-status';
import { polls } from '../activity-proxies';
import { runInterruptible } from '../interruptible';
import { signalMonitor, startComposition, stopComposition } from './composition';
import {
  applySnapshot,
  livePhase,
  outcomeWithoutPublisher,
  publisherWaitDeadline,
  reconnectDeadline,
  restartBudgetSpent,
  restartDelayMs,
} from './decisions';
import type { Show } from './show';
import type { showWorkflow } from './show-workflow';
import type { CompositionRun } from './state';

/**
 * The show on air until its end: without a composition it just waits; with one it waits for a publisher (when the
 * policy says so), starts the composition and keeps it on air, replacing it when it fails and waiting for a
 * publisher again when IVS stops it for want of one. Continues as new when history grows long.
 */
export async function runLive(show: Show): Promise<ShowOutcome> {
  const { spec, state } = show;
  let needPublisher = spec.policies.startComposition === 'on-first-publisher' && state.compositions.length === 0;
  for (;;) {
    if (show.endReached()) return 'COMPLETED';
    if (show.continueAsNewDue()) await continueAsNewNow(show);
    if (!spec.composition?.enabled) {
      show.setPhase('LIVE');
      await condition(() => show.endReached() || show.continueAsNewDue(), Math.max(1, state.endAt - show.now()));
      continue;
    }
    const run = show.live();
    if (run) {
      if (await keepOnAir(show, run)) needPublisher = true;
      continue;
    }
    if (needPublisher) {
      const seen = await waitForPublisher(show);
      if (seen === 'ended') return 'COMPLETED';
      if (seen === 'timeout') {
        const waited = Math.round(spec.policies.publisherWaitTimeout / 1000);
        show.incident({ kind: 'NO_PUBLISHER', detail: `nobody published within ${waited} s` });
        return outcomeWithoutPublisher(state);
      }
      needPublisher = false;
    }
    await startComposition(show);
  }
}

async function continueAsNewNow(show: Show): Promise<never> {
  const { state } = show;
  await condition(allHandlersFinished);
  // The memo goes along explicitly: the next run must trace its workflow code exactly as this one did
  // (contracts/workflow-tracing.ts), and the SDK sends no memo on continue-as-new unless given one.
  return makeContinueAsNewFunc<typeof showWorkflow>({ memo: workflowInfo().memo })({
    ...show.input,
    carried: { ...state, continuedAsNew: state.continuedAsNew + 1 },
  });
}

/**
 * Waits for whatever concerns the composition on air — a snapshot from the monitor, a restart request, an event,
 * the reconnect tolerance running out, the end — and acts on it. True when IVS stopped the composition on its own.
 */
async function keepOnAir(show: Show, run: CompositionRun): Promise<boolean> {
  const { spec, state } = show;
  show.setPhase(livePhase(state, run));
  const reconnectBy = reconnectDeadline(state, spec.policies.reconnectingTolerance);
  await condition(
    () =>
      show.endReached() ||
      !!state.pendingSnapshot ||
      state.restartRequested !== undefined ||
      show.compositionPollNow ||
      show.now() >= reconnectBy ||
      show.continueAsNewDue(),
    Math.max(1, Math.min(state.endAt, reconnectBy) - show.now()),
  );
  if (show.compositionPollNow) {
    show.compositionPollNow = false;
    show.lastPollNowAt = show.now();
    await signalMonitor(show, run.arn, 'pollNow');
  }
  if (state.restartRequested !== undefined) {
    show.incident({ kind: 'RESTART_REQUESTED', detail: state.restartRequested, compositionArn: run.arn });
    await replaceComposition(show, run, state.restartRequested, true);
    state.restartRequested = undefined;
    return false;
  }
  const snapshot = state.pendingSnapshot;
  if (snapshot) {
    state.pendingSnapshot = undefined;
    // A snapshot that arrived while a restart was stopping the previous composition describes that one.
    if (snapshot.arn !== run.arn) return false;
    const { verdict, incidents } = applySnapshot(state, run, snapshot, show.now());
    for (const incident of incidents) show.incident(incident);
    if (verdict === 'replace') await replaceComposition(show, run, 'composition or destination failed', false);
    if (verdict !== 'stopped') return false;
    await signalMonitor(show, run.arn, 'unwatch');
    return true;
  }
  if (show.now() >= reconnectBy) {
    const tolerance = Math.round(spec.policies.reconnectingTolerance / 1000);
    show.incident({
      kind: 'RECONNECTING_TOO_LONG',
      detail: `a destination was RECONNECTING for more than ${tolerance} s`,
      compositionArn: run.arn,
    });
    await replaceComposition(show, run, 'destination reconnecting beyond tolerance', false);
  }
  return false;
}

/** Stops the composition and backs off before the live loop starts the next; fails the show past the budget. */
async function replaceComposition(show: Show, run: CompositionRun, reason: string, manual: boolean): Promise<void> {
  const { state } = show;
  const { policies } = show.spec;
  if (restartBudgetSpent(state, policies, manual)) {
    const detail = `${state.restarts} restarts already; giving up: ${reason}`;
    show.incident({ kind: 'RESTART_LIMIT_REACHED', detail, compositionArn: run.arn });
    throw ApplicationFailure.nonRetryable(
      `Composition restart limit (${policies.maxCompositionRestarts}) reached: ${reason}`,
      COMPOSITION_RESTART_LIMIT,
    );
  }
  show.setPhase('RECOVERING');
  await stopComposition(show, run);
  state.restarts++;
  if (!manual) state.automaticRestarts = (state.automaticRestarts ?? 0) + 1;
  show.incident({
    kind: 'COMPOSITION_RESTARTED',
    detail: `restart ${state.restarts}: ${reason}`,
    compositionArn: run.arn,
  });
  const delay = restartDelayMs(policies.restartBackoff, state.restarts);
  if (delay > 0) await condition(() => show.endReached(), delay);
}

/** Polls the stage until someone publishes, woken early by IVS events; gives up at the policy's timeout. */
async function waitForPublisher(show: Show): Promise<'seen' | 'ended' | 'timeout'> {
  const { spec, state } = show;
  show.setPhase('WAITING_FOR_PUBLISHER');
  const deadline = publisherWaitDeadline(spec.policies, state, show.now());
  try {
    for (;;) {
      show.publisherPollNow = false;
      const { awaitPublisher } = polls({
        taskQueue: show.monitorTaskQueue,
        intervalMs: spec.policies.pollInterval,
        timeoutMs: Math.max(1_000, deadline - show.now()),
        summary: 'Wait for the first publisher',
      });
      const outcome = await runInterruptible(
        () => awaitPublisher({ ...show.scope(), stageArn: state.stageArn!, hint: show.publisherHint }),
        () => show.endReached() || show.publisherPollNow,
      );
      if (outcome.done) break;
      if (show.endReached()) return 'ended';
      // An event said someone published: poll again right away instead of at the next interval.
    }
    state.timings.firstPublisherAt ??= show.iso();
    return 'seen';
  } catch (e) {
    if (isCancellation(e)) throw e;
    if ((e as { cause?: { type?: string } }).cause?.type === STAGE_NOT_FOUND) {
      const detail = `stage ${state.stageArn} was deleted outside the show`;
      show.incident({ kind: 'STAGE_DELETED', detail });
      throw ApplicationFailure.nonRetryable(`Stage ${state.stageArn} was deleted outside the show`, STAGE_DELETED);
    }
    return show.endReached() ? 'ended' : 'timeout';
  }
}
