import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { statusQuery } from '../../contracts/show-messages';
import { showTags } from '../../contracts/tags';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { createStage } from '../support/emulator-scenarios';
import {
  assertNothingLive,
  baseShowSpec,
  endShow,
  idleStopAfter,
  showEmulatorConfig,
  type ShowHandle,
  showHarnessPerSuite,
  waitForPhase,
} from '../support/show-scenarios';
import { sleep, waitFor } from '../support/wait-for';

/**
 * The windows of issue 10 at the workflow's level: a create slower than its request, a cancel while each create is
 * in flight, a resource the show never recorded. IVS (the emulator's inventory, every stage, ingest configuration and
 * composition it holds) is polled every 200 ms for the whole test, so a duplicate that lived for a moment fails it.
 */
void describe('show workflow: retry windows stay closed', () => {
  const h = showHarnessPerSuite(
    showEmulatorConfig({ ...idleStopAfter(60_000), destinationReconnectWindowMs: 60_000 }),
    { beforeStop: (harness) => harness.fixture.control.clearFaults().catch(() => undefined) },
  );

  /** Counts the show's stages, ingest configurations and live compositions every 200 ms; `stop` gives the maxima. */
  function watchIvs(showId: string) {
    const max = { stages: 0, ingestConfigurations: 0, liveCompositions: 0 };
    let polls = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        // A test that failed leaves the loop running until the harness stops: then it ends quietly.
        const regions = (await h.fixture.control.inventory().catch(() => undefined))?.regions;
        if (!regions) break;
        const stages = regions.flatMap((r) => r.stages).filter((s) => s.tags['showrunner:show-id'] === showId);
        const ours = new Set(stages.map((s) => s.arn));
        const ingest = regions.flatMap((r) => r.ingestConfigurations).filter((c) => ours.has(c.stageArn));
        const live = regions
          .flatMap((r) => r.compositions)
          .filter((c) => ours.has(c.stageArn) && ['STARTING', 'ACTIVE'].includes(c.state));
        max.stages = Math.max(max.stages, stages.length);
        max.ingestConfigurations = Math.max(max.ingestConfigurations, ingest.length);
        max.liveCompositions = Math.max(max.liveCompositions, live.length);
        polls++;
        await sleep(200);
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        assert.ok(polls > 3, `IVS was polled throughout (${polls} polls)`);
        return max;
      },
    };
  }

  const spec = (id: string, extra: Partial<ShowSpecInput> = {}) =>
    baseShowSpec(id, { name: 'Retry windows', ingest: { enabled: true }, ...extra });

  async function cancelled(handle: ShowHandle) {
    await assert.rejects(handle.result(), (e: unknown) => e instanceof WorkflowFailedError);
    const { status } = await handle.describe();
    assert.equal(status.name, 'CANCELLED');
  }

  void test('a CreateStage slower than its request timeout leaves one stage, and the show tidies it', async (t) => {
    const id = h.showId('slow-stage');
    const watch = watchIvs(id);
    // 12 s: the SDK gives up at 10 s, IVS applies it at 12 s; the attempt waits out the landing horizon and finds it.
    await h.fixture.control.addFault({ operation: 'CreateStage', mode: 'latency', latencyMs: 12_000, count: 1 });
    const handle = await h.startShow(spec(id));
    await waitForPhase(handle, 'WAITING_FOR_PUBLISHER', 90_000);
    const result = await endShow(h, handle);
    const max = await watch.stop();
    assert.deepEqual(max, { stages: 1, ingestConfigurations: 1, liveCompositions: 0 });
    assert.equal(result.made.filter((r) => r.kind === 'stage').length, 1);
    assert.deepEqual(result.swept, [], 'nothing was left for the sweep');
    // Preparation and tidy-up each swept: ListStages, ListCompositions, ListIngestConfigurations once each. No
    // ListTagsForResource: in preparation the only ingest configuration is the one the show recorded (its own, so
    // not asked about), and at tidy-up it is deleted already.
    t.diagnostic(`sweep calls: ${JSON.stringify(result.sweepCalls)}`);
    assert.deepEqual(result.sweepCalls, {
      ListStages: 2,
      ListCompositions: 2,
      ListIngestConfigurations: 2,
    });
    await assertNothingLive(h.fixture);
  });

  for (const operation of ['CreateStage', 'CreateIngestConfiguration', 'StartComposition'] as const) {
    void test(`a cancel while ${operation} is in flight: the create finishes, is recorded and removed`, async () => {
      const id = h.showId(`cancel-${operation.toLowerCase()}`);
      const watch = watchIvs(id);
      const before = (await h.fixture.control.metrics()).faultsFired;
      await h.fixture.control.addFault({ operation, mode: 'latency', latencyMs: 3_000, count: 1 });
      const handle = await h.startShow(spec(id, { policies: { startComposition: 'immediately' } }));
      await waitFor(async () => (await h.fixture.control.metrics()).faultsFired > before, 30_000, {
        intervalMs: 100,
        description: `${operation} in flight`,
      });
      await handle.cancel();
      await cancelled(handle);
      const max = await watch.stop();
      // The create finished after the cancel and was recorded (the closed show still answers the query)...
      // ...and removed by tidy-up itself (the ended show lists it as removed, no longer as a resource), not only
      // found later by the sweep; never two of a kind meanwhile.
      const status = await handle.query(statusQuery);
      const kind = (
        {
          CreateStage: 'stage',
          CreateIngestConfiguration: 'ingest-configuration',
          StartComposition: 'composition',
        } as const
      )[operation];
      const removed = status.ending?.removed ?? [];
      assert.ok(
        removed.some((r) => r.kind === kind),
        `${operation}'s result was recorded and removed: ${JSON.stringify(status.ending)}`,
      );
      assert.ok(!status.incidents.some((i) => i.kind === 'UNRECORDED_SWEPT'), JSON.stringify(status.incidents));
      assert.ok(max.stages <= 1 && max.ingestConfigurations <= 1 && max.liveCompositions <= 1, JSON.stringify(max));
      await assertNothingLive(h.fixture);
    });
  }

  void test('what IVS holds under the run tag is the show’s: a duplicate is deleted in preparation, a leftover at tidy-up', async () => {
    const id = h.showId('dup');
    // The show prepares 3 s from now: time to make a stage under its run tag, as a create that landed late would.
    const start = new Date(Date.now() + 3_000).toISOString();
    const handle = await h.startShow(spec(id, { schedule: { start, duration: '10m', leadTime: 0 } }));
    const identity = { showId: id, workflowId: handle.workflowId, runKey: (await handle.describe()).runId };
    const early = await createStage(h.fixture.ivs, `show-${id}`, { tags: showTags(identity) });
    const waiting = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER', 60_000);
    assert.notEqual(waiting.resources.stageArn, early);
    assert.ok(
      waiting.incidents.some((i) => i.kind === 'DUPLICATE_REMOVED' && i.detail.includes(early)),
      'the duplicate stage was deleted during preparation',
    );
    const leftover = await createStage(h.fixture.ivs, `show-${id}-late`, { tags: showTags(identity) });
    const result = await endShow(h, handle);
    const swept = (result.swept ?? []).map((r) => r.arn);
    assert.ok(swept.includes(early) && swept.includes(leftover), JSON.stringify(result.swept));
    assert.ok(result.incidents.some((i) => i.kind === 'UNRECORDED_SWEPT' && i.detail.includes(leftover)));
    await assertNothingLive(h.fixture);
  });
});
