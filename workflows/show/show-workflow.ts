import { ApplicationFailure, CancellationScope, ContinueAsNew, isCancellation } from '@temporalio/workflow';
import { SHOW_FAILED } from '../../contracts/failure-types';
import type { ShowOutcome, ShowResult } from '../../contracts/show-status';
import { endReasonOf, failureCause, finalPhase } from './decisions';
import { registerHandlers } from './handlers';
import { indexRecordings } from './indexing';
import { runLive } from './live';
import { prepareWhenDue } from './prepare';
import { buildResult } from './reports';
import { Show, type ShowWorkflowInput } from './show';
import { tidyUp } from './tidy-up';

export type { ShowWorkflowInput };

/**
 * A show's whole life as one durable workflow: wait for the slot, prepare the stage, keep a composition on air
 * until the planned end (recovering from destination failures and idle stops), tidy up everything it made,
 * then index the recordings. A continued run (continue-as-new) resumes on air.
 */
export async function showWorkflow(input: ShowWorkflowInput): Promise<ShowResult> {
  const show = new Show(input);
  registerHandlers(show);

  let outcome: ShowOutcome;
  let failure: unknown;
  try {
    const ready = input.carried !== undefined || (await prepareWhenDue(show));
    outcome = ready ? await runLive(show) : 'ENDED_BEFORE_START';
    show.setPhase('ENDING');
  } catch (e) {
    if (e instanceof ContinueAsNew) throw e;
    failure = e;
    outcome = isCancellation(e) ? 'CANCELLED' : 'FAILED';
    if (outcome === 'FAILED') show.state.failure = failureCause(e, show.state.phase);
  }
  // What the status and the Web UI say from here on: the outcome and why, not the show as if it were still live.
  show.state.outcome = outcome;
  show.state.endReason = endReasonOf(outcome, show.state, show.state.failure);
  show.state.timings.endedAt = show.iso();

  // Tidy-up runs whatever happened, and a cancellation must not cancel it; a cancelled show indexes nothing.
  await CancellationScope.nonCancellable(() => tidyUp(show));
  const recordingsIndex =
    outcome === 'CANCELLED' ? undefined : await CancellationScope.nonCancellable(() => indexRecordings(show));
  show.state.recordingsIndexUri = recordingsIndex?.location.uri;
  show.setPhase(finalPhase(outcome));

  if (failure) throw failure instanceof Error ? failure : ApplicationFailure.nonRetryable('show failed', SHOW_FAILED);
  return buildResult(show.spec, show.state, outcome, recordingsIndex);
}
