import { arnResourceId, ivsEvent, type EventContext } from './event-envelope';
import type { IvsEvent } from './types';

export type CompositionSessionEventName = 'Session Start' | 'Session End' | 'Session Failure';
export type CompositionDestinationEventName =
  'Destination Start' | 'Destination End' | 'Destination Failure' | 'Destination Reconnecting';
export type CompositionEventName = CompositionSessionEventName | CompositionDestinationEventName;

interface CompositionRef {
  compositionArn: string;
  stageArn: string;
}

export type CompositionStateChange = CompositionRef &
  (
    | { eventName: 'Session Start' | 'Session End' }
    | { eventName: 'Session Failure'; reason: string }
    | { eventName: 'Destination Start' | 'Destination End' | 'Destination Reconnecting'; destinationId: string }
    | { eventName: 'Destination Failure'; destinationId: string; reason: string }
  );

/**
 * `IVS Composition State Change`. Unlike the other detail-types, `resources[0]` is the composition ARN and the
 * stage ARN travels in the detail. Emitted detail fields:
 * - always: `session_id` (the composition id, as IVS reports it), `event_name`, `stage_arn`;
 * - Destination events: `id` (the destination id from GetComposition's `destinations[].id`);
 * - Session Failure / Destination Failure: `reason` (free text; IVS gives no stable code list).
 * The User Guide examples carry no `event_time` here, so consumers must use the envelope `time`.
 */
export function compositionStateChangeEvent(context: EventContext, change: CompositionStateChange): IvsEvent {
  const detail: Record<string, unknown> = {
    session_id: arnResourceId(change.compositionArn),
    event_name: change.eventName,
    stage_arn: change.stageArn,
  };
  if ('destinationId' in change) detail.id = change.destinationId;
  if ('reason' in change) detail.reason = change.reason;
  return ivsEvent('IVS Composition State Change', context, [change.compositionArn], detail);
}
