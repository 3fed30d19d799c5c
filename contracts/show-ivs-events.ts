/**
 * The IVS EventBridge events a show acts on (the show's `ivsEvent` signal, contracts/show-messages.ts). Events are
 * best effort — late, duplicated, out of order — so they only wake the show up early; the poll result stays the
 * truth. Imports nothing, so the workflow sandbox shares it (workflows/shared-modules.ts).
 */

/** The EventBridge detail types of the IVS events a show acts on (the user guide's "Using EventBridge with IVS"). */
export const STAGE_UPDATE = 'IVS Stage Update';
export const COMPOSITION_STATE_CHANGE = 'IVS Composition State Change';
/** The Stage Update event that wakes the wait for a publisher. */
export const PARTICIPANT_PUBLISHED = 'Participant Published';

export interface ShowIvsEvent {
  detailType: string;
  eventName: string;
  resourceArn: string;
  time: string;
  /** A Stage Update event's session and participant (see PublisherHint), when they fit their shapes. */
  sessionId?: string;
  participantId?: string;
}

/**
 * What an IVS event can wake in a show: the wait for a publisher (someone published), or the composition's poll
 * (any state change of a composition). Anything else (a participant joining or leaving…) changes nothing a show
 * decides on. The show applies it (workflows/show/decisions.ts); the events endpoint may use it to skip signals.
 */
export function ivsEventWakes(event: Pick<ShowIvsEvent, 'detailType' | 'eventName'>): {
  publisher: boolean;
  composition: boolean;
} {
  return {
    publisher: event.detailType === STAGE_UPDATE && event.eventName === PARTICIPANT_PUBLISHED,
    composition: event.detailType === COMPOSITION_STATE_CHANGE,
  };
}

/** Composition events that say a composition has stopped: what a show waiting for STOPPED looks again on. */
export const endsComposition = (event: Pick<ShowIvsEvent, 'eventName'>) =>
  event.eventName === 'Session End' || event.eventName === 'Session Failure';
