import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CompositionSnapshot } from '../../../contracts/composition';
import {
  applySnapshot,
  continueAsNewDue,
  endReached,
  finalPhase,
  liveComposition,
  livePhase,
  nextDeadline,
  outcomeWithoutPublisher,
  publisherWaitDeadline,
  receiveSnapshot,
  reconnectDeadline,
  restartBudgetSpent,
  restartDelayMs,
  wakesOn,
} from '../../../workflows/show/decisions';
import type { CompositionRun } from '../../../workflows/show/state';
import { COMPOSITION as ARN, MINUTE, SECOND, specOf, stateOf, T0 } from './fixtures';

/** The show's decisions without a server: spec, state and time in, decision out. */

const OLD_ARN = 'arn:aws:ivs:us-east-1:123456789012:composition/OldOldOldOld';

function runOf(patch: Partial<CompositionRun> = {}): CompositionRun {
  return {
    arn: ARN,
    state: 'ACTIVE',
    destinations: [
      { id: 'dest-channel', kind: 'channel', state: 'ACTIVE' },
      { id: 'dest-s3', kind: 's3', state: 'ACTIVE', recordingPrefix: 'stage/c1' },
    ],
    ...patch,
  };
}

const snapshotOf = (
  state: CompositionSnapshot['state'],
  channel = 'ACTIVE',
  s3 = 'ACTIVE',
  arn = ARN,
): CompositionSnapshot => ({
  arn,
  state,
  destinations: [
    { id: 'dest-channel', state: channel },
    { id: 'dest-s3', state: s3 },
  ],
});

