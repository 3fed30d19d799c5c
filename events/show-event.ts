import type { ShowIvsEvent } from '../contracts/show-messages';
import { publisherHintOf } from '../contracts/stage';
import type { IvsEventInput } from './ivs-event-schema';

/**
 * The ARNs that may lead to the show, in order. `resources[0]` is the event's subject (the stage, or for
 * composition events the composition); a composition event also names its stage, which is the fallback when
 * the composition is already gone.
 */
export function candidateArns(event: IvsEventInput): string[] {
  const arns = [event.resources[0]!];
  const stageArn = event.detail.stage_arn;
  if (stageArn && stageArn !== arns[0]) arns.push(stageArn);
  return arns;
}

/**
 * The candidates with one already known to lead to a show moved first, so a composition event costs no look-up
 * when its stage's show is known (a new composition's first event otherwise waits for a ListTagsForResource). A
 * show makes the compositions on its stages, so both lead to the same show; a composition someone else started on
 * a show's stage only wakes that show to find it is not its own.
 */
export function knownFirst(arns: string[], known: (arn: string) => boolean): string[] {
  const i = arns.findIndex(known);
  return i <= 0 ? arns : [arns[i]!, ...arns.slice(0, i), ...arns.slice(i + 1)];
}

/**
 * The signal payload: what the show needs to decide what to poll, nothing more. The show relies on no field of an
 * event beyond waking a poll early: the user guide calls EventBridge delivery best effort (events can be missing,
 * late or out of order), so every decision is made on what the API answers.
 */
export function showEventOf(event: IvsEventInput): ShowIvsEvent {
  return {
    detailType: event['detail-type'],
    eventName: event.detail.event_name,
    resourceArn: event.resources[0]!,
    time: event.time,
    // Stage Update events carry the participant and its session: a hint for the publisher poll (never a decision).
    ...publisherHintOf(event.detail.session_id, event.detail.participant_id),
  };
}
