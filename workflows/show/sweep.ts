import { CancellationScope, patched } from '@temporalio/workflow';
import { rootMessage } from '../../contracts/errors';
import { dedupe, type ShowResource } from '../../contracts/show-resources';
import { ivsWithSummary, tidyWithSummary } from '../activity-proxies';
import { countOf } from './count-of';
import { addCalls, recordedResources, refOf, sweepPlan } from './decisions';
import type { Show } from './show';

/**
 * Shows started before retry-safe resources (issue 10) create in cancellable scopes, issue tokens before the
 * ingest configuration and never sweep; their recorded histories must replay as they ran.
 */
const RETRY_SAFE_RESOURCES = 'retry-safe-resources';
export const retrySafeResources = () => patched(RETRY_SAFE_RESOURCES);

/**
 * Runs a create so that cancelling the show does not cut it, records its result, and only then lets a
 * cancellation that came meanwhile take effect. A cancelled activity's result never reaches the workflow, so a
 * CreateStage cancelled in flight would land unrecorded and leak; here it finishes (or times out) and tidy-up
 * knows what it made.
 */
export async function createUncut<T>(create: () => Promise<T>, record: (made: T) => void): Promise<T> {
  if (!retrySafeResources()) {
    const made = await create();
    record(made);
    return made;
  }
  const made = await CancellationScope.nonCancellable(create);
  record(made);
  const scope = CancellationScope.current();
  if (scope.consideredCancelled) await scope.cancelRequested;
  return made;
}

/** The show's ingest configuration's name: the sweep checks a detached configuration's tags only by this name. */
export const ingestConfigurationNameOf = (showId: string) => `show-${showId}-ingest`;

function sweepInput(show: Show) {
  return {
    ...show.scope(),
    identity: show.identity,
    ingestConfigurationName: ingestConfigurationNameOf(show.spec.id),
    // One more List call per sweep, only for shows that import a key (an earlier attempt's import may have landed).
    ...(show.spec.audience?.enabled ? { publicKeys: true } : {}),
  };
}

function noteSwept(show: Show, removed: { kind: ShowResource['kind']; arn: string; outcome: string }[]) {
  const { state } = show;
  for (const r of removed) if (r.outcome === 'removed') (state.swept ??= []).push(refOf(r));
}

/**
 * After the creates of preparation: a kind the show makes once that IVS holds twice under the run tag (a create
 * that landed after its attempt gave up on it) is deleted at once, keeping the recorded one (dedupe decides), and
 * is an incident. Tidy-up's sweep is the backstop if this fails.
 */
export async function removeDuplicates(show: Show): Promise<void> {
  const { state } = show;
  const recorded = recordedResources(state);
  // What the show recorded is its own: the look-up spends its calls on finding what it did not record.
  const found = await ivsWithSummary('Look for duplicates under the run tag').findShowResources({
    ...sweepInput(show),
    knownMine: recorded.ingestConfigurationArn ? [recorded.ingestConfigurationArn] : [],
  });
  state.sweepCalls = addCalls(state.sweepCalls ?? {}, found.calls);
  const { remove } = dedupe(found.resources, recorded);
  if (remove.length === 0) return;
  const removed = await ivsWithSummary(`Delete ${countOf(remove.length, 'duplicate')}`).removeShowResources({
    ...show.scope(),
    identity: show.identity,
    resources: remove.map(({ kind, arn }) => ({ kind, arn })),
  });
  state.sweepCalls = addCalls(state.sweepCalls, removed.calls);
  noteSwept(show, removed.results);
  for (const r of remove) show.incident({ kind: 'DUPLICATE_REMOVED', detail: `duplicate ${r.kind} ${r.arn} deleted` });
}

/**
 * The last step of tidy-up: what IVS holds under the run tag, recorded or not, is removed (except what the policy
 * keeps). A create whose result was lost, or that landed after the show stopped waiting for it, is found here.
 */
export async function sweepLeftovers(show: Show): Promise<void> {
  const { state } = show;
  if (!state.prepareStarted && !state.stageArn) return;
  try {
    const found = await tidyWithSummary('Sweep what IVS holds under the run tag').findShowResources(sweepInput(show));
    state.sweepCalls = addCalls(state.sweepCalls ?? {}, found.calls);
    state.sweptAt = show.iso();
    const { remove, unrecorded } = sweepPlan(found.resources, state);
    state.swept ??= [];
    if (remove.length > 0) {
      const removed = await tidyWithSummary(
        `Remove ${countOf(remove.length, 'resource')} left under the run tag`,
      ).removeShowResources({
        ...show.scope(),
        identity: show.identity,
        resources: remove.map(({ kind, arn }) => ({ kind, arn })),
      });
      state.sweepCalls = addCalls(state.sweepCalls, removed.calls);
      noteSwept(show, removed.results);
    }
    for (const r of unrecorded)
      show.incident({ kind: 'UNRECORDED_SWEPT', detail: `${r.kind} ${r.arn} was under the run tag but not recorded` });
  } catch (e) {
    show.incident({ kind: 'TIDY_UP_FAILED', detail: `sweep of the run tag: ${rootMessage(e)}` });
  }
}
