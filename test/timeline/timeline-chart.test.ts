import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderSvg, timeTicks, timelineChartSpec } from '../../client/report/timeline-chart';
import { buildTimeline } from '../../timeline/show-timeline';

const T0 = Date.parse('2026-03-01T20:00:00.300Z');

void describe('the timeline picture', () => {
  void test('ticks fall on whole UTC seconds, minutes or hours, about a dozen at most', () => {
    const short = timeTicks({ start: T0, end: T0 + 6_000 });
    assert.deepEqual(
      short.values.map((v) => new Date(v).toISOString().slice(11, 23)),
      ['20:00:01.000', '20:00:02.000', '20:00:03.000', '20:00:04.000', '20:00:05.000', '20:00:06.000'],
    );
    assert.equal(short.format, '%H:%M:%S');
    const long = timeTicks({ start: T0, end: T0 + 2 * 3600_000 });
    assert.equal(long.format, '%H:%M');
    assert.ok(long.values.length <= 12 && long.values.every((v) => v % 600_000 === 0), long.values.join());
  });

  void test('the SVG names the rows, the restart and the figures, with UTC labels whatever the local zone', async () => {
    const A = 'arn:aws:ivs:us-east-1:123456789012:composition/A';
    const timeline = buildTimeline(
      [
        { at: T0, type: 'phase', phase: 'LIVE' },
        { at: T0, type: 'composition-started', compositionArn: A, destinations: [{ id: 'c', kind: 'channel' }] },
        { at: T0 + 1_000, type: 'destination-state', compositionArn: A, destinationId: 'c', state: 'ACTIVE' },
        { at: T0 + 3_000, type: 'restart', compositionArn: A, manual: true },
        { at: T0 + 500, type: 'publisher', who: 'alice', published: true },
      ],
      { start: T0, end: T0 + 6_000 },
    );
    const svg = await renderSvg(timelineChartSpec('Show t', timeline, ['Time on air · 5.0 s'], 'sub'));
    for (const text of [
      'Show t',
      'destination: channel',
      'publisher: alice',
      'restart (requested)',
      'Time on air · 5.0 s',
      '20:00:03',
    ])
      assert.ok(svg.includes(text), text);
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('>State<') && svg.includes('>ACTIVE<'), 'the State legend, with the states shown');
  });

  void test('a show that never went on air has no State legend, only its phases', async () => {
    const timeline = buildTimeline(
      [
        { at: T0, type: 'phase', phase: 'PREPARING' },
        { at: T0 + 1_000, type: 'phase', phase: 'WAITING_FOR_PUBLISHER' },
        { at: T0 + 4_000, type: 'phase', phase: 'CANCELLED' },
      ],
      { start: T0, end: T0 + 5_000 },
    );
    assert.equal(timeline.destinations.length + timeline.publishers.length, 0, 'nothing to colour by state');
    const svg = await renderSvg(timelineChartSpec('Show n', timeline, ['Time on air · 0 s'], 'sub'));
    assert.ok(svg.includes('>Phase<'), 'the phase legend is there');
    assert.ok(svg.includes('WAITING_FOR_PUBLISHER'));
    assert.ok(!svg.includes('>State<'), 'no empty State legend');
  });
});
