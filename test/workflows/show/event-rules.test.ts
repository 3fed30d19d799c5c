import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ShowIvsEvent } from '../../../contracts/show-messages';
import { eventWakesNow, pollNowDue } from '../../../workflows/show/decisions';
import { COMPOSITION, stateOf } from './fixtures';

/** Which IVS events a show acts on, as it stands (issue 13: a short show's history is not event noise). */
const event = (detailType: string, eventName: string, resourceArn = COMPOSITION): ShowIvsEvent => ({
  detailType,
  eventName,
  resourceArn,
  time: '2030-01-01T10:00:00Z',
});
const published = event('IVS Stage Update', 'Participant Published', 'arn:aws:ivs:us-east-1:123456789012:stage/x');
const destinationStart = event('IVS Composition State Change', 'Destination Start');
const sessionEnd = event('IVS Composition State Change', 'Session End');
const onAir = stateOf({
  phase: 'LIVE',
  compositions: [{ arn: COMPOSITION, state: 'ACTIVE', destinations: [] }],
});
const quiet = { stopping: new Set<string>(), now: 10_000, pollIntervalMs: 1_000 };

void describe('which IVS events a show acts on', () => {
  void test('a publisher event only while the show waits for one', () => {
    assert.equal(eventWakesNow(published, stateOf({ phase: 'WAITING_FOR_PUBLISHER' }), quiet).publisher, true);
    assert.equal(eventWakesNow(published, onAir, quiet).publisher, false);
  });

  void test('a composition event only for a composition of the show that has not ended', () => {
    assert.equal(eventWakesNow(destinationStart, onAir, quiet).composition, true);
    const other = event('IVS Composition State Change', 'Destination Start', `${COMPOSITION}x`);
    assert.equal(eventWakesNow(other, onAir, quiet).composition, false, 'not the show’s composition');
    const stopped = stateOf({
      phase: 'LIVE',
      compositions: [{ arn: COMPOSITION, state: 'STOPPED', destinations: [] }],
    });
    assert.equal(eventWakesNow(destinationStart, stopped, quiet).composition, false, 'already stopped');
    assert.equal(eventWakesNow(destinationStart, stateOf({ phase: 'STARTING_COMPOSITION' }), quiet).composition, false);
    assert.deepEqual(eventWakesNow(event('IVS Stage Update', 'Participant Joined'), onAir, quiet), {
      publisher: false,
      composition: false,
    });
  });

  void test('a composition being stopped wakes only on its end', () => {
    const stopping = { ...quiet, stopping: new Set([COMPOSITION]) };
    assert.equal(eventWakesNow(destinationStart, onAir, stopping).composition, false);
    assert.equal(
      eventWakesNow(event('IVS Composition State Change', 'Destination End'), onAir, stopping).composition,
      false,
    );
    assert.equal(eventWakesNow(sessionEnd, onAir, { ...stopping, lastPollNowAt: quiet.now }).composition, true);
  });

  void test('the monitor is asked to poll now at most once per poll interval', () => {
    assert.equal(eventWakesNow(destinationStart, onAir, { ...quiet, lastPollNowAt: 9_500 }).composition, false);
    assert.equal(eventWakesNow(destinationStart, onAir, { ...quiet, lastPollNowAt: 9_000 }).composition, true);
    assert.equal(pollNowDue(undefined, 0, 1_000), true);
    assert.equal(pollNowDue(0, 999, 1_000), false);
  });
});
