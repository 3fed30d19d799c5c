import type { ShowIvsEvent } from '../contracts/show-messages';
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
  };
}
