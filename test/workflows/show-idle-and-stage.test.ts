import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeleteStageCommand } from '@aws-sdk/client-ivs-realtime';
import { STAGE_DELETED } from '../../contracts/failure-types';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { statusQuery } from '../../contracts/show-messages';
import {
  assertNothingLive,
  assertShowFailsWith,
  endShow,
  liveShow,
  QUICK_IDLE_STOP_TIMINGS,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForNewComposition,
  waitForStatus,
} from '../support/show-scenarios';

void describe('show workflow: idle compositions and a stage deleted behind its back', () => {
  const h = showHarnessPerSuite(showEmulatorConfig(QUICK_IDLE_STOP_TIMINGS));

  const startLiveShow = (extra: Partial<ShowSpecInput> = {}) =>
    liveShow(h, {
      id: h.showId('idle'),
      name: 'Idle and stage',
      policies: { restartBackoff: { initial: 0 } },
      ...extra,
    });

  void test('an idle stop waits for the next publisher and starts a new composition, which is no restart', async () => {
    const { handle, live, token } = await startLiveShow();
    const firstArn = live.composition!.arn;

    // The only publisher leaves: the emulator's idle rule stops the composition 3 s later.
    await h.fixture.control.leave({ token });
    const waiting = await waitForStatus(
      handle,
      'waiting for a publisher again',
      (s) => s.phase === 'WAITING_FOR_PUBLISHER' && s.incidents.some((i) => i.kind === 'COMPOSITION_STOPPED'),
    );
    const stopped = waiting.incidents.find((i) => i.kind === 'COMPOSITION_STOPPED');
    assert.equal(stopped?.compositionArn, firstArn);
    assert.equal(waiting.compositionRestarts, 0);
    assert.equal((await h.fixture.control.inventory()).live.compositions, 0);

    await h.fixture.control.join(token, { publish: true });
    const again = await waitForNewComposition(handle, firstArn);
    assert.equal(again.compositionRestarts, 0);
    assert.deepEqual(
      again.incidents.map((i) => i.kind),
      ['COMPOSITION_STOPPED'],
    );

    const result = await endShow(h, handle, { token });
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 0);
    assert.equal(result.made.filter((r) => r.kind === 'composition').length, 2);
    await assertNothingLive(h.fixture);
  });

  void test('a stage deleted outside the show fails it with StageDeleted, and tidy-up removes the rest', async () => {
    const { handle, live } = await startLiveShow({ ingest: { enabled: true } });
    const ingestArn = live.resources.ingestConfigurationArn;
    assert.ok(ingestArn);

    await h.fixture.ivs.send(new DeleteStageCommand({ arn: live.resources.stageArn }));
    await assertShowFailsWith(handle, STAGE_DELETED);

    const final = await handle.query(statusQuery);
    assert.equal(final.phase, 'FAILED');
    const kinds = final.incidents.map((i) => i.kind);
    assert.ok(kinds.includes('STAGE_DELETED'), `incidents: ${kinds.join(', ')}`);
    assert.ok(!kinds.includes('TIDY_UP_FAILED'), `incidents: ${kinds.join(', ')}`);
    const inventory = await h.fixture.control.inventory();
    assert.deepEqual(inventory.live, { stages: 0, ingestConfigurations: 0, compositions: 0 });
    assert.ok(!inventory.regions.some((r) => r.ingestConfigurations.some((c) => c.arn === ingestArn)));
  });
});
