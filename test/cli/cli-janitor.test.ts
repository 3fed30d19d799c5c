import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CreateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { showTags } from '../../contracts/tags';
import type { JanitorReport } from '../../workflows';
import { workflowTracingOn } from '../../contracts/workflow-tracing';
import { ensureConfiguredJanitor } from '../../worker/janitor-config';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { cliEnv, parseJson, runCli } from './cli-runner';

void describe('showrunner janitor schedule|run|dry-run', () => {
  let h: ShowHarness;
  let env: NodeJS.ProcessEnv;
  const scheduleId = `cli-janitor-${randomBytes(3).toString('hex')}`;
  let orphanStage: string;
  before(async () => {
    h = await startShowHarness({ clockScale: 1 });
    env = cliEnv(h);
    const { stage } = await h.fixture.ivs.send(
      new CreateStageCommand({
        name: 'cli-janitor-orphan',
        tags: showTags({ showId: 'gone', workflowId: `show-gone-${randomUUID()}`, runKey: randomUUID() }),
      }),
    );
    orphanStage = stage!.arn!;
  });
  after(async () => {
    for (const id of [scheduleId, `${scheduleId}-worker`])
      await h.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await h.stop();
  });
  const cli = (...args: string[]) => runCli([...args, '--json'], env);
  const stageExists = async () =>
    (await h.fixture.control.inventory()).regions.some((r) => r.stages.some((s) => s.arn === orphanStage));

  void test('refuses bad input and a run without a Schedule, before any change', async () => {
    const badRegion = await cli('janitor', 'schedule', '--regions', 'moon-1', '--schedule-id', scheduleId);
    assert.equal(badRegion.code, 2);
    assert.match(badRegion.stderr, /--regions.*AWS regions/);
    const noSchedule = await cli('janitor', 'run', '--schedule-id', scheduleId);
    assert.equal(noSchedule.code, 2);
    assert.match(noSchedule.stderr, /No janitor Schedule .*showrunner janitor schedule/);
  });

  void test('a run removes a leftover only after an earlier run saw it; dry-run uses the Schedule’s memory', async () => {
    const created = await cli(
      'janitor',
      'schedule',
      '--regions',
      'us-east-1',
      '--grace',
      '0s',
      '--interval',
      '1h',
      '--remove',
      '--schedule-id',
      scheduleId,
    );
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(parseJson<{ dryRun: boolean }>(created).dryRun, false);

    const first = parseJson<{ report: JanitorReport }>(await cli('janitor', 'run', '--schedule-id', scheduleId));
    assert.deepEqual(first.report.removed, []);
    assert.ok(first.report.notFoundSince[orphanStage], 'first sighting remembered');
    assert.ok(await stageExists());

    const dry = parseJson<JanitorReport>(await cli('janitor', 'dry-run', '--schedule-id', scheduleId));
    assert.equal(dry.dryRun, true);
    assert.deepEqual(
      dry.orphans.map((o) => o.arn),
      [orphanStage],
    );
    assert.ok(await stageExists(), 'a dry run removes nothing');

    const second = parseJson<{ report: JanitorReport }>(await cli('janitor', 'run', '--schedule-id', scheduleId));
    assert.deepEqual(
      second.report.removed.map((r) => r.arn),
      [orphanStage],
    );
    assert.ok(!(await stageExists()));
  });

  void test('the worker ensures the Schedule when SHOWRUNNER_JANITOR_SCHEDULE=true (a dry run by default)', async () => {
    const id = `${scheduleId}-worker`;
    assert.equal(await ensureConfiguredJanitor(h.client, h.taskQueue, 'us-east-1', {}), undefined);
    const ensured = await ensureConfiguredJanitor(h.client, h.taskQueue, 'us-east-1', {
      SHOWRUNNER_JANITOR_SCHEDULE: 'true',
      SHOWRUNNER_JANITOR_SCHEDULE_ID: id,
    });
    assert.equal(ensured, id);
    const described = await h.client.schedule.getHandle(id).describe();
    assert.equal(described.action.type, 'startWorkflow');
    const input = described.action.args?.[0] as { dryRun: boolean; regions: string[] };
    assert.deepEqual([input.dryRun, input.regions], [true, ['us-east-1']]);
    // Its runs say whether they trace their workflow code, as every starter's do: off unless the worker traces.
    assert.equal(workflowTracingOn(described.action.memo), false);
    await ensureConfiguredJanitor(
      h.client,
      h.taskQueue,
      'us-east-1',
      { SHOWRUNNER_JANITOR_SCHEDULE: 'true', SHOWRUNNER_JANITOR_SCHEDULE_ID: id },
      true,
    );
    const traced = await h.client.schedule.getHandle(id).describe();
    assert.equal(traced.action.type === 'startWorkflow' && workflowTracingOn(traced.action.memo), true);
  });
});
