import {
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { sameSnapshot, type CompositionSnapshot } from '../contracts/composition';
import { monitorPollIntervalMs } from '../contracts/monitor-pacing';
import {
  pollNowSignal,
  unwatchCompositionSignal,
  watchCompositionSignal,
  type CompositionMonitorInput,
  type CompositionWatch,
  type SignalOutcome,
} from '../contracts/monitor-messages';
import { compositionChangedSignal } from '../contracts/show-messages';
import { polls, temporalCalls } from './activity-proxies';
import { runInterruptible } from './interruptible';
import { signalOutcomeOf, watchesToDrop, type ChangedWatch } from './monitor-decisions';

type Watched = CompositionWatch & { known: CompositionSnapshot };

/** Monitors started before this change let every pollNow cancel the poll in flight. */
const WAKE_ONCE_PER_INTERVAL = 'poll-now-once-per-interval';
/** Monitors started before this change polled at the shows' shortest interval (10 s by default). */
const INTERVAL_FROM_BUDGET = 'monitor-interval-from-budget';
/** Monitors started before this change signalled the changed shows one after another, a workflow task each. */
const SIGNAL_AT_ONCE = 'monitor-signal-changed-shows-at-once';
/**
 * Monitors started before this change signalled the shows with signal-external commands. The server answers each
 * such command with an event in the monitor's own history, and each answer woke the monitor for another workflow
 * task: at 300 shows, 365 of a burst's 965 workflow tasks were the monitors'. A local activity sends the signals
 * from the worker and records one marker, all within the workflow task that saw the change.
 */
const SIGNAL_FROM_WORKER = 'monitor-signal-shows-from-local-activity';

const UNKNOWN = (arn: string): CompositionSnapshot => ({
  arn,
  state: 'GONE',
  destinations: [{ id: '?', state: 'UNKNOWN' }],
});

/**
 * Watches every show's composition in one account and region with a single ListCompositions per poll, and
 * signals a show only when its composition changed. History grows with changes, not with time: polls are
 * retried activity attempts, and the workflow continues as new when the server suggests it.
 */
export async function compositionMonitorWorkflow(input: CompositionMonitorInput): Promise<void> {
  const watches = new Map<string, Watched>((input.watches ?? []).map((w) => [w.compositionArn, w]));
  let watchesChanged = false;
  // An IVS event said a composition changed: poll at once instead of at the next interval.
  let pollNow = false;
  /** When an event last cut a poll short: events may do so at most once per poll interval. */
  let lastWokenAt = Number.NEGATIVE_INFINITY;
  setHandler(pollNowSignal, () => {
    pollNow = true;
  });
  setHandler(watchCompositionSignal, (watch) => {
    const existing = watches.get(watch.compositionArn);
    watches.set(watch.compositionArn, { ...watch, known: existing?.known ?? UNKNOWN(watch.compositionArn) });
    watchesChanged = true;
  });
  setHandler(unwatchCompositionSignal, ({ compositionArn }) => {
    watchesChanged = watches.delete(compositionArn) || watchesChanged;
  });

  for (;;) {
    if (watches.size === 0) {
      const resumed = await condition(() => watches.size > 0, input.idleTimeoutMs ?? 60 * 60_000);
      if (!resumed) return;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      // The memo goes along: the next run traces its workflow code exactly as this one (contracts/workflow-tracing.ts).
      await makeContinueAsNewFunc<typeof compositionMonitorWorkflow>({ memo: workflowInfo().memo })({
        ...input,
        watches: [...watches.values()],
      });
    }
    watchesChanged = false;
    pollNow = false;
    const list = [...watches.values()];
    const watchIntervals = list.map((w) => w.pollIntervalMs);
    const intervalMs = patched(INTERVAL_FROM_BUDGET)
      ? monitorPollIntervalMs(watchIntervals, list.length)
      : Math.min(...watchIntervals);
    const { pollCompositions } = polls({
      intervalMs,
      timeoutMs: 24 * 60 * 60_000,
      summary: `Poll ${list.length} composition${list.length === 1 ? '' : 's'} until one changes`,
    });
    // Events only bring a poll forward: however many shows' events arrive, they cancel a poll in flight at most
    // once per interval, so they never spend more than one extra poll per interval of the fleet's budget.
    const limitWakes = patched(WAKE_ONCE_PER_INTERVAL);
    const wakeAllowed = () => !limitWakes || Date.now() - lastWokenAt >= intervalMs;
    const outcome = await runInterruptible(
      () => pollCompositions({ region: input.region, account: input.account, known: list.map((w) => w.known) }),
      () => watchesChanged || (pollNow && wakeAllowed()),
    );
    if (!outcome.done) {
      if (!watchesChanged) lastWokenAt = Date.now();
      continue;
    }
    if (patched(SIGNAL_FROM_WORKER)) await signalChanged(watches, outcome.value, signalFromWorker);
    else if (patched(SIGNAL_AT_ONCE)) await signalChanged(watches, outcome.value, signalExternal);
    else await signalOneAfterAnother(watches, outcome.value);
  }
}

type SignalShows = (changed: readonly ChangedWatch[]) => Promise<SignalOutcome[]>;

/** From the worker, in one local activity (SIGNAL_FROM_WORKER). */
const signalFromWorker: SignalShows = (changed) =>
  temporalCalls.signalChangedShows(changed.map(({ showWorkflowId, snapshot }) => ({ showWorkflowId, snapshot })));

/** With a signal-external command per show, all from one workflow task (SIGNAL_AT_ONCE). */
const signalExternal: SignalShows = async (changed) =>
  (
    await Promise.allSettled(
      changed.map((c) => getExternalWorkflowHandle(c.showWorkflowId).signal(compositionChangedSignal, c.snapshot)),
    )
  ).map(signalOutcomeOf);

/**
 * Tells every show whose composition changed, all at once: the last show hears of a burst of changes as soon as the
 * first. A show that could not be reached loses its watch, and so does a purged composition.
 */
async function signalChanged(
  watches: Map<string, Watched>,
  snapshots: CompositionSnapshot[],
  signal: SignalShows,
): Promise<void> {
  const changed: (ChangedWatch & { watch: Watched })[] = [];
  for (const snapshot of snapshots) {
    const watch = watches.get(snapshot.arn);
    if (!watch || sameSnapshot(watch.known, snapshot)) continue;
    watch.known = snapshot;
    changed.push({ compositionArn: snapshot.arn, showWorkflowId: watch.showWorkflowId, snapshot, watch });
  }
  if (changed.length === 0) return;
  const outcomes = await signal(changed);
  for (const drop of watchesToDrop(changed, outcomes)) {
    if (drop.reason === 'show-gone')
      log.info('dropping watch of a show that no longer runs', { show: drop.showWorkflowId, error: drop.error });
    // A show may have watched the composition again while the signals were in flight: that watch stays.
    const current = watches.get(drop.compositionArn);
    if (current === changed.find((c) => c.compositionArn === drop.compositionArn)?.watch)
      watches.delete(drop.compositionArn);
  }
}

/** Before SIGNAL_AT_ONCE: a signal, and so a workflow task, per changed show. Kept for monitors started before it. */
async function signalOneAfterAnother(watches: Map<string, Watched>, snapshots: CompositionSnapshot[]): Promise<void> {
  for (const snapshot of snapshots) {
    const watch = watches.get(snapshot.arn);
    if (!watch || sameSnapshot(watch.known, snapshot)) continue;
    watch.known = snapshot;
    try {
      await getExternalWorkflowHandle(watch.showWorkflowId).signal(compositionChangedSignal, snapshot);
    } catch (e) {
      // The show is gone (completed or terminated): nobody needs this composition watched any more.
      log.info('dropping watch of a show that no longer runs', {
        show: watch.showWorkflowId,
        error: (e as Error).message,
      });
      watches.delete(snapshot.arn);
      continue;
    }
    // Purged: there is nothing left to watch.
    if (snapshot.state === 'GONE') watches.delete(snapshot.arn);
  }
}
