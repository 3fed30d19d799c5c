import type { RecordingsIndexDocument } from '../../activities/recordings';
import type { ShowEvent } from '../../timeline/show-timeline';

/**
 * Who published when, from the recordings index: IVS records each participant's publication from when it starts
 * publishing to when it stops (individual participant recording), so each recording's start and end bound a
 * publishing interval. The show's history only says when it first saw a publisher; where the index knows a
 * participant, its intervals replace that sighting. A recording without an end (still going, or unsettled when the
 * index was written) is left open.
 */
export function publisherEventsFromIndex(
  index: Pick<RecordingsIndexDocument, 'participants'>,
  userIds: Record<string, string>,
): ShowEvent[] {
  const events: ShowEvent[] = [];
  for (const participant of index.participants) {
    const who = userIds[participant.participantId] ?? participant.participantId;
    for (const recording of participant.recordings) {
      if (!recording.start) continue;
      events.push({ at: Date.parse(recording.start), type: 'publisher', who, published: true });
      if (recording.end) events.push({ at: Date.parse(recording.end), type: 'publisher', who, published: false });
    }
  }
  return events;
}

/** The history's events with its publisher sightings replaced by the index's intervals for the same publishers. */
export function withRecordedPublishers(history: ShowEvent[], recorded: ShowEvent[]): ShowEvent[] {
  const known = new Set(recorded.flatMap((e) => (e.type === 'publisher' ? [e.who] : [])));
  return [...history.filter((e) => e.type !== 'publisher' || !known.has(e.who)), ...recorded];
}
