import { ivsEvent, toEventTime, type EventContext } from './event-envelope';
import type { IvsEvent } from './types';

export type StageUpdateEventName = 'Participant Published' | 'Participant Unpublished' | 'Participant Publish Error';

interface ParticipantRef {
  stageArn: string;
  /** Stage session id (`st-…`). */
  sessionId: string;
  participantId: string;
  /** The token's `userId`; empty string when the token had none. */
  userId: string;
}

export type StageUpdate = ParticipantRef &
  (
    | { eventName: 'Participant Published' | 'Participant Unpublished' }
    /** `errorCode` takes the API's EventErrorCode values, e.g. INSUFFICIENT_CAPABILITIES, QUOTA_EXCEEDED. */
    | { eventName: 'Participant Publish Error'; errorCode: string }
  );

/**
 * `IVS Stage Update`, `resources` [stageArn]. Emitted detail fields: `session_id`, `event_name`, `event_time`
 * (same instant as the envelope `time`), `user_id`, `participant_id`, and `error_code` on Participant Publish
 * Error. The newer participant-replication events are left out: their exact English event names could not be
 * confirmed, and emitting a guessed name would mislead rules written against real IVS.
 */
export function stageUpdateEvent(context: EventContext, update: StageUpdate): IvsEvent {
  const detail: Record<string, unknown> = {
    session_id: update.sessionId,
    event_name: update.eventName,
    event_time: toEventTime(context.time),
    user_id: update.userId,
    participant_id: update.participantId,
  };
  if ('errorCode' in update) detail.error_code = update.errorCode;
  return ivsEvent('IVS Stage Update', context, [update.stageArn], detail);
}
