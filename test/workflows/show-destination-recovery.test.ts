import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { ShowSpecInput } from '../../spec/show-spec';
import type { showWorkflow } from '../../workflows';
import { endUpdate, participantTokensQuery, statusQuery } from '../../workflows/show-messages';
import type { ShowStatus } from '../../workflows/show-state';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';

type ShowHandle = WorkflowHandle<typeof showWorkflow>;

/** Every ApplicationFailure type along an error's cause chain (WorkflowFailedError → ActivityFailure → ...). */
function failureTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.type) types.push(e.type);
  return types;
}

/** A channel of its own per show: the emulator fails a destination whose channel another composition carries. */
const freshChannelArn = () => `arn:aws:ivs:us-east-1:123456789012:channel/${randomBytes(6).toString('hex')}`;

void describe('show workflow: destination recovery and composition restarts', () => {
  let h: ShowHarness;
  before(async () => {
    // The emulator's own reconnect window is far longer than any tolerance below, so only the show decides.
    h = await startShowHarness({
      clockScale: 1,
      timings: {
        compositionStartMs: 500,
        compositionStopMs: 500,
        idleStopAfterLastLeftMs: 3_000,
        idleStopWithoutParticipantsMs: 3_000,
        destinationReconnectWindowMs: 60_000,
      },
    });
  });
  after(async () => h.stop());

  /** Polls the status query; on timeout the error carries the last status seen, which tells what went wrong. */
  async function waitForStatus(
    handle: ShowHandle,
    what: string,
    predicate: (s: ShowStatus) => boolean,
    timeoutMs = 30_000,
  ): Promise<ShowStatus> {
    let last: ShowStatus | undefined;
    try {
      return await waitFor(
        async () => {
          last = await handle.query(statusQuery);
          return predicate(last) ? last : undefined;
        },
        timeoutMs,
        { intervalMs: 250, description: what },
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; last status: ${JSON.stringify(last)}`);
    }
  }

  const onAir = (s: ShowStatus) =>
    s.phase === 'LIVE' &&
    s.composition?.state === 'ACTIVE' &&
    s.composition.destinations.every((d) => d.state === 'ACTIVE');

  /** Starts a show with one channel destination and puts a publisher on its stage; resolves once it is on air. */
  async function startLiveShow(policies: ShowSpecInput['policies'], extra: Partial<ShowSpecInput> = {}) {
    const handle = await h.startShow({
      id: h.showId('recovery'),
      name: 'Destination recovery',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }],
      composition: { channelArn: freshChannelArn() },
      ...extra,
      policies: { pollInterval: '1s', restartBackoff: { initial: 0 }, ...policies },
    });
    await waitForStatus(handle, 'waiting for a publisher', (s) => s.phase === 'WAITING_FOR_PUBLISHER');
    const [alice] = await handle.query(participantTokensQuery);
    await h.fixture.control.join(alice!.token, { publish: true });
    const live = await waitForStatus(handle, 'on air', onAir);
    return { handle, live, compositionArn: live.composition!.arn, token: alice!.token };
  }

  async function endShow(handle: ShowHandle, token: string) {
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    const result = await handle.result();
    await h.fixture.control.leave({ token }).catch(() => undefined);
    return result;
  }

  async function compositionState(arn: string): Promise<string | undefined> {
    const inventory = await h.fixture.control.inventory();
    return inventory.regions.flatMap((r) => r.compositions).find((c) => c.arn === arn)?.state;
  }

  async function assertNothingLive() {
    const { live } = await h.fixture.control.inventory();
    assert.deepEqual(live, { stages: 0, ingestConfigurations: 0, compositions: 0 });
  }

  void test('a destination that reconnects within the tolerance recovers without a restart', async () => {
    const { handle, compositionArn, token } = await startLiveShow({ reconnectingTolerance: '30s' });

    await h.fixture.control.setCompositionState({ compositionArn, state: 'RECONNECTING', destinationType: 'channel' });
    const reconnecting = await waitForStatus(handle, 'DESTINATION_RECONNECTING', (s) =>
      s.incidents.some((i) => i.kind === 'DESTINATION_RECONNECTING'),
    );
    assert.equal(reconnecting.phase, 'RECOVERING');
    assert.equal(reconnecting.nextDeadline?.what, 'reconnect tolerance ends');

    await h.fixture.control.setCompositionState({ compositionArn, state: 'ACTIVE', destinationType: 'channel' });
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

    const result = await endShow(handle, token);
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 0);
    assert.deepEqual(
      result.made.filter((r) => r.kind === 'composition').map((r) => r.arn),
      [compositionArn],
    );
    await assertNothingLive();
  });

  void test('a destination reconnecting beyond the tolerance gets a new composition', async () => {
    const { handle, compositionArn, token } = await startLiveShow({ reconnectingTolerance: '3s' });

    await h.fixture.control.setCompositionState({ compositionArn, state: 'RECONNECTING', destinationType: 'channel' });
    const replaced = await waitForStatus(
      handle,
      'a new composition on air',
      (s) => onAir(s) && s.composition?.arn !== compositionArn,
    );
    const kinds = replaced.incidents.map((i) => i.kind);
    assert.deepEqual(kinds, ['DESTINATION_RECONNECTING', 'RECONNECTING_TOO_LONG', 'COMPOSITION_RESTARTED']);
    assert.equal(replaced.compositionRestarts, 1);
    assert.equal(await compositionState(compositionArn), 'STOPPED');
    assert.equal(await compositionState(replaced.composition!.arn), 'ACTIVE');

    const result = await endShow(handle, token);
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 1);
    assert.equal(result.made.filter((r) => r.kind === 'composition').length, 2);
    await assertNothingLive();
  });

  void test('a failed destination gets a new composition', async () => {
    const { handle, compositionArn, token } = await startLiveShow({ reconnectingTolerance: '30s' });

    await h.fixture.control.setCompositionState({ compositionArn, state: 'FAILED', destinationType: 'channel' });
    const replaced = await waitForStatus(
      handle,
      'a new composition on air',
      (s) => onAir(s) && s.composition?.arn !== compositionArn,
    );
    const kinds = replaced.incidents.map((i) => i.kind);
    assert.ok(kinds.includes('DESTINATION_FAILED'), `incidents: ${kinds.join(', ')}`);
    assert.ok(kinds.includes('COMPOSITION_RESTARTED'), `incidents: ${kinds.join(', ')}`);
    assert.equal(replaced.compositionRestarts, 1);
    assert.equal(await compositionState(compositionArn), 'FAILED');

    const result = await endShow(handle, token);
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 1);
    await assertNothingLive();
  });

  void test('failures beyond maxCompositionRestarts fail the show, and tidy-up still runs', async () => {
    const { handle, compositionArn, token } = await startLiveShow(
      { reconnectingTolerance: '30s', maxCompositionRestarts: 1 },
      { ingest: { enabled: true } },
    );
    await h.fixture.control.setCompositionState({ compositionArn, state: 'FAILED', destinationType: 'channel' });
    const second = await waitForStatus(
      handle,
      'a second composition on air',
      (s) => onAir(s) && s.composition?.arn !== compositionArn,
    );
    assert.equal(second.compositionRestarts, 1);

    await h.fixture.control.setCompositionState({
      compositionArn: second.composition!.arn,
      state: 'FAILED',
      destinationType: 'channel',
    });
    await assert.rejects(handle.result(), (e: unknown) => {
      assert.ok(failureTypes(e).includes('CompositionRestartLimit'), `failure types: ${failureTypes(e).join(', ')}`);
      return true;
    });
    const description = await handle.describe();
    assert.equal(description.status.name, 'FAILED');
    const final = await handle.query(statusQuery);
    assert.equal(final.phase, 'FAILED');
    assert.ok(final.incidents.some((i) => i.kind === 'RESTART_LIMIT_REACHED'));
    assert.ok(!final.incidents.some((i) => i.kind === 'TIDY_UP_FAILED'), JSON.stringify(final.incidents));
    await h.fixture.control.leave({ token }).catch(() => undefined);
    await assertNothingLive();
  });
});
