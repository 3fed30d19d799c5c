import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  isCancellation,
  patched,
  setCurrentDetails,
} from '@temporalio/workflow';
import { INVALID_SHOW_SPEC, showSpecProblems, specProblemsText } from '../../contracts/show-spec-check';
import { ENCODER_PRESETS } from '../../show-spec/encoder-presets';
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

/** Shows started before issue 11's re-validation ran with whatever spec they were given. */
const VALIDATE_SPEC_AT_START = 'validate-spec-at-start';
/** Shows started before issue 13 act on every IVS event (see Show.quietEvents). */
const QUIET_IVS_EVENTS = 'quiet-ivs-events';

/**
 * The spec is checked again here, before anything is made: a client that starts the workflow without the CLI
 * (or startShow) must not get an unchecked account, region, bucket or ARN to the activities. Non-retryable: the
 * same spec would fail the same way.
 */
function refuseInvalidSpec(spec: unknown): void {
  const problems = showSpecProblems(spec, Object.keys(ENCODER_PRESETS));
  if (problems.length === 0) return;
  const message = `Invalid show spec: ${specProblemsText(problems)}`;
  setCurrentDetails(
    `## Invalid show spec — nothing was made\n\n${problems.map((p) => `- \`${p.path}\`: ${p.rule}`).join('\n')}`,
  );
  throw ApplicationFailure.nonRetryable(message, INVALID_SHOW_SPEC, ...problems);
}

/**
 * A show's whole life as one durable workflow: wait for the slot, prepare the stage, keep a composition on air
 * until the planned end (recovering from destination failures and idle stops), tidy up everything it made,
 * then index the recordings. A continued run (continue-as-new) resumes on air.
 */
export async function showWorkflow(input: ShowWorkflowInput): Promise<ShowResult> {
  if (patched(VALIDATE_SPEC_AT_START)) refuseInvalidSpec(input.spec);
  const show = new Show(input);
  show.quietEvents = patched(QUIET_IVS_EVENTS);
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
