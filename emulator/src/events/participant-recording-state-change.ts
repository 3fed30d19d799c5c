import { ivsEvent, type EventContext } from './event-envelope';
import type { IvsEvent } from './types';

export type ParticipantRecordingEventName =
  'Recording Start' | 'Recording End' | 'Recording Start Failure' | 'Recording End Failure';

interface RecordingRef {
  stageArn: string;
  /** Stage session id (`st-…`). */
  sessionId: string;
  participantId: string;
  bucket: string;
  keyPrefix: string;
}

export type ParticipantRecordingStateChange = RecordingRef &
  (
    | { eventName: 'Recording Start' | 'Recording End' }
    | { eventName: 'Recording Start Failure' | 'Recording End Failure'; reason: string }
  );

/**
 * `IVS Participant Recording State Change`, `resources` [stageArn]. Emitted detail fields: `session_id`,
 * `event_name`, `participant_id`, `recording_s3_bucket_name`, `recording_s3_key_prefix`, and on the two failure
 * events `recording_failure_reason` (free text). The failure field name is the emulator's best reading of the
 * User Guide, which shows no failure example; consumers should treat it as optional.
 */
export function participantRecordingStateChangeEvent(
  context: EventContext,
  change: ParticipantRecordingStateChange,
): IvsEvent {
  const detail: Record<string, unknown> = {
    session_id: change.sessionId,
    event_name: change.eventName,
    participant_id: change.participantId,
    recording_s3_bucket_name: change.bucket,
    recording_s3_key_prefix: change.keyPrefix,
  };
  if ('reason' in change) detail.recording_failure_reason = change.reason;
  return ivsEvent('IVS Participant Recording State Change', context, [change.stageArn], detail);
}
