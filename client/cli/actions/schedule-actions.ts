import type { ScheduleSummary } from '@temporalio/client';
import { scheduledShowWorkflow } from '../../../workflows';
import { scheduledShowId } from '../../../contracts/ids';
import type { ActionBody } from '../cli-action';
import { usageError } from '../cli-errors';
import { formatSchedule, scheduleView } from '../format/format-schedule';
import { shortTime, table } from '../output';
import type { OverlapPolicy } from '../parse-options';

function row(s: ScheduleSummary) {
  const last = s.info.recentActions.at(-1);
  return {
    scheduleId: s.scheduleId,
    paused: s.state.paused,
    note: s.state.note || undefined,
    nextRun: shortTime(s.info.nextActionTimes[0]),
    latestShowId: last && scheduledShowId(s.scheduleId, last.scheduledAt),
  };
}

export const listSchedulesAction: ActionBody<unknown> = async (ctx) => {
  const client = await ctx.client({ payloads: false });
  const schedules: ReturnType<typeof row>[] = [];
  for await (const s of client.schedule.list()) {
    // Other schedules may share the namespace: only those that start shows are Showrunner's.
    if (s.action?.workflowType === scheduledShowWorkflow.name) schedules.push(row(s));
  }
  ctx.out.result(schedules, () =>
    schedules.length === 0
      ? 'No schedules: create one with `showrunner schedule create <id> <spec> --cron ...`'
      : table(
          ['SCHEDULE ID', 'STATE', 'NEXT RUN', 'LATEST SHOW', 'NOTE'],
          schedules.map((s) => [s.scheduleId, s.paused ? 'paused' : 'active', s.nextRun, s.latestShowId, s.note]),
        ),
  );
};

export const describeScheduleAction: ActionBody<unknown> = async (ctx, [scheduleId]) => {
  const client = await ctx.client();
  const view = scheduleView(await client.schedule.getHandle(scheduleId!).describe());
  ctx.out.result(view, () => formatSchedule(view));
};

export const pauseScheduleAction: ActionBody<{ note?: string }> = async (ctx, [scheduleId], options) => {
  const client = await ctx.client({ payloads: false });
  // The SDK's default notes name the SDK; the server needs some note (an empty one does not unpause).
  await client.schedule.getHandle(scheduleId!).pause(options.note ?? 'paused with showrunner schedule pause');
  ctx.out.result(
    { scheduleId, paused: true },
    () => `Paused schedule ${scheduleId}; resume with \`showrunner schedule unpause ${scheduleId}\``,
  );
};

export const unpauseScheduleAction: ActionBody<{ note?: string }> = async (ctx, [scheduleId], options) => {
  const client = await ctx.client({ payloads: false });
  await client.schedule.getHandle(scheduleId!).unpause(options.note ?? 'unpaused with showrunner schedule unpause');
  ctx.out.result({ scheduleId, paused: false }, () => `Resumed schedule ${scheduleId}`);
};

export const triggerScheduleAction: ActionBody<unknown> = async (ctx, [scheduleId]) => {
  const client = await ctx.client({ payloads: false });
  const at = new Date();
  await client.schedule.getHandle(scheduleId!).trigger();
  ctx.out.result({ scheduleId, triggeredAt: at.toISOString() }, () => [
    `Triggered schedule ${scheduleId}: a show starts now`,
    `Next: showrunner schedule describe ${scheduleId}`,
  ]);
};

export const backfillScheduleAction: ActionBody<{ from: Date; to: Date; overlap: OverlapPolicy }> = async (
  ctx,
  [scheduleId],
  options,
) => {
  if (options.from >= options.to) throw usageError('--from must be before --to');
  const client = await ctx.client({ payloads: false });
  await client.schedule
    .getHandle(scheduleId!)
    .backfill({ start: options.from, end: options.to, overlap: options.overlap });
  ctx.out.result({ scheduleId, from: options.from.toISOString(), to: options.to.toISOString() }, () => [
    `Backfilling schedule ${scheduleId} from ${shortTime(options.from)} to ${shortTime(options.to)}: a show starts for every scheduled time in between`,
    `Next: showrunner schedule describe ${scheduleId}`,
  ]);
};

export const deleteScheduleAction: ActionBody<unknown> = async (ctx, [scheduleId]) => {
  const client = await ctx.client({ payloads: false });
  await client.schedule.getHandle(scheduleId!).delete();
  ctx.out.result(
    { scheduleId, deleted: true },
    () => `Deleted schedule ${scheduleId}; shows it started keep running (\`showrunner list\`)`,
  );
};
