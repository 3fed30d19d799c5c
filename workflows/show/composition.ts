import { getExternalWorkflowHandle, isCancellation, patched } from '@temporalio/workflow';
import { locationOf } from '../../contracts/arn';
import { isTerminal } from '../../contracts/composition';
import { rootMessage } from '../../contracts/errors';
import { compositionMonitorWorkflowId, compositionToken } from '../../contracts/ids';
import { pollNowSignal, unwatchCompositionSignal } from '../../contracts/monitor-messages';
import { ivsWithSummary, polls } from '../activity-proxies';
import { runInterruptible } from '../interruptible';
import { destinationsOf, layoutOf } from './plan';
import type { Show } from './show';
import type { CompositionRun } from './state';
import { createUncut } from './sweep';

/** Shows started before this change poll for STOPPED without being woken by events (see stopComposition). */
const TIDY_WAKES_ON_EVENTS = 'tidy-wakes-on-events';

/** Starts the show's next composition and has the account's monitor watch it. */
export async function startComposition(show: Show): Promise<void> {
  const { spec, state } = show;
  const composition = spec.composition!;
  show.setPhase('STARTING_COMPOSITION');
  const n = state.compositions.length + 1;
  let started;
  try {
    started = await createUncut(
      () =>
        ivsWithSummary(`Start composition ${n}`).startComposition({
          ...show.scope(),
          identity: show.identity,
          stageArn: state.stageArn!,
          idempotencyToken: compositionToken(state.runKey, n),
          layout: layoutOf(composition),
          destinations: destinationsOf(composition, {
            encoder: state.encoderConfigurationArn!,
            storage: state.compositeStorage?.arn,
          }),
          tags: spec.tags,
        }),
      (made) => {
        state.compositions.push({
          arn: made.arn,
          startedAt: show.iso(),
          state: made.state,
          destinations: made.destinations,
          recordingBucket: state.compositeStorage?.bucket,
        });
        state.made.push({ kind: 'composition', arn: made.arn });
      },
    );
  } catch (e) {
    if (!isCancellation(e)) show.incident({ kind: 'START_FAILED', detail: rootMessage(e) });
    throw e;
  }
  await ivsWithSummary('Register the composition with the monitor').watchComposition({
    compositionArn: started.arn,
    account: spec.account,
    showWorkflowId: show.identity.workflowId,
    pollIntervalMs: spec.policies.pollInterval,
  });
}

/**
 * Stops a composition and waits until IVS says it stopped, then stops watching it. `proxies` gives the activity
 * options (tidy-up's retry for an hour) with each call's summary.
 */
export async function stopComposition(show: Show, run: CompositionRun, proxies = ivsWithSummary): Promise<void> {
  await stopUntilStopped(show, run, proxies);
  await signalMonitor(show, run.arn, 'unwatch');
}

/**
 * Stops a composition and waits until IVS says it stopped; the caller unwatches it. `onStopAnswered` is called
 * once StopComposition has answered, before the wait for STOPPED.
 */
export async function stopUntilStopped(
  show: Show,
  run: CompositionRun,
  proxies = ivsWithSummary,
  onStopAnswered?: () => void,
): Promise<void> {
  show.stopping.add(run.arn);
  try {
    await stopAndWait(show, run, proxies, onStopAnswered);
  } finally {
    show.stopping.delete(run.arn);
  }
}

async function stopAndWait(
  show: Show,
  run: CompositionRun,
  proxies: typeof ivsWithSummary,
  onStopAnswered?: () => void,
): Promise<void> {
  const { state } = show;
  const n = state.compositions.indexOf(run) + 1;
  const stopped = await proxies(`Stop composition ${n}`).stopComposition({ ...show.scope(), arn: run.arn });
  onStopAnswered?.();
  let finalState = stopped.state;
  if (!isTerminal(finalState)) {
    // A stop takes seconds: poll soon, then back off, so tidy-up neither waits long nor spends the account's
    // GetComposition rate (the monitor queue's rate limit caps these polls fleet-wide).
    const { awaitCompositionStopped } = polls({
      taskQueue: show.monitorTaskQueue,
      intervalMs: 250,
      maxIntervalMs: 2_000,
      timeoutMs: 15 * 60_000,
      summary: `Wait until composition ${n} is STOPPED`,
    });
    const poll = () => awaitCompositionStopped({ ...show.scope(), arn: run.arn });
    if (!patched(TIDY_WAKES_ON_EVENTS)) finalState = (await poll()).state;
    else
      for (;;) {
        show.compositionPollNow = false;
        // An IVS event (the composition's Session End) says it changed: look now, not after the backoff.
        const outcome = await runInterruptible(poll, () => show.compositionPollNow);
        if (outcome.done) {
          finalState = outcome.value.state;
          break;
        }
      }
  }
  run.state = finalState;
  run.endedAt ??= show.iso();
  state.removed.push({ kind: 'composition', arn: run.arn });
  for (const d of run.destinations) delete state.reconnectingSince[d.id];
}

/** Tells the composition's monitor to stop watching it, or to poll now. */
export async function signalMonitor(show: Show, compositionArn: string, what: 'unwatch' | 'pollNow'): Promise<void> {
  const { region, account } = locationOf(compositionArn);
  const monitor = getExternalWorkflowHandle(compositionMonitorWorkflowId(show.monitorTaskQueue, account, region));
  try {
    if (what === 'unwatch') await monitor.signal(unwatchCompositionSignal, { compositionArn });
    else await monitor.signal(pollNowSignal);
  } catch {
    // A monitor that is not running watches nothing.
  }
}
