import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMPOSITION_RESTART_LIMIT } from '../../contracts/failure-types';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { statusQuery } from '../../contracts/show-messages';
import {
  assertNothingLive,
  assertShowFailsWith,
  endShow,
  liveShow,
  onAir,
  QUICK_IDLE_STOP_TIMINGS,
  setChannelDestination,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForNewComposition,
  waitForStatus,
} from '../support/show-scenarios';

void describe('show workflow: destination recovery and composition restarts', () => {
  // The emulator's own reconnect window is far longer than any tolerance below, so only the show decides.
  const h = showHarnessPerSuite(showEmulatorConfig(QUICK_IDLE_STOP_TIMINGS));

  /** Starts a show with one channel destination and puts a publisher on its stage; resolves once it is on air. */
  const startLiveShow = (policies: ShowSpecInput['policies'], extra: Partial<ShowSpecInput> = {}) =>
    liveShow(h, {
      id: h.showId('recovery'),
      name: 'Destination recovery',
      ...extra,
      policies: { restartBackoff: { initial: 0 }, ...policies },
    });

  async function compositionState(arn: string): Promise<string | undefined> {
    const inventory = await h.fixture.control.inventory();
    return inventory.regions.flatMap((r) => r.compositions).find((c) => c.arn === arn)?.state;
  }

  void test('a destination that reconnects within the tolerance recovers without a restart', async () => {
    const { handle, compositionArn, token } = await startLiveShow({ reconnectingTolerance: '30s' });

    await setChannelDestination(h, compositionArn, 'RECONNECTING');
    const reconnecting = await waitForStatus(handle, 'DESTINATION_RECONNECTING', (s) =>
      s.incidents.some((i) => i.kind === 'DESTINATION_RECONNECTING'),
    );
    assert.equal(reconnecting.phase, 'RECOVERING');
    assert.equal(reconnecting.nextDeadline?.what, 'reconnect tolerance ends');

    await setChannelDestination(h, compositionArn, 'ACTIVE');
    const recovered = await waitForStatus(handle, 'DESTINATION_RECOVERED', (s) =>
      s.incidents.some((i) => i.kind === 'DESTINATION_RECOVERED'),
    );
    assert.deepEqual(
      recovered.incidents.map((i) => i.kind),
      ['DESTINATION_RECONNECTING', 'DESTINATION_RECOVERED'],
    );
    assert.equal(recovered.compositionRestarts, 0);
    assert.equal(recovered.composition?.arn, compositionArn);
    await waitForStatus(handle, 'LIVE again', onAir);
    assert.equal(await compositionState(compositionArn), 'ACTIVE');

    const result = await endShow(h, handle, { token });
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 0);
    assert.deepEqual(
      result.made.filter((r) => r.kind === 'composition').map((r) => r.arn),
      [compositionArn],
    );
    await assertNothingLive(h.fixture);
  });

  void test('a destination reconnecting beyond the tolerance gets a new composition', async () => {
    const { handle, compositionArn, token } = await startLiveShow({ reconnectingTolerance: '3s' });

    await setChannelDestination(h, compositionArn, 'RECONNECTING');
    const replaced = await waitForNewComposition(handle, compositionArn);
    const kinds = replaced.incidents.map((i) => i.kind);
    assert.deepEqual(kinds, ['DESTINATION_RECONNECTING', 'RECONNECTING_TOO_LONG', 'COMPOSITION_RESTARTED']);
    assert.equal(replaced.compositionRestarts, 1);
    assert.equal(await compositionState(compositionArn), 'STOPPED');
    assert.equal(await compositionState(replaced.composition!.arn), 'ACTIVE');

    const result = await endShow(h, handle, { token });
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 1);
    assert.equal(result.made.filter((r) => r.kind === 'composition').length, 2);
    await assertNothingLive(h.fixture);
  });

  void test('a failed destination gets a new composition', async () => {
    const { handle, compositionArn, token } = await startLiveShow({ reconnectingTolerance: '30s' });

    await setChannelDestination(h, compositionArn, 'FAILED');
    const replaced = await waitForNewComposition(handle, compositionArn);
    const kinds = replaced.incidents.map((i) => i.kind);
    assert.ok(kinds.includes('DESTINATION_FAILED'), `incidents: ${kinds.join(', ')}`);
    assert.ok(kinds.includes('COMPOSITION_RESTARTED'), `incidents: ${kinds.join(', ')}`);
    assert.equal(replaced.compositionRestarts, 1);
    assert.equal(await compositionState(compositionArn), 'FAILED');

    const result = await endShow(h, handle, { token });
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 1);
    await assertNothingLive(h.fixture);
  });

  void test('failures beyond maxCompositionRestarts fail the show, and tidy-up still runs', async () => {
    const { handle, compositionArn, token } = await startLiveShow(
      { reconnectingTolerance: '30s', maxCompositionRestarts: 1 },
      { ingest: { enabled: true } },
    );
    await setChannelDestination(h, compositionArn, 'FAILED');
    const second = await waitForNewComposition(handle, compositionArn, 'a second composition on air');
    assert.equal(second.compositionRestarts, 1);

    await setChannelDestination(h, second.composition!.arn, 'FAILED');
    await assertShowFailsWith(handle, COMPOSITION_RESTART_LIMIT);
    const description = await handle.describe();
    assert.equal(description.status.name, 'FAILED');
    const final = await handle.query(statusQuery);
    assert.equal(final.phase, 'FAILED');
    assert.ok(final.incidents.some((i) => i.kind === 'RESTART_LIMIT_REACHED'));
    assert.ok(!final.incidents.some((i) => i.kind === 'TIDY_UP_FAILED'), JSON.stringify(final.incidents));
    await h.fixture.control.leave({ token }).catch(() => undefined);
    await assertNothingLive(h.fixture);
  });
});
