import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ParticipantEntry } from '../../activities/recordings';
import { publisherEventsFromIndex, withRecordedPublishers } from '../../client/report/recordings-events';
import { showFigures } from '../../timeline/show-figures';
import { buildTimeline, type ShowEvent } from '../../timeline/show-timeline';

const T0 = Date.parse('2026-03-01T20:00:00Z');
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const recording = (start: number | null, end: number | null) =>
  ({
    start: start === null ? null : iso(start),
    end: end === null ? null : iso(end),
  }) as ParticipantEntry['recordings'][number];

void describe('publishers from the recordings index', () => {
  void test('recordings bound publishing intervals and replace the history’s sighting of the same publisher', () => {
    const participants: ParticipantEntry[] = [
      { participantId: 'p-alice', sessionId: 's1', recordings: [recording(10, 100), recording(120, 300)] },
      { participantId: 'p-bob', sessionId: 's1', recordings: [recording(50, null), recording(null, null)] },
    ];
    const history: ShowEvent[] = [
      { at: T0 + 11_000, type: 'publisher', who: 'alice', published: true },
      { at: T0 + 1_000, type: 'phase', phase: 'LIVE' },
    ];
    const events = withRecordedPublishers(history, publisherEventsFromIndex({ participants }, { 'p-alice': 'alice' }));
    assert.equal(events.filter((e) => e.type === 'phase').length, 1);
    const f = showFigures(buildTimeline(events, { start: T0, end: T0 + 400_000 }));
    assert.deepEqual(f.publishers, [
      { who: 'alice', firstSeenAt: T0 + 10_000, publishedMs: 90_000 + 180_000 },
      // No end recorded (still publishing when the index was written): open, so no published time is claimed.
      { who: 'p-bob', firstSeenAt: T0 + 50_000, publishedMs: undefined },
    ]);
  });
});
