import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import {
  apiCalls as apiCallsIn,
  assertNothingLive,
  baseShowSpec,
  endShow,
  idleStopAfter,
  liveShow,
  onAir,
  showEmulatorConfig,
  type ShowHandle,
  showHarnessPerSuite,
  waitForPhase,
  waitForStatus,
} from '../support/show-scenarios';

void describe('show workflow: retries never duplicate resources', () => {
  // Long idle rules: a composition started before anyone joins must stay up through a test.
  const h = showHarnessPerSuite(
    showEmulatorConfig({ ...idleStopAfter(60_000), destinationReconnectWindowMs: 60_000 }),
    {
      beforeStop: (harness) => harness.fixture.control.clearFaults().catch(() => undefined),
    },
  );

  const apiCalls = () => apiCallsIn(h.fixture);

  /** What the emulator holds for one show: stages by tag, and everything attached to those stages. */
  async function resourcesOf(showId: string) {
    const regions = (await h.fixture.control.inventory()).regions;
    const stages = regions.flatMap((r) => r.stages).filter((s) => s.tags['showrunner:show-id'] === showId);
    const onStages = (stageArn: string) => stages.some((s) => s.arn === stageArn);
    return {
      stages,
      ingestConfigurations: regions.flatMap((r) => r.ingestConfigurations).filter((c) => onStages(c.stageArn)),
      liveCompositions: regions
        .flatMap((r) => r.compositions)
        .filter((c) => onStages(c.stageArn) && ['STARTING', 'ACTIVE', 'STOPPING'].includes(c.state)),
    };
  }

  const spec = (id: string, extra: Partial<ShowSpecInput> = {}) => baseShowSpec(id, { name: 'Retry safety', ...extra });

  async function endAndCheckTidy(handle: ShowHandle, showId: string) {
    const result = await endShow(h, handle);
    assert.equal(result.outcome, 'COMPLETED');
    assert.deepEqual(await resourcesOf(showId), { stages: [], ingestConfigurations: [], liveCompositions: [] });
    return result;
  }

  void test('a lost CreateStage response leaves exactly one stage', async () => {
    await h.fixture.control.addFault({ operation: 'CreateStage', mode: 'lost-response', count: 1 });
    const id = h.showId('lost-stage');
    const before = await apiCalls();
    const handle = await h.startShow(spec(id));
    const waiting = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');

    assert.deepEqual(await h.fixture.control.listFaults(), [], 'the fault fired');
    const { stages } = await resourcesOf(id);
    assert.deepEqual(
      stages.map((s) => s.arn),
      [waiting.resources.stageArn],
    );
    const after = await apiCalls();
    assert.equal((after.CreateStage ?? 0) - (before.CreateStage ?? 0), 1, 'the retry found the stage instead');
    await endAndCheckTidy(handle, id);
  });

  void test('a lost StartComposition response leaves exactly one live composition', async () => {
    await h.fixture.control.addFault({ operation: 'StartComposition', mode: 'lost-response', count: 1 });
    const id = h.showId('lost-comp');
    const before = await apiCalls();
    const handle = await h.startShow(spec(id, { policies: { startComposition: 'immediately' } }));
    const live = await waitForStatus(handle, 'on air', onAir);

    assert.deepEqual(await h.fixture.control.listFaults(), [], 'the fault fired');
    const after = await apiCalls();
    assert.ok((after.StartComposition ?? 0) - (before.StartComposition ?? 0) >= 2, 'StartComposition was retried');
    const { liveCompositions } = await resourcesOf(id);
    assert.deepEqual(
      liveCompositions.map((c) => c.arn),
      [live.composition!.arn],
    );
    const result = await endAndCheckTidy(handle, id);
    assert.equal(result.made.filter((r) => r.kind === 'composition').length, 1);
  });

  void test('a lost CreateIngestConfiguration response leaves exactly one ingest configuration', async () => {
    await h.fixture.control.addFault({ operation: 'CreateIngestConfiguration', mode: 'lost-response', count: 1 });
    const id = h.showId('lost-ingest');
    const before = await apiCalls();
    const handle = await h.startShow(spec(id, { ingest: { enabled: true } }));
    const waiting = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');

    assert.deepEqual(await h.fixture.control.listFaults(), [], 'the fault fired');
    const after = await apiCalls();
    assert.equal((after.CreateIngestConfiguration ?? 0) - (before.CreateIngestConfiguration ?? 0), 1);
    const { ingestConfigurations } = await resourcesOf(id);
    assert.deepEqual(
      ingestConfigurations.map((c) => c.arn),
      [waiting.resources.ingestConfigurationArn],
    );
    await endAndCheckTidy(handle, id);
  });

  void test('a whole show under 30% random API errors completes without duplicates or leftovers', async () => {
    const id = h.showId('chaos');
    const firedBefore = (await h.fixture.control.metrics()).faultsFired;
    const fault = await h.fixture.control.addFault({
      operation: '*',
      errorType: 'InternalServerException',
      probability: 0.3,
    });
    try {
      const { handle, live } = await liveShow(h, spec(id, { ingest: { enabled: true } }), { timeoutMs: 60_000 });

      const during = await resourcesOf(id);
      assert.equal(during.stages.length, 1);
      assert.equal(during.ingestConfigurations.length, 1);
      assert.deepEqual(
        during.liveCompositions.map((c) => c.arn),
        [live.composition!.arn],
      );

      const result = await endAndCheckTidy(handle, id);
      assert.equal(result.compositionRestarts, 0);
      assert.equal(result.made.filter((r) => r.kind === 'stage').length, 1);
      assert.equal(result.made.filter((r) => r.kind === 'composition').length, 1);
      assert.ok((await h.fixture.control.metrics()).faultsFired > firedBefore, 'faults fired during the show');
    } finally {
      await h.fixture.control.removeFault(fault.id);
    }
    await assertNothingLive(h.fixture);
  });
});