void describe('show decisions', () => {
  void test('the composition on air is the latest one, and only while it has not stopped', () => {
    const live = runOf({ arn: ARN });
    assert.equal(liveComposition(stateOf()), undefined);
    assert.equal(liveComposition(stateOf({ compositions: [runOf({ arn: OLD_ARN, state: 'STOPPED' }), live] })), live);
    for (const ended of ['STOPPED', 'FAILED', 'GONE'] as const) {
      const compositions = [runOf({ arn: OLD_ARN }), runOf({ state: ended })];
      assert.equal(liveComposition(stateOf({ compositions })), undefined, `${ended} is not on air`);
    }
    assert.equal(liveComposition(stateOf({ compositions: [runOf({ state: 'STOPPING' })] }))?.arn, ARN);
  });

  void test('the end is reached at the planned end or when someone asks for it', () => {
    const state = stateOf({ endAt: T0 + MINUTE });
    assert.equal(endReached(state, T0), false);
    assert.equal(endReached(state, T0 + MINUTE), true);
    assert.equal(endReached({ ...state, endRequested: { at: new Date(T0).toISOString(), reason: 'x' } }, T0), true);
  });

  void test('the reconnect deadline is the earliest RECONNECTING destination plus the tolerance', () => {
    assert.equal(reconnectDeadline(stateOf(), 60 * SECOND), Infinity);
    const state = stateOf({ reconnectingSince: { a: T0 + 5 * SECOND, b: T0 } });
    assert.equal(reconnectDeadline(state, 60 * SECOND), T0 + 60 * SECOND);
  });

  void test('the next deadline: preparation, then the reconnect tolerance before the planned end, then nothing', () => {
    const spec = specOf();
    const iso = (ms: number) => new Date(ms).toISOString();
    assert.deepEqual(nextDeadline(spec, stateOf()), { what: 'prepare', at: iso(T0 - 2 * MINUTE) });
    const live = stateOf({ phase: 'LIVE' });
    assert.deepEqual(nextDeadline(spec, live), { what: 'planned end', at: iso(live.endAt) });
    const reconnecting = stateOf({ phase: 'RECOVERING', reconnectingSince: { a: T0 } });
    assert.deepEqual(nextDeadline(spec, reconnecting), { what: 'reconnect tolerance ends', at: iso(T0 + MINUTE) });
    for (const phase of ['ENDING', 'TIDYING', 'INDEXING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const)
      assert.equal(nextDeadline(spec, stateOf({ phase })), undefined, phase);
  });

  void test('the live phase says whether the composition is starting, recovering or live', () => {
    assert.equal(livePhase(stateOf(), runOf({ state: 'STARTING' })), 'STARTING_COMPOSITION');
    assert.equal(livePhase(stateOf(), runOf()), 'LIVE');
    assert.equal(livePhase(stateOf({ reconnectingSince: { 'dest-s3': T0 } }), runOf()), 'RECOVERING');
  });

  void test('the wait for a publisher ends at its timeout, never after the planned end, never in the past', () => {
    const { policies } = specOf({ policies: { publisherWaitTimeout: '15m' } });
    assert.equal(publisherWaitDeadline(policies, stateOf({ endAt: T0 + 60 * MINUTE }), T0), T0 + 15 * MINUTE);
    assert.equal(publisherWaitDeadline(policies, stateOf({ endAt: T0 + 5 * MINUTE }), T0), T0 + 5 * MINUTE);
    assert.equal(publisherWaitDeadline(policies, stateOf({ endAt: T0 - MINUTE }), T0), T0);
  });

  void describe('a snapshot from the monitor', () => {
    void test('a destination going RECONNECTING is an incident, timed once', () => {
      const state = stateOf();
      const run = runOf();
      const first = applySnapshot(state, run, snapshotOf('ACTIVE', 'RECONNECTING'), T0);
      assert.equal(first.verdict, 'ok');
      assert.deepEqual(first.incidents, [
        {
          kind: 'DESTINATION_RECONNECTING',
          detail: 'channel destination is reconnecting',
          compositionArn: ARN,
          destinationId: 'dest-channel',
        },
      ]);
      assert.deepEqual(state.reconnectingSince, { 'dest-channel': T0 });
      assert.equal(run.destinations[0]!.state, 'RECONNECTING');
      // The same state again is no news, and the tolerance keeps counting from the first sighting.
      const again = applySnapshot(state, run, snapshotOf('ACTIVE', 'RECONNECTING'), T0 + 10 * SECOND);
      assert.deepEqual(again, { verdict: 'ok', incidents: [] });
      assert.deepEqual(state.reconnectingSince, { 'dest-channel': T0 });
    });

    void test('a reconnecting destination that is ACTIVE again has recovered; one that never left ACTIVE has not', () => {
      const state = stateOf({ reconnectingSince: { 'dest-channel': T0 } });
      const run = runOf({
        destinations: [
          { id: 'dest-channel', kind: 'channel', state: 'RECONNECTING' },
          { id: 'dest-s3', kind: 's3', state: 'STARTING' },
        ],
      });
      const { verdict, incidents } = applySnapshot(state, run, snapshotOf('ACTIVE'), T0 + 5 * SECOND);
      assert.equal(verdict, 'ok');
      assert.deepEqual(
        incidents.map((i) => [i.kind, i.destinationId]),
        [['DESTINATION_RECOVERED', 'dest-channel']],
      );
      assert.deepEqual(state.reconnectingSince, {});
      assert.deepEqual(
        run.destinations.map((d) => d.state),
        ['ACTIVE', 'ACTIVE'],
      );
    });

    void test('a failed destination or composition must be replaced', () => {
      const destination = applySnapshot(stateOf(), runOf(), snapshotOf('ACTIVE', 'ACTIVE', 'FAILED'), T0);
      assert.equal(destination.verdict, 'replace');
      assert.deepEqual(
        destination.incidents.map((i) => [i.kind, i.detail]),
        [['DESTINATION_FAILED', 's3 destination failed']],
      );
      // Still failed in the next snapshot: no new incident, but still a replacement.
      const run = runOf({ destinations: [{ id: 'dest-channel', kind: 'channel', state: 'FAILED' }] });
      assert.deepEqual(applySnapshot(stateOf(), run, snapshotOf('ACTIVE', 'FAILED'), T0), {
        verdict: 'replace',
        incidents: [],
      });
      const composition = applySnapshot(stateOf(), runOf(), snapshotOf('FAILED'), T0);
      assert.equal(composition.verdict, 'replace');
      assert.deepEqual(composition.incidents, [
        { kind: 'COMPOSITION_FAILED', detail: 'composition failed', compositionArn: ARN },
      ]);
    });

    void test('a composition IVS stopped or purged on its own has stopped, and says which', () => {
      for (const [ended, word] of [
        ['STOPPED', 'stopped'],
        ['GONE', 'disappeared'],
      ] as const) {
        const run = runOf();
        const { verdict, incidents } = applySnapshot(stateOf(), run, snapshotOf(ended), T0);
        assert.equal(verdict, 'stopped');
        assert.equal(run.state, ended);
        assert.equal(run.endedAt, new Date(T0).toISOString(), 'the figures count it off air from here');
        assert.deepEqual(incidents, [
          {
            kind: 'COMPOSITION_STOPPED',
            detail: `composition ${word} while the show is on (idle stage or deleted stage)`,
            compositionArn: ARN,
          },
        ]);
      }
    });

    void test('the first ACTIVE snapshot times the composition going on air; later ones do not move it', () => {
      const state = stateOf();
      const run = runOf({ state: 'STARTING' });
      applySnapshot(state, run, snapshotOf('STARTING'), T0);
      assert.equal(state.timings.compositionActiveAt, undefined);
      applySnapshot(state, run, snapshotOf('ACTIVE'), T0 + SECOND);
      applySnapshot(state, run, snapshotOf('ACTIVE'), T0 + 2 * SECOND);
      assert.equal(state.timings.compositionActiveAt, new Date(T0 + SECOND).toISOString());
    });

    void test('destinations the show does not know are ignored', () => {
      const run = runOf();
      const snapshot = { arn: ARN, state: 'ACTIVE' as const, destinations: [{ id: 'someone-else', state: 'FAILED' }] };
      assert.deepEqual(applySnapshot(stateOf(), run, snapshot, T0), { verdict: 'ok', incidents: [] });
    });

    void test('goes to the live loop when it is about the composition on air, else only updates an older one', () => {
      const old = runOf({ arn: OLD_ARN, state: 'STOPPING' });
      const live = runOf();
      const state = stateOf({ compositions: [old, live] });
      receiveSnapshot(state, snapshotOf('ACTIVE', 'RECONNECTING'));
      assert.deepEqual(state.pendingSnapshot, snapshotOf('ACTIVE', 'RECONNECTING'));
      receiveSnapshot(state, snapshotOf('STOPPED', 'STOPPED', 'STOPPED', OLD_ARN));
      assert.equal(old.state, 'STOPPED');
      assert.deepEqual(state.pendingSnapshot, snapshotOf('ACTIVE', 'RECONNECTING'), 'still the live one');
      // A composition known to have ended stays ended, whatever a late snapshot says.
      receiveSnapshot(state, snapshotOf('ACTIVE', 'ACTIVE', 'ACTIVE', OLD_ARN));
      assert.equal(old.state, 'STOPPED');
    });
  });

  void test('IVS events wake the publisher wait or the composition poll', () => {
    const event = (detailType: string, eventName: string) => ({ detailType, eventName, resourceArn: ARN, time: '' });
    assert.deepEqual(wakesOn(event('IVS Stage Update', 'Participant Published')), {
      publisher: true,
      composition: false,
    });
    assert.deepEqual(wakesOn(event('IVS Stage Update', 'Participant Joined')), {
      publisher: false,
      composition: false,
    });
    assert.deepEqual(wakesOn(event('IVS Composition State Change', 'Session End')), {
      publisher: false,
      composition: true,
    });
  });

  void test('automatic restarts are bounded by the policy; operator restarts are not', () => {
    const { policies } = specOf({ policies: { maxCompositionRestarts: 2 } });
    assert.equal(restartBudgetSpent(stateOf({ automaticRestarts: 1 }), policies, false), false);
    assert.equal(restartBudgetSpent(stateOf({ automaticRestarts: 2 }), policies, false), true);
    assert.equal(restartBudgetSpent(stateOf({ automaticRestarts: 2 }), policies, true), false);
    // Runs continued from before automaticRestarts existed have none recorded.
    assert.equal(
      restartBudgetSpent(stateOf(), specOf({ policies: { maxCompositionRestarts: 0 } }).policies, false),
      true,
    );
  });

  void test('restart backoff grows by the multiplier from the initial delay and stops at the cap', () => {
    const backoff = { initial: 5 * SECOND, multiplier: 2, max: 30 * SECOND };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => restartDelayMs(backoff, n)),
      [5, 5, 10, 20, 30, 30].map((s) => s * SECOND),
    );
    assert.equal(restartDelayMs({ initial: 0, multiplier: 2, max: MINUTE }, 3), 0);
  });

  void test('continue-as-new is due when the server suggests it or history reaches the test hook', () => {
    assert.equal(continueAsNewDue({ continueAsNewSuggested: false, historyLength: 10_000 }, undefined), false);
    assert.equal(continueAsNewDue({ continueAsNewSuggested: true, historyLength: 10 }, undefined), true);
    assert.equal(continueAsNewDue({ continueAsNewSuggested: false, historyLength: 99 }, 100), false);
    assert.equal(continueAsNewDue({ continueAsNewSuggested: false, historyLength: 100 }, 100), true);
  });

  void test('outcomes: no publisher only when nobody ever came; the phase a show ends in', () => {
    assert.equal(outcomeWithoutPublisher(stateOf()), 'NO_PUBLISHER');
    assert.equal(outcomeWithoutPublisher(stateOf({ compositions: [runOf({ state: 'STOPPED' })] })), 'COMPLETED');
    assert.equal(finalPhase('CANCELLED'), 'CANCELLED');
    assert.equal(finalPhase('FAILED'), 'FAILED');
    for (const outcome of ['COMPLETED', 'NO_PUBLISHER', 'ENDED_BEFORE_START'] as const)
      assert.equal(finalPhase(outcome), 'COMPLETED');
  });
});
