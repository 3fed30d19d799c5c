import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  ListPublicKeysCommand,
  StartCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { ScheduleOverlapPolicy, type WorkflowHandle } from '@temporalio/client';
import { ensureJanitorSchedule, type JanitorScheduleOptions } from '../../client/janitor-schedule';
import { showTags, TAG_KEEP, TAG_RUN_KEY, TAG_WORKFLOW_ID } from '../../contracts/tags';
import { janitorWorkflow, type JanitorInput, type JanitorReport, type showWorkflow } from '../../workflows';
import { endUpdate, statusQuery } from '../../contracts/show-messages';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';
import { freshChannelArn } from '../../dev/aws/local-aws';

const hex = (n = 4) => randomBytes(n).toString('hex');

void describe('janitor workflow', () => {
  let h: ShowHarness;
  /** A workflow ID no workflow has: its resources are orphans. */
  const missingWorkflowId = `show-missing-${hex()}`;
  const orphanTags = showTags({ showId: 'missing', workflowId: missingWorkflowId, runKey: randomUUID() });
  const arns = {
    /** Tags naming a real (terminated) show's workflow ID with a run key of no run of it: forged or foreign. */
    forgedStage: '',
    /** A run key that is not a run ID at all. */
    junkRunKeyStage: '',
    /** A show with policies.keep.stage and keep.ingestConfiguration, completed normally. */
    keptShowStage: '',
    keptShowIngest: '',
    orphanStage: '',
    orphanIngest: '',
    orphanComposition: '',
    untaggedStage: '',
    keptStage: '',
    runningStage: '',
    runningIngest: '',
    terminatedStage: '',
    terminatedIngest: '',
    /** The audience public key of the show terminated before its tidy-up. */
    terminatedKey: '',
  };
  let running: WorkflowHandle<typeof showWorkflow>;

  async function createStage(tags: Record<string, string>): Promise<string> {
    const { stage } = await h.fixture.ivs.send(new CreateStageCommand({ name: `janitor-${hex()}`, tags }));
    return stage!.arn!;
  }

  /** A show without a composition is LIVE as soon as its stage and ingest configuration exist. */
  async function preparedShow(keep = false, audience = false) {
    const handle = await h.startShow({
      id: h.showId('janitor'),
      name: 'Janitor neighbour',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }],
      ingest: { enabled: true },
      ...(audience ? { audience: {} } : {}),
      policies: { pollInterval: '1s', ...(keep ? { keep: { stage: true, ingestConfiguration: true } } : {}) },
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
      for (const k of r.publicKeys) live.add(k.arn);
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
    const dead = await preparedShow(false, true);
    await dead.handle.terminate('simulated crash');
    const deadWorkflowId = (await dead.handle.describe()).workflowId;
    const { publicKeys } = await h.fixture.ivs.send(new ListPublicKeysCommand({}));
    arns.terminatedKey = publicKeys!.find((k) => k.tags?.[TAG_WORKFLOW_ID] === deadWorkflowId)!.arn!;
    arns.terminatedStage = dead.stageArn;
    arns.terminatedIngest = dead.ingestArn!;
    const deadId = (await dead.handle.describe()).workflowId;
    arns.forgedStage = await createStage(showTags({ showId: 'forged', workflowId: deadId, runKey: randomUUID() }));
    arns.junkRunKeyStage = await createStage({ ...orphanTags, [TAG_RUN_KEY]: 'whatever' });
    // A show told to keep its stage and ingest configuration, which ends and tidies up normally.
    const kept = await preparedShow(true);
    await kept.handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    await kept.handle.result();
    arns.keptShowStage = kept.stageArn;
    arns.keptShowIngest = kept.ingestArn!;
  });
  after(async () => h.stop());

  /** Filled by the first sweep: what the next sweeps are handed as earlier sightings. */
  let firstSweep: JanitorReport;
  const notFoundArns = () => [arns.orphanStage, arns.orphanIngest, arns.orphanComposition, arns.forgedStage];

  void test('first sweep: a show run not found is only a suspect; recent, running, kept and foreign are spared', async () => {
    const before = await liveArns();
    // Not a dry run: the first sighting of "not found" must not remove anything whatever the settings.
    const report = await runJanitor({ regions: ['us-east-1'], gracePeriodMs: 60 * 60_000, dryRun: false });
    firstSweep = report;

    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.orphans, []);
    assert.deepEqual(report.removed, []);
    // A workflow that does not exist, and a real workflow whose tagged run key is none of its runs: both first seen.
    assert.deepEqual(new Set(Object.keys(report.notFoundSince)), new Set(notFoundArns()));
    for (const arn of notFoundArns()) assert.match(reasonFor(report, arn)!, /run not found .*first seen now/);
    assert.match(reasonFor(report, arns.forgedStage)!, /has no run/);
    assert.match(reasonFor(report, arns.orphanStage)!, /no workflow show-missing/);
    assert.match(reasonFor(report, arns.junkRunKeyStage)!, /names no show run/);
    assert.match(reasonFor(report, arns.terminatedStage)!, /TERMINATED at .*grace period/);
    assert.match(reasonFor(report, arns.terminatedIngest)!, /TERMINATED at .*grace period/);
    assert.match(reasonFor(report, arns.terminatedKey)!, /TERMINATED at .*grace period/);
    assert.match(reasonFor(report, arns.runningStage)!, /is RUNNING/);
    assert.match(reasonFor(report, arns.runningIngest)!, /is RUNNING/);
    assert.match(reasonFor(report, arns.keptStage)!, /kept/);
    assert.match(reasonFor(report, arns.keptShowStage)!, /kept/);
    assert.match(reasonFor(report, arns.keptShowIngest)!, /kept/);
    // Not ours: counted, never listed.
    const listed = new Set([...arnsOf(report.orphans), ...arnsOf(report.skipped)]);
    assert.ok(!listed.has(arns.untaggedStage));
    assert.deepEqual(report.scanned, { stages: 8, compositions: 1, ingestConfigurations: 4 });
    assert.deepEqual(await liveArns(), before);
  });

  void test('dry run after an earlier sweep, no grace period: every orphan is listed, nothing is deleted', async () => {
    const before = await liveArns();
    const handle = await h.client.workflow.start(janitorWorkflow, {
      workflowId: `janitor-test-${hex()}`,
      taskQueue: h.taskQueue,
      args: [{ regions: ['us-east-1'], gracePeriodMs: 0, dryRun: true, notFoundSince: firstSweep.notFoundSince }],
    });
    const report = await handle.result();
    const expected = [...notFoundArns(), arns.terminatedStage, arns.terminatedIngest, arns.terminatedKey];
    assert.deepEqual(arnsOf(report.orphans), new Set(expected));
    for (const arn of notFoundArns())
      assert.match(report.orphans.find((o) => o.arn === arn)!.reason, /not found .*since .*earlier sweep/);
    // The first sighting is carried forward, not renewed.
    assert.deepEqual(report.notFoundSince, firstSweep.notFoundSince);
    // Compositions first, stages last: the order removal will follow.
    assert.deepEqual(
      report.orphans.map((o) => o.kind),
      ['composition', 'ingestConfiguration', 'ingestConfiguration', 'stage', 'stage', 'stage', 'publicKey'],
    );
    assert.deepEqual(report.removed, []);
    assert.deepEqual(await liveArns(), before);

    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.match(metadata.currentDetails ?? '', /## Janitor \(dry run\) — done/);
    assert.ok(metadata.currentDetails!.includes(arns.orphanComposition));
  });

  void test('the Schedule hands a run’s findings to the next run', async () => {
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
    const nthRun = async (n: number) => {
      // The Schedule records a run's result once it has seen the run close; only then does the next run get it.
      await waitFor(async () => (await schedule.describe()).info.runningActions.length === 0 || undefined, 30_000, {
        intervalMs: 250,
        description: 'the schedule saw its previous run close',
      });
      // The SDK's default (ALLOW_ALL) starts a run the Schedule does not watch, so its result would be lost.
      await schedule.trigger(ScheduleOverlapPolicy.SKIP);
      const workflowId = await waitFor(
        async () => {
          const actions = (await schedule.describe()).info.recentActions;
          return actions.length >= n ? actions[n - 1]!.action.workflow.workflowId : undefined;
        },
        30_000,
        { intervalMs: 250, description: `the schedule started run ${n}` },
      );
      return (await h.client.workflow.getHandle(workflowId).result()) as JanitorReport;
    };
    try {
      // Idempotent: a second call updates the same Schedule.
      await ensureJanitorSchedule(h.client, { ...options, interval: '2 hours' });
      const described = await schedule.describe();
      assert.equal(described.policies.overlap, 'SKIP');
      assert.equal(described.spec.intervals?.[0]?.every, 2 * 60 * 60_000);

      const first = await nthRun(1);
      assert.equal(first.dryRun, true);
      assert.deepEqual(first.failed, []);
      assert.ok(!arnsOf(first.orphans).has(arns.orphanStage), 'not found on the first run: only a suspect');
      assert.ok(first.notFoundSince[arns.orphanStage]);
      const second = await nthRun(2);
      assert.ok(arnsOf(second.orphans).has(arns.orphanStage), 'the second run was handed the first one’s findings');
      assert.equal(second.notFoundSince[arns.orphanStage], first.notFoundSince[arns.orphanStage]);
      assert.deepEqual(second.removed, []);
    } finally {
      await schedule.delete();
    }
  });

  void test('for real: orphans are removed; running, kept and foreign resources stay past the grace period', async () => {
    const report = await runJanitor({
      regions: ['us-east-1'],
      gracePeriodMs: 0,
      dryRun: false,
      notFoundSince: firstSweep.notFoundSince,
    });
    assert.deepEqual(report.failed, []);
    assert.equal(report.orphans.length, 7);
    assert.deepEqual(arnsOf(report.removed), arnsOf(report.orphans));
    assert.ok(report.removed.every((r) => r.outcome === 'removed'));

    const live = await liveArns();
    for (const gone of [...notFoundArns(), arns.terminatedStage, arns.terminatedIngest, arns.terminatedKey])
      assert.ok(!live.has(gone), `${gone} was removed`);
    for (const kept of [
      arns.untaggedStage,
      arns.keptStage,
      arns.keptShowStage,
      arns.keptShowIngest,
      arns.junkRunKeyStage,
      arns.runningStage,
      arns.runningIngest,
    ])
      assert.ok(live.has(kept), `${kept} is untouched`);
    assert.equal((await running.describe()).status.name, 'RUNNING');
    assert.equal((await running.query(statusQuery)).phase, 'LIVE');

    // Nothing left to do: a second run finds no orphans.
    const again = await runJanitor({ regions: ['us-east-1'], gracePeriodMs: 0, dryRun: false });
    assert.deepEqual(again.orphans, []);
    assert.deepEqual(again.removed, []);
  });
});
