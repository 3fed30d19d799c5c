import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';
import { cliEnv, parseJson, runAll, runCli, writeSpec } from './cli-runner';
import { terminateRunningOn } from '../support/terminate-running';
import { workflowTracingOn } from '../../contracts/workflow-tracing';

interface ScheduleView {
  paused: boolean;
  note?: string;
  when: string[];
  actionsTaken: number;
  recentRuns: { scheduledAt: string; showId: string }[];
}

void describe('showrunner CLI: schedules start shows with distinct ids', () => {
  let h: ShowHarness;
  let env: NodeJS.ProcessEnv;
  let spec: string;
  const scheduleIds: string[] = [];
  before(async () => {
    h = await startShowHarness({ clockScale: 1 });
    env = cliEnv(h);
    // A start and an end in the template: both are replaced by each run's scheduled time and --duration.
    spec = await writeSpec({
      id: 'template',
      name: 'Nightly',
      schedule: { start: '2030-01-01T00:00:00Z', end: '2030-01-01T01:00:00Z', leadTime: 0 },
    });
  });
  after(async () => {
    for (const id of scheduleIds)
      await h.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await terminateRunningOn(h.client, [h.taskQueue]);
    await h.stop();
  });

  const cli = (...args: string[]) => runCli(args, env);
  const newScheduleId = () => {
    const id = `cli-sched-${randomBytes(3).toString('hex')}`;
    scheduleIds.push(id);
    return id;
  };
  /** Shows on this test's task queue whose id comes from the schedule. */
  const showsOf = async (scheduleId: string) => {
    const ids = new Set<string>();
    for await (const w of h.client.workflow.list({
      query: `ShowId IS NOT NULL AND TaskQueue = '${h.taskQueue}'`,
    })) {
      if (w.workflowId.startsWith(`show-${scheduleId}-`)) ids.add(w.workflowId.slice('show-'.length));
    }
    return ids;
  };
  const describeSchedule = async (id: string) =>
    parseJson<ScheduleView>(await cli('--json', 'schedule', 'describe', id));

  void test('an interval schedule starts a show per run, each with its own id; describe, pause, unpause, list', async () => {
    const id = newScheduleId();
    const created = await cli('schedule', 'create', id, spec, '--interval', '5s', '--duration', '2m');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`next: \\S+Z  show ${id}-\\d{14}`));
    assert.match(created.stderr, /schedule\.start of the spec is ignored/);

    const shows = await waitFor(async () => ((await showsOf(id)).size >= 2 ? showsOf(id) : undefined), 40_000, {
      intervalMs: 500,
      description: 'two runs of the schedule',
    });
    for (const showId of shows) assert.match(showId, new RegExp(`^${id}-\\d{14}$`));
    // Each show starts at its scheduled time (the id's stamp) and lasts --duration.
    const [first] = [...shows].sort();
    const status = parseJson<{ status: { scheduledStart: string; plannedEnd: string } }>(
      await cli('--json', 'status', first!),
    );
    const stamp = first!.slice(-14);
    assert.equal(status.status.scheduledStart.replace(/\D/g, '').slice(0, 14), stamp);
    assert.equal(Date.parse(status.status.plannedEnd) - Date.parse(status.status.scheduledStart), 120_000);
    // Created without SHOWRUNNER_OTEL_ENABLED: the runs' shows do not carry the workflow interceptors.
    const { memo } = await h.client.workflow.getHandle(`show-${first}`).describe();
    assert.equal(workflowTracingOn(memo), false, `memo ${JSON.stringify(memo)}`);

    const [paused, described] = await runAll(
      [
        ['schedule', 'pause', id, '--note', 'maintenance'],
        ['--json', 'schedule', 'describe', id],
      ],
      env,
    );
    assert.equal(paused!.code, 0, paused!.stderr);
    const view = parseJson<ScheduleView>(described!);
    assert.deepEqual(view.when, ['every 5s']);
    assert.ok(
      view.recentRuns.some((r) => shows.has(r.showId)),
      JSON.stringify(view.recentRuns),
    );
    const afterPause = await describeSchedule(id);
    assert.equal(afterPause.paused, true);
    assert.equal(afterPause.note, 'maintenance');
    const listed = await waitFor(
      async () => {
        const rows = parseJson<{ scheduleId: string; paused: boolean }[]>(await cli('--json', 'schedule', 'list'));
        return rows.find((r) => r.scheduleId === id && r.paused);
      },
      20_000,
      { intervalMs: 500, description: 'the paused schedule in schedule list' },
    );
    assert.ok(listed);

    const unpaused = await cli('schedule', 'unpause', id);
    assert.equal(unpaused.code, 0, unpaused.stderr);
    assert.equal((await describeSchedule(id)).paused, false);
    const human = await cli('schedule', 'describe', id);
    assert.match(human.stdout, new RegExp(`Schedule ${id} \\(active\\)`));
    assert.match(human.stdout, /When: +every 5s \(time zone UTC\)/);

    const deleted = await cli('schedule', 'delete', id);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await cli('schedule', 'describe', id);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, new RegExp(`No schedule with id ${id}`));
  });

  void test('trigger and backfill start runs of a paused schedule', async () => {
    const id = newScheduleId();
    const created = await runCli(
      ['schedule', 'create', id, spec, '--interval', '10s', '--duration', '2m', '--paused', '--note', 'manual only'],
      { ...env, SHOWRUNNER_OTEL_ENABLED: 'true' },
    );
    assert.equal(created.code, 0, created.stderr);
    const triggered = await cli('schedule', 'trigger', id);
    assert.equal(triggered.code, 0, triggered.stderr);
    const [triggeredShow] = await waitFor(
      async () => ((await showsOf(id)).size >= 1 ? [...(await showsOf(id))] : undefined),
      30_000,
      {
        intervalMs: 500,
        description: 'the triggered run',
      },
    );
    // Created with SHOWRUNNER_OTEL_ENABLED=true: the schedule's starter passes the choice on to the show it starts.
    const { memo } = await h.client.workflow.getHandle(`show-${triggeredShow}`).describe();
    assert.equal(workflowTracingOn(memo), true, `memo ${JSON.stringify(memo)}`);

    // A past window of 30s holds three 10s-interval times.
    const to = new Date(Math.floor(Date.now() / 10_000) * 10_000 - 10_000);
    const from = new Date(to.getTime() - 30_000);
    const backfilled = await cli('schedule', 'backfill', id, '--from', from.toISOString(), '--to', to.toISOString());
    assert.equal(backfilled.code, 0, backfilled.stderr);
    const backfilledIds = await waitFor(
      async () => {
        const ids = [...(await showsOf(id))].filter((s) => {
          const at = Date.parse(
            s.slice(-14).replace(/(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/, '$1-$2-$3T$4:$5:$6Z'),
          );
          return at >= from.getTime() && at <= to.getTime();
        });
        return ids.length >= 3 ? ids : undefined;
      },
      30_000,
      { intervalMs: 500, description: 'three backfilled runs' },
    );
    assert.equal(new Set(backfilledIds).size, backfilledIds.length);
    const view = await describeSchedule(id);
    assert.equal(view.paused, true);
    assert.ok(view.actionsTaken >= 4, JSON.stringify(view));
  });
});
