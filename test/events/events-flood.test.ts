import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { startEventsEndpoint } from '../../events/events-endpoint';
import {
  apiCalls,
  endShow,
  liveShow,
  showEmulatorConfig,
  showHarnessPerSuite,
  type ShowHandle,
} from '../support/show-scenarios';
import { sleep } from '../support/wait-for';

const POLL_INTERVAL_MS = 5_000;
const COALESCE_WINDOW_MS = 2_000;

function ivsEvent(detailType: string, resource: string, eventName: string, stageArn?: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ivs',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [resource],
    detail: { event_name: eventName, ...(stageArn ? { stage_arn: stageArn } : {}) },
  };
}

async function historyOf(handle: ShowHandle) {
  const events = (await handle.fetchHistory()).events ?? [];
  const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'ivsEvent').length;
  return { length: events.length, signals };
}

void describe('events endpoint: a flood of events cannot flood a show', () => {
  const h = showHarnessPerSuite(showEmulatorConfig());

  void test('1,000 events about one show: a few signals, a bounded history, the monitor polls at its own rate', async (t) => {
    const { handle, live, token, compositionArn } = await liveShow(h, {
      policies: { pollInterval: `${POLL_INTERVAL_MS}ms` },
    });
    const stageArn = live.resources.stageArn!;
    const endpoint = await startEventsEndpoint({
      port: 0,
      host: '127.0.0.1',
      ivs: () => h.fixture.ivs,
      regions: ['us-east-1'],
      client: h.client,
      coalesce: { windowMs: COALESCE_WINDOW_MS },
    });
    try {
      // Let the show settle: whatever it does next is the flood's doing.
      await sleep(1_000);
      const before = await historyOf(handle);
      const pollsBefore = (await apiCalls(h.fixture)).ListCompositions ?? 0;
      const started = Date.now();
      // Two kinds the show acts on, interleaved, one event per request as EventBridge delivers them.
      const events = Array.from({ length: 1_000 }, (_, i) =>
        i % 2 === 0
          ? ivsEvent('IVS Composition State Change', compositionArn, 'Destination Reconnect', stageArn)
          : ivsEvent('IVS Stage Update', stageArn, 'Participant Published'),
      );
      let next = 0;
      const statuses: number[] = [];
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < events.length) {
            const event = events[next++]!;
            const res = await fetch(`${endpoint.url}/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(event),
            });
            statuses.push(res.status);
            await res.arrayBuffer();
          }
        }),
      );
      const floodMs = Date.now() - started;
      // Trailing signals go at the end of their window; then give the show and its monitor time to react.
      await sleep(COALESCE_WINDOW_MS + 1_500);
      const elapsedMs = Date.now() - started;
      const after = await historyOf(handle);
      const polls = ((await apiCalls(h.fixture)).ListCompositions ?? 0) - pollsBefore;
      const stats = endpoint.stats();
      const signals = after.signals - before.signals;
      t.diagnostic(
        `flood of 1,000 in ${floodMs} ms: ${signals} signals (${stats.ignored.coalesced ?? 0} coalesced), history +${after.length - before.length} events, ${polls} ListCompositions in ${elapsedMs} ms`,
      );

      assert.ok(
        statuses.every((s) => s === 200),
        `every delivery acknowledged: ${[...new Set(statuses)].join(', ')}`,
      );
      // Per kind, a leading and a trailing signal per window at most.
      const windows = Math.ceil(elapsedMs / COALESCE_WINDOW_MS) + 1;
      assert.ok(signals >= 2, 'each kind reached the show');
      assert.ok(signals <= 2 * 2 * windows, `${signals} signals for ${windows} windows`);
      assert.ok(
        after.length - before.length <= 12 * 2 * 2 * windows,
        `history grew by ${after.length - before.length}`,
      );
      // The monitor polls once per interval, plus at most one poll per interval brought forward by events.
      const intervals = Math.ceil(elapsedMs / POLL_INTERVAL_MS) + 1;
      assert.ok(polls <= 2 * intervals, `${polls} ListCompositions in ${intervals} intervals`);
      assert.equal((await endShow(h, handle, { token })).outcome, 'COMPLETED');
    } finally {
      await endpoint.stop();
    }
  });
});
