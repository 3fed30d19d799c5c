import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IndexBuilder } from '../../activities/recordings/index-document';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import { figuresMarkdown, formatAvailability, formatDuration } from '../../timeline/figures-markdown';
import { showFigures, unionLength } from '../../timeline/show-figures';
import { buildTimeline, type ShowEvent } from '../../timeline/show-timeline';
import { eventsFromState } from '../../timeline/state-events';
import { currentDetailsMarkdown } from '../../workflows/show/details';
import { initialState, type ShowState } from '../../workflows/show/state';

const T0 = Date.parse('2026-03-01T20:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;
const A = 'arn:aws:ivs:us-east-1:123456789012:composition/A';
const B = 'arn:aws:ivs:us-east-1:123456789012:composition/B';

/**
 * A show with a channel and an S3 destination: on air at 12 s, the channel RECONNECTING at 100 s and FAILED at
 * 110 s, composition A stopped at 114 s and replaced by B (started 116 s, ACTIVE 120 s), ending at 600 s.
 */
function recoveredShow(): ShowEvent[] {
  const phases = [
    [0, 'SCHEDULED'],
    [1, 'PREPARING'],
    [2, 'WAITING_FOR_PUBLISHER'],
    [10, 'STARTING_COMPOSITION'],
    [12, 'LIVE'],
    [100, 'RECOVERING'],
    [120, 'LIVE'],
    [600, 'ENDING'],
    [601, 'TIDYING'],
    [610, 'COMPLETED'],
  ] as const;
  return [
    ...phases.map(([at, phase]): ShowEvent => ({ at: s(at), type: 'phase', phase })),
    { at: s(11), type: 'publisher', who: 'alice', published: true },
    {
      at: s(10),
      type: 'composition-started',
      compositionArn: A,
      destinations: [
        { id: 'cA', kind: 'channel' },
        { id: 'sA', kind: 's3' },
      ],
    },
    { at: s(12), type: 'destination-state', compositionArn: A, destinationId: 'cA', state: 'ACTIVE' },
    { at: s(12), type: 'destination-state', compositionArn: A, destinationId: 'sA', state: 'ACTIVE' },
    { at: s(100), type: 'destination-state', compositionArn: A, destinationId: 'cA', state: 'RECONNECTING' },
    { at: s(100), type: 'incident', kind: 'DESTINATION_RECONNECTING', detail: 'channel', destinationId: 'cA' },
    { at: s(110), type: 'destination-state', compositionArn: A, destinationId: 'cA', state: 'FAILED' },
    { at: s(114), type: 'composition-ended', compositionArn: A, state: 'STOPPED' },
    { at: s(115), type: 'restart', compositionArn: A, manual: false },
    {
      at: s(116),
      type: 'composition-started',
      compositionArn: B,
      destinations: [
        { id: 'cB', kind: 'channel' },
        { id: 'sB', kind: 's3' },
      ],
    },
    { at: s(120), type: 'destination-state', compositionArn: B, destinationId: 'cB', state: 'ACTIVE' },
    { at: s(120), type: 'destination-state', compositionArn: B, destinationId: 'sB', state: 'ACTIVE' },
    { at: s(590), type: 'publisher', who: 'alice', published: false },
    { at: s(605), type: 'composition-ended', compositionArn: B, state: 'STOPPED' },
  ];
}

void describe('show timeline', () => {
  void test('phases, destination rows across a restart, publishers and the ending', () => {
    // Shuffled: the events' order must not matter, only their times.
    const events = recoveredShow().reverse();
    const t = buildTimeline(events, { start: s(0), end: s(620) });
    assert.deepEqual(
      t.phases.map((p) => [p.phase, (p.start - T0) / 1000, (p.end - T0) / 1000]),
      [
        ['SCHEDULED', 0, 1],
        ['PREPARING', 1, 2],
        ['WAITING_FOR_PUBLISHER', 2, 10],
        ['STARTING_COMPOSITION', 10, 12],
        ['LIVE', 12, 100],
        ['RECOVERING', 100, 120],
        ['LIVE', 120, 600],
        ['ENDING', 600, 601],
        ['TIDYING', 601, 610],
        ['COMPLETED', 610, 620],
      ],
    );
    assert.equal(t.endingAt, s(600));
    assert.deepEqual(t.rows, [
      { row: 'channel', kind: 'channel' },
      { row: 's3', kind: 's3' },
    ]);
    const channel = t.destinations
      .filter((d) => d.row === 'channel')
      .map((d) => [d.destinationId, d.state, (d.start - T0) / 1000, (d.end - T0) / 1000]);
    assert.deepEqual(channel, [
      ['cA', 'STARTING', 10, 12],
      ['cA', 'ACTIVE', 12, 100],
      ['cA', 'RECONNECTING', 100, 110],
      ['cA', 'FAILED', 110, 114],
      ['cB', 'STARTING', 116, 120],
      ['cB', 'ACTIVE', 120, 605],
    ]);
    assert.deepEqual(t.publishers, [{ who: 'alice', start: s(11), end: s(590), open: false }]);
  });

  void test('phases entered at the same instant, and the last one at the very end, are all kept', () => {
    const t = buildTimeline(
      [
        { at: s(0), type: 'phase', phase: 'LIVE' },
        { at: s(5), type: 'phase', phase: 'ENDING' },
        { at: s(5), type: 'phase', phase: 'TIDYING' },
        { at: s(9), type: 'phase', phase: 'COMPLETED' },
      ],
      { start: s(0), end: s(9) },
    );
    assert.deepEqual(
      t.phases.map((p) => [p.phase, p.end - p.start]),
      [
        ['LIVE', 5_000],
        ['ENDING', 0],
        ['TIDYING', 4_000],
        ['COMPLETED', 0],
      ],
    );
    assert.equal(t.endingAt, s(5));
  });

  void test('events outside the window are clamped; open intervals end with the window (a running show)', () => {
    const t = buildTimeline(
      [
        { at: s(-5), type: 'phase', phase: 'LIVE' },
        { at: s(1), type: 'composition-started', compositionArn: A, destinations: [{ id: 'c', kind: 'channel' }] },
        { at: s(2), type: 'destination-state', compositionArn: A, destinationId: 'c', state: 'ACTIVE' },
        { at: s(3), type: 'publisher', who: 'bob', published: true },
      ],
      { start: s(0), end: s(30) },
    );
    assert.deepEqual(t.phases, [{ phase: 'LIVE', start: s(0), end: s(30) }]);
    assert.equal(t.destinations.at(-1)!.end, s(30));
    assert.deepEqual(t.publishers, [{ who: 'bob', start: s(3), end: s(30), open: true }]);
    assert.equal(t.endingAt, undefined);
  });
});

void describe('show figures', () => {
  void test('time on air, availability, outages with time to recover, restarts and recordings', () => {
    const f = showFigures(buildTimeline(recoveredShow(), { start: s(0), end: s(620) }));
    assert.deepEqual(f.onAir, { start: s(12), end: s(600) });
    // Channel ACTIVE 12–100 and 120–600 of the 588 s window.
    assert.equal(f.timeOnAirMs, 568_000);
    assert.deepEqual(
      f.destinations.map((d) => [d.row, d.activeMs, d.availability]),
      [
        ['channel', 568_000, 568 / 588],
        ['s3', 582_000, 582 / 588],
      ],
    );
    assert.deepEqual(f.outages, [
      {
        row: 'channel',
        start: s(100),
        cause: 'RECONNECTING',
        recoveredAt: s(120),
        timeToRecoverMs: 20_000,
        restarts: 1,
      },
      // The restart (115 s) came after the S3 row went off with composition A (114 s): it counts there too.
      { row: 's3', start: s(114), cause: 'OFF', recoveredAt: s(120), timeToRecoverMs: 6_000, restarts: 1 },
    ]);
    assert.deepEqual(f.restarts, { count: 1, manual: 0, automatic: 1 });
    // S3 ACTIVE 12–114 (A) and 120–605 (B): recording continues into the tidy-up until B stops.
    assert.deepEqual(f.recordings, { segments: 2, recordedMs: 587_000 });
    assert.deepEqual(f.publishers, [{ who: 'alice', firstSeenAt: s(11), publishedMs: 579_000 }]);
    assert.equal(f.incidents, 1);
  });

  void test('a destination that never comes back has an outage without a recovery', () => {
    const events = recoveredShow().filter((e) => !(e.type === 'destination-state' && e.destinationId === 'cB'));
    const f = showFigures(buildTimeline(events, { start: s(0), end: s(620) }));
    const last = f.outages.filter((o) => o.row === 'channel').at(-1)!;
    assert.equal(last.start, s(100));
    assert.equal(last.recoveredAt, undefined);
    assert.equal(last.timeToRecoverMs, undefined);
    assert.equal(f.destinations[0]!.activeMs, 88_000);
  });

  void test('a restart decided while a row is still ACTIVE counts towards the outage it causes', () => {
    // As on IVS: the show stops composition A (restart at 113 s) while its S3 destination still records.
    const events = recoveredShow().map((e) => (e.type === 'restart' ? { ...e, at: s(113) } : e));
    const f = showFigures(buildTimeline(events, { start: s(0), end: s(620) }));
    assert.deepEqual(
      f.outages.map((o) => [o.row, o.restarts]),
      [
        ['channel', 1],
        ['s3', 1],
      ],
    );
  });

  void test('a publisher whose end is not recorded has no published time, only when it was seen', () => {
    const events = recoveredShow().filter((e) => !(e.type === 'publisher' && !e.published));
    const f = showFigures(buildTimeline(events, { start: s(0), end: s(620) }));
    assert.deepEqual(f.publishers, [{ who: 'alice', firstSeenAt: s(11), publishedMs: undefined }]);
    assert.ok(figuresMarkdown(f).includes('| Publisher alice | seen publishing at 2026-03-01T20:00:11Z |'));
  });

  void test('a show that never went on air has no window, no availability and no outages', () => {
    const f = showFigures(
      buildTimeline(
        [
          { at: s(0), type: 'phase', phase: 'WAITING_FOR_PUBLISHER' },
          { at: s(1), type: 'composition-started', compositionArn: A, destinations: [{ id: 'c', kind: 'channel' }] },
          { at: s(60), type: 'phase', phase: 'COMPLETED' },
        ],
        { start: s(0), end: s(70) },
      ),
    );
    assert.equal(f.onAir, undefined);
    assert.equal(f.timeOnAirMs, 0);
    assert.equal(f.destinations[0]!.availability, undefined);
    assert.deepEqual(f.outages, []);
  });

  void test('unionLength counts overlapping spans once and clips to the window', () => {
    assert.equal(
      unionLength(
        [
          { start: 0, end: 10 },
          { start: 5, end: 15 },
          { start: 20, end: 30 },
          { start: 25, end: 26 },
        ],
        { start: 2, end: 28 },
      ),
      13 + 8,
    );
  });
});

void describe('figures from the show state (the workflow side)', () => {
  void test('incidents give the destination states; the restart is marked requested when the operator asked', () => {
    const state = {
      compositions: [
        {
          arn: A,
          startedAt: new Date(s(10)).toISOString(),
          endedAt: new Date(s(114)).toISOString(),
          destinations: [{ id: 'cA', kind: 'channel', state: 'STOPPED' }],
        },
        {
          arn: B,
          startedAt: new Date(s(116)).toISOString(),
          endedAt: new Date(s(605)).toISOString(),
          destinations: [{ id: 'cB', kind: 'channel', state: 'STOPPED' }],
        },
      ],
      incidents: [
        {
          at: new Date(s(100)).toISOString(),
          kind: 'DESTINATION_RECONNECTING',
          compositionArn: A,
          destinationId: 'cA',
          detail: 'x',
        },
        { at: new Date(s(112)).toISOString(), kind: 'RESTART_REQUESTED', compositionArn: A, detail: 'operator' },
        { at: new Date(s(115)).toISOString(), kind: 'COMPOSITION_RESTARTED', compositionArn: A, detail: 'restart 1' },
      ],
      timings: { compositionActiveAt: new Date(s(12)).toISOString(), endedAt: new Date(s(600)).toISOString() },
    } as unknown as ShowState;
    const f = showFigures(buildTimeline(eventsFromState(state), { start: s(0), end: s(610) }));
    assert.deepEqual(f.onAir, { start: s(12), end: s(600) });
    // ACTIVE 12–100, then (from the state, B counts from its start) 116–600.
    assert.equal(f.destinations[0]!.activeMs, 88_000 + 484_000);
    assert.deepEqual(f.restarts, { count: 1, manual: 1, automatic: 0 });
    assert.equal(f.outages[0]!.timeToRecoverMs, 16_000);
  });
});

void describe('figures as Markdown', () => {
  void test('durations and availability read as people expect; an outage is never rounded up to 100 %', () => {
    assert.equal(formatDuration(6_240), '6.2 s');
    assert.equal(formatDuration(245_000), '4 min 05 s');
    assert.equal(formatDuration(3_723_000), '1 h 02 min 03 s');
    assert.equal(formatAvailability(0.99996), '99.9 %');
    assert.equal(formatAvailability(1), '100.0 %');
    const lines = figuresMarkdown(showFigures(buildTimeline(recoveredShow(), { start: s(0), end: s(620) })));
    assert.ok(lines.includes('| Availability, channel | 96.5 % (9 min 28 s ACTIVE) |'), lines.join('\n'));
    assert.ok(lines.includes('| 2026-03-01T20:01:40Z | channel | RECONNECTING | 20 s | 1 |'), lines.join('\n'));
  });
});

void describe('the show’s final details in the Web UI', () => {
  const spec = parseShowSpec({ id: 'details', name: 'Details', schedule: { duration: '10m', leadTime: 0 } });
  const state = (phase: ShowState['phase']): ShowState => ({
    ...initialState(spec, 'run', s(0)),
    phase,
    compositions: [
      {
        arn: A,
        startedAt: new Date(s(10)).toISOString(),
        endedAt: new Date(s(300)).toISOString(),
        state: 'STOPPED',
        destinations: [{ id: 'cA', kind: 'channel', state: 'STOPPED' }],
      },
    ],
    timings: {
      compositionActiveAt: new Date(s(20)).toISOString(),
      endedAt: new Date(s(300)).toISOString(),
      tidiedAt: new Date(s(305)).toISOString(),
    },
  });

  void test('a finished show’s details carry its figures; a running show’s do not', () => {
    const done = currentDetailsMarkdown(spec, state('COMPLETED'));
    assert.match(done, /### How it went/);
    assert.match(done, /\| Time on air \| 4 min 40 s \|/);
    assert.match(done, /\| Availability, channel \| 100\.0 % /);
    assert.doesNotMatch(currentDetailsMarkdown(spec, state('LIVE')), /How it went/);
  });
});

void describe('the recordings index document', () => {
  const meta = {
    stageArn: 'arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD1234',
    generatedAt: new Date(s(700)).toISOString(),
    participantRecordingBucket: null,
    settleWait: { waitedMs: 0, rounds: 0, timedOut: false },
    objectsScanned: 0,
  };

  void test('carries the show’s figures when the show passes them, and is unchanged without', () => {
    const figures = showFigures(buildTimeline(recoveredShow(), { start: s(0), end: s(620) }));
    const document = new IndexBuilder().build({ ...meta, show: figures });
    assert.deepEqual(JSON.parse(JSON.stringify(document.show)), JSON.parse(JSON.stringify(figures)));
    assert.equal(document.show?.restarts.count, 1);
    assert.ok(!('show' in new IndexBuilder().build(meta)));
  });
});
