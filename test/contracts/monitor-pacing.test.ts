import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LIST_COMPOSITIONS_TPS,
  MONITOR_LIST_CALLS_PER_SECOND,
  MONITOR_POLL_INTERVAL_MS,
  monitorPollIntervalMs,
} from '../../contracts/monitor-pacing';

/** The most ListCompositions calls a monitor polling every `intervalMs` sends per second (a poll and a wake). */
const callsPerSecond = (intervalMs: number, pages: number) => (2 * pages * 1_000) / intervalMs;

void describe('composition monitor pacing', () => {
  void test('the monitor’s share stays within IVS’s ListCompositions rate', () => {
    assert.ok(MONITOR_LIST_CALLS_PER_SECOND < LIST_COMPOSITIONS_TPS, 'room is left for sweeps and the janitor');
  });

  void test('shows on the default 10 s interval: the monitor polls every 5 s', () => {
    assert.equal(monitorPollIntervalMs([10_000, 10_000], 2), MONITOR_POLL_INTERVAL_MS);
    assert.equal(MONITOR_POLL_INTERVAL_MS, 5_000);
  });

  void test('a show asking for a shorter interval gets it, down to what one page allows', () => {
    assert.equal(monitorPollIntervalMs([10_000, 2_000], 2), 2_000);
    assert.equal(monitorPollIntervalMs([1_000], 1), 1_000);
  });

  void test('more pages per poll: a longer interval, never above the share', () => {
    assert.equal(monitorPollIntervalMs([1_000], 100), 1_000);
    assert.equal(monitorPollIntervalMs([1_000], 101), 2_000);
    assert.equal(monitorPollIntervalMs([1_000], 1_000), 10_000);
    assert.equal(monitorPollIntervalMs([10_000], 2_000), 20_000);
    for (const watched of [0, 1, 20, 100, 150, 700, 5_000])
      for (const intervals of [[], [1_000], [10_000], [600_000]]) {
        const pages = Math.max(1, Math.ceil(watched / 100));
        const interval = monitorPollIntervalMs(intervals, watched);
        assert.ok(callsPerSecond(interval, pages) <= MONITOR_LIST_CALLS_PER_SECOND, `${watched} watched: ${interval}`);
      }
  });

  void test('nothing watched yet: the default', () => {
    assert.equal(monitorPollIntervalMs([], 0), MONITOR_POLL_INTERVAL_MS);
  });
});
