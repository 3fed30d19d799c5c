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

const freshChannelArn = () => `arn:aws:ivs:us-east-1:123456789012:channel/${randomBytes(6).toString('hex')}`;

void describe('show workflow: retries never duplicate resources', () => {
  let h: ShowHarness;
  before(async () => {
    // Long idle rules: a composition started before anyone joins must stay up through a test.
    h = await startShowHarness({
      clockScale: 1,
      timings: {
        compositionStartMs: 500,
        compositionStopMs: 500,
        idleStopAfterLastLeftMs: 60_000,
        idleStopWithoutParticipantsMs: 60_000,
        destinationReconnectWindowMs: 60_000,
      },
    });
  });
  after(async () => {
    await h.fixture.control.clearFaults().catch(() => undefined);
    await h.stop();
  });

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

  async function apiCalls(): Promise<Record<string, number>> {
    const { api } = await h.fixture.control.metrics();
    const calls: Record<string, number> = {};
    for (const operations of Object.values(api))
      for (const [operation, m] of Object.entries(operations)) calls[operation] = (calls[operation] ?? 0) + m.calls;
    return calls;
  }

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

  const spec = (id: string, extra: Partial<ShowSpecInput> = {}): ShowSpecInput => ({
    id,
    name: 'Retry safety',
    schedule: { duration: '10m', leadTime: 0 },
    participants: [{ userId: 'alice', role: 'host' }],
    composition: { channelArn: freshChannelArn() },
    ...extra,
    policies: { pollInterval: '1s', ...extra.policies },
  });

  async function endAndCheckTidy(handle: ShowHandle, showId: string) {
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    const result = await handle.result();
    assert.equal(result.outcome, 'COMPLETED');
    assert.deepEqual(await resourcesOf(showId), { stages: [], ingestConfigurations: [], liveCompositions: [] });
    return result;
  }

  void test('a lost CreateStage response leaves exactly one stage', async () => {
    await h.fixture.control.addFault({ operation: 'CreateStage', mode: 'lost-response', count: 1 });
    const id = h.showId('lost-stage');
    const before = await apiCalls();
    const handle = await h.startShow(spec(id));
    const waiting = await waitForStatus(handle, 'waiting for a publisher', (s) => s.phase === 'WAITING_FOR_PUBLISHER');

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
    const waiting = await waitForStatus(handle, 'waiting for a publisher', (s) => s.phase === 'WAITING_FOR_PUBLISHER');

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
      const handle = await h.startShow(spec(id, { ingest: { enabled: true } }));
      await waitForStatus(handle, 'waiting for a publisher', (s) => s.phase === 'WAITING_FOR_PUBLISHER', 60_000);
      const [alice] = await handle.query(participantTokensQuery);
      await h.fixture.control.join(alice!.token, { publish: true });
      const live = await waitForStatus(handle, 'on air', onAir, 60_000);

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
    assert.deepEqual((await h.fixture.control.inventory()).live, {
      stages: 0,
      ingestConfigurations: 0,
      compositions: 0,
    });
  });
});
