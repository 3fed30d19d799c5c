import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { participantTokensQuery, statusQuery } from '../../contracts/show-messages';
import {
  apiCalls,
  assertNothingLive,
  baseShowSpec,
  endShow,
  onAir,
  QUICK_IDLE_STOP_TIMINGS,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForNewComposition,
  waitForPhase,
  waitForStatus,
  type ShowHandle,
} from '../support/show-scenarios';
import type { ShowHarness } from '../support/show-harness';
import { sleep, waitFor } from '../support/wait-for';

/** Polls every 2 s: the tests act right after a poll, so no poll sees a state they pass through. */
const POLL = '2s';

/** Resolves right after the show's next publisher poll (each poll starts with GetStage). */
async function afterNextPoll(h: ShowHarness): Promise<void> {
  const before = (await apiCalls(h.fixture)).GetStage ?? 0;
  await waitFor(async () => ((await apiCalls(h.fixture)).GetStage ?? 0) > before, 10_000, {
    intervalMs: 20,
    description: 'the next publisher poll',
  });
}

/** The show stays waiting for a publisher for `ms` (several polls), starting no composition. */
async function assertStillWaiting(h: ShowHarness, handle: ShowHandle, ms: number): Promise<void> {
  const starts = (await apiCalls(h.fixture)).StartComposition ?? 0;
  await sleep(ms);
  const status = await handle.query(statusQuery);
  assert.equal(status.phase, 'WAITING_FOR_PUBLISHER', `phase after ${ms} ms: ${status.phase}`);
  assert.equal((await apiCalls(h.fixture)).StartComposition ?? 0, starts, 'no composition was started');
}

/**
 * First-publisher detection under IVS's documented semantics: Participant.published means "ever published to the
 * stage session", so the show looks for a CONNECTED participant whose latest publish event is PUBLISH_STARTED.
 */
void describe('show workflow: who publishes now', () => {
  const h = showHarnessPerSuite(showEmulatorConfig(QUICK_IDLE_STOP_TIMINGS));

  const startWaiting = async (extra: Partial<ShowSpecInput> = {}) => {
    const spec = baseShowSpec(h.showId('publisher'), {
      participants: [
        { userId: 'alice', role: 'host' },
        { userId: 'bob', role: 'guest' },
      ],
      policies: { pollInterval: POLL, restartBackoff: { initial: 0 } },
      ...extra,
    });
    const handle = await h.startShow(spec);
    await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');
    const tokens = await handle.query(participantTokensQuery);
    const tokenOf = (userId: string) => tokens.find((t) => t.userId === userId)!.token;
    return { handle, host: tokenOf('alice'), guest: tokenOf('bob') };
  };

  void test('a guest who published and left before the host publishes does not hide the host', async () => {
    const { handle, host, guest } = await startWaiting();
    await afterNextPoll(h);
    // Between two polls: the guest joins first and publishes, the host joins without publishing, the guest leaves.
    // The guest is the session's first participant that ever published, and it is gone.
    await h.fixture.control.join(guest, { publish: true });
    await h.fixture.control.join(host);
    await h.fixture.control.leave({ token: guest });
    await assertStillWaiting(h, handle, 5_000);

    await h.fixture.control.publish({ token: host });
    const live = await waitForStatus(handle, 'on air with the host', onAir);
    assert.ok(live.composition);
    const result = await endShow(h, handle, { token: host });
    assert.equal(result.outcome, 'COMPLETED');
    await assertNothingLive(h.fixture);
  });

  void test('a participant who stopped publishing but stays connected is no publisher', async () => {
    const { handle, host } = await startWaiting();
    await afterNextPoll(h);
    await h.fixture.control.join(host, { publish: true });
    await h.fixture.control.unpublish({ token: host });
    await assertStillWaiting(h, handle, 5_000);

    await h.fixture.control.publish({ token: host });
    await waitForStatus(handle, 'on air once the host publishes again', onAir);
    await endShow(h, handle, { token: host });
    await assertNothingLive(h.fixture);
  });

  void test('after an idle stop the composition restarts only when someone publishes again, and never loops', async () => {
    const { handle, host, guest } = await startWaiting();
    await h.fixture.control.join(host, { publish: true });
    const first = await waitForStatus(handle, 'on air', onAir);
    const firstArn = first.composition!.arn;

    // Everybody leaves: the emulator's idle rule stops the composition 3 s later.
    await h.fixture.control.leave({ token: host });
    await waitForStatus(
      handle,
      'waiting for a publisher after the idle stop',
      (s) => s.phase === 'WAITING_FOR_PUBLISHER' && s.incidents.some((i) => i.kind === 'COMPOSITION_STOPPED'),
    );
    // People come back without publishing now: one never publishes, one publishes and stops between two polls.
    await h.fixture.control.join(guest);
    await afterNextPoll(h);
    await h.fixture.control.join(host, { publish: true });
    await h.fixture.control.unpublish({ token: host });
    // Several idle windows long: nothing starts, nothing stops, nothing loops.
    await assertStillWaiting(h, handle, 8_000);
    assert.equal((await h.fixture.control.inventory()).live.compositions, 0);

    await h.fixture.control.publish({ token: host });
    const again = await waitForNewComposition(handle, firstArn);
    assert.equal(again.compositionRestarts, 0);
    const result = await endShow(h, handle, { token: host });
    await h.fixture.control.leave({ token: guest }).catch(() => undefined);
    assert.equal(result.made.filter((r) => r.kind === 'composition').length, 2, 'one composition per publishing spell');
    await assertNothingLive(h.fixture);
  });
});
