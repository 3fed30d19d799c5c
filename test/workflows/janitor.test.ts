import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  StartCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import type { WorkflowHandle } from '@temporalio/client';
import { ensureJanitorSchedule, type JanitorScheduleOptions } from '../../client/janitor-schedule';
import { statusQuery } from '../../contracts/show-messages';
import { showTags, TAG_KEEP } from '../../contracts/tags';
import { janitorWorkflow, type JanitorInput, type JanitorReport, type showWorkflow } from '../../workflows';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';

const hex = (n = 4) => randomBytes(n).toString('hex');
const freshChannelArn = () => `arn:aws:ivs:us-east-1:123456789012:channel/${hex(6)}`;

void describe('janitor workflow', () => {
  let h: ShowHarness;
  /** A workflow ID no workflow has: its resources are orphans. */
  const missingWorkflowId = `show-missing-${hex()}`;
  const orphanTags = showTags({ showId: 'missing', workflowId: missingWorkflowId, runKey: `run-${hex()}` });
  const arns = {
    orphanStage: '',
    orphanIngest: '',
    orphanComposition: '',
    untaggedStage: '',
    keptStage: '',
    runningStage: '',
    runningIngest: '',
    terminatedStage: '',
    terminatedIngest: '',
  };
  let running: WorkflowHandle<typeof showWorkflow>;

  async function createStage(tags: Record<string, string>): Promise<string> {
    const { stage } = await h.fixture.ivs.send(new CreateStageCommand({ name: `janitor-${hex()}`, tags }));
    return stage!.arn!;
  }

  /** A show without a composition is LIVE as soon as its stage and ingest configuration exist. */
  async function preparedShow() {
    const handle = await h.startShow({
      id: h.showId('janitor'),
      name: 'Janitor neighbour',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }],
      ingest: { enabled: true },
      policies: { pollInterval: '1s' },
    });
    const status = await waitFor(
      async () => {
        const s = await handle.query(statusQuery);
        return s.phase === 'LIVE' && s.resources.ingestConfigurationArn ? s : undefined;
      },
      30_000,
      { intervalMs: 250, description: 'show prepared and live' },
    );
    return { handle, stageArn: status.resources.stageArn!, ingestArn: status.resources.ingestConfigurationArn };
  }

  const runJanitor = (input: JanitorInput) =>
    h.client.workflow.execute(janitorWorkflow, {
      workflowId: `janitor-test-${hex()}`,
      taskQueue: h.taskQueue,
      args: [input],
    });

  async function liveArns(): Promise<Set<string>> {
    const inventory = await h.fixture.control.inventory();
    const live = new Set<string>();
    for (const r of inventory.regions) {
      for (const s of r.stages) live.add(s.arn);
      for (const c of r.ingestConfigurations) live.add(c.arn);
      for (const c of r.compositions) if (c.state === 'STARTING' || c.state === 'ACTIVE') live.add(c.arn);
    }
    return live;
  }

  const arnsOf = (entries: { arn: string }[]) => new Set(entries.map((e) => e.arn));
  const reasonFor = (report: JanitorReport, arn: string) => report.skipped.find((s) => s.arn === arn)?.reason;

  before(async () => {
    h = await startShowHarness({
      clockScale: 1,
      // The orphan composition has nobody on its stage: it must stay live for the whole file.
      timings: { compositionStartMs: 200, idleStopWithoutParticipantsMs: 600_000, idleStopAfterLastLeftMs: 600_000 },
    });
    arns.orphanStage = await createStage(orphanTags);
    arns.untaggedStage = await createStage({ team: 'someone-else' });
    arns.keptStage = await createStage({ ...orphanTags, [TAG_KEEP]: 'true' });
    const { ingestConfiguration } = await h.fixture.ivs.send(
      new CreateIngestConfigurationCommand({ stageArn: arns.orphanStage, ingestProtocol: 'RTMPS', tags: orphanTags }),
    );
    arns.orphanIngest = ingestConfiguration!.arn!;
    const { composition } = await h.fixture.ivs.send(
      new StartCompositionCommand({
        stageArn: arns.orphanStage,
        destinations: [{ channel: { channelArn: freshChannelArn() } }],
        tags: orphanTags,
      }),
    );
    arns.orphanComposition = composition!.arn!;

    const live = await preparedShow();
    running = live.handle;
    arns.runningStage = live.stageArn;
    arns.runningIngest = live.ingestArn!;
    // Terminated before it could tidy up: exactly the leak the janitor exists for.
    const dead = await preparedShow();
    await dead.handle.terminate('simulated crash');
    arns.terminatedStage = dead.stageArn;
    arns.terminatedIngest = dead.ingestArn!;
  });
  after(async () => h.stop());

  void test('dry run with a grace period: reports without removing, spares recent, running, kept and foreign', async () => {
    const before = await liveArns();
    const report = await runJanitor({ regions: ['us-east-1'], gracePeriodMs: 60 * 60_000, dryRun: true });

    assert.equal(report.dryRun, true);
    assert.deepEqual(report.removed, []);
    assert.deepEqual(report.failed, []);
    // No workflow and no creation time in the API: an orphan at once.
    assert.deepEqual(arnsOf(report.orphans), new Set([arns.orphanStage, arns.orphanIngest]));
    assert.ok(report.orphans.every((o) => o.showWorkflowId === missingWorkflowId && /not found/.test(o.reason)));
    // The composition's startTime and the terminated show's close time are within the grace period.
    assert.match(reasonFor(report, arns.orphanComposition)!, /created at .*grace period/);
    assert.match(reasonFor(report, arns.terminatedStage)!, /TERMINATED at .*grace period/);
    assert.match(reasonFor(report, arns.terminatedIngest)!, /TERMINATED at .*grace period/);
    assert.match(reasonFor(report, arns.runningStage)!, /is RUNNING/);
    assert.match(reasonFor(report, arns.runningIngest)!, /is RUNNING/);
    assert.match(reasonFor(report, arns.keptStage)!, /kept/);
    // Not ours: counted, never listed.
    const listed = new Set([...arnsOf(report.orphans), ...arnsOf(report.skipped)]);
    assert.ok(!listed.has(arns.untaggedStage));
    assert.deepEqual(report.scanned, { stages: 5, compositions: 1, ingestConfigurations: 3 });
    assert.deepEqual(await liveArns(), before);
  });

  void test('dry run without a grace period: every orphan is listed, nothing is deleted', async () => {
    const before = await liveArns();
    const handle = await h.client.workflow.start(janitorWorkflow, {
      workflowId: `janitor-test-${hex()}`,
      taskQueue: h.taskQueue,
      args: [{ regions: ['us-east-1'], gracePeriodMs: 0, dryRun: true }],
    });
    const report = await handle.result();
    const expected = [
      arns.orphanStage,
      arns.orphanIngest,
      arns.orphanComposition,
      arns.terminatedStage,
      arns.terminatedIngest,
    ];
    assert.deepEqual(arnsOf(report.orphans), new Set(expected));
    // Compositions first, stages last: the order removal will follow.
    assert.deepEqual(
      report.orphans.map((o) => o.kind),
      ['composition', 'ingestConfiguration', 'ingestConfiguration', 'stage', 'stage'],
    );
    assert.deepEqual(report.removed, []);
    assert.deepEqual(await liveArns(), before);

    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.match(metadata.currentDetails ?? '', /## Janitor \(dry run\) — done/);
    assert.ok(metadata.currentDetails!.includes(arns.orphanComposition));
  });

  void test('for real: orphans are removed; running, kept and foreign resources stay', async () => {
    const report = await runJanitor({ regions: ['us-east-1'], gracePeriodMs: 0, dryRun: false });
    assert.deepEqual(report.failed, []);
    assert.equal(report.orphans.length, 5);
    assert.deepEqual(arnsOf(report.removed), arnsOf(report.orphans));
    assert.ok(report.removed.every((r) => r.outcome === 'removed'));

    const live = await liveArns();
    for (const gone of [
      arns.orphanStage,
      arns.orphanIngest,
      arns.orphanComposition,
      arns.terminatedStage,
      arns.terminatedIngest,
    ])
      assert.ok(!live.has(gone), `${gone} was removed`);
    for (const kept of [arns.untaggedStage, arns.keptStage, arns.runningStage, arns.runningIngest])
      assert.ok(live.has(kept), `${kept} is untouched`);
    assert.equal((await running.describe()).status.name, 'RUNNING');
    assert.equal((await running.query(statusQuery)).phase, 'LIVE');

    // Nothing left to do: a second run finds no orphans.
    const again = await runJanitor({ regions: ['us-east-1'], gracePeriodMs: 0, dryRun: false });
    assert.deepEqual(again.orphans, []);
    assert.deepEqual(again.removed, []);
  });

  void test('ensureJanitorSchedule creates (then updates) a Schedule whose runs are janitor runs', async () => {
    const scheduleId = `showrunner-janitor-test-${hex()}`;
    const options: JanitorScheduleOptions = {
      scheduleId,
      taskQueue: h.taskQueue,
      interval: '1 hour',
      regions: ['us-east-1'],
      gracePeriodMs: 0,
      dryRun: true,
    };
    const schedule = await ensureJanitorSchedule(h.client, options);
    try {
      // Idempotent: a second call updates the same Schedule.
      await ensureJanitorSchedule(h.client, { ...options, interval: '2 hours' });
      const described = await schedule.describe();
      assert.equal(described.policies.overlap, 'SKIP');
      assert.equal(described.spec.intervals?.[0]?.every, 2 * 60 * 60_000);

      await schedule.trigger();
      const workflowId = await waitFor(
        async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId,
        30_000,
        { intervalMs: 250, description: 'the schedule started a run' },
      );
      const report = (await h.client.workflow.getHandle(workflowId).result()) as JanitorReport;
      assert.equal(report.dryRun, true);
      assert.deepEqual(report.removed, []);
      assert.deepEqual(report.failed, []);
      assert.ok(report.scanned.stages >= 3);
    } finally {
      await schedule.delete();
    }
  });
});
