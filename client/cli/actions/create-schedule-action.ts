import type { CalendarSpec } from '@temporalio/client';
import { loadShowSpecFile, parseShowSpec } from '../../../show-spec/parse-show-spec';
import type { ShowSpec } from '../../../show-spec/show-spec';
import { scheduledShowWorkflow, type ScheduledShowInput } from '../../../workflows';
import { scheduledShowId } from '../../../contracts/ids';
import type { ActionBody } from '../cli-action';
import type { CliContext } from '../cli-context';
import { usageError } from '../cli-errors';
import { shortTime } from '../output';
import type { OverlapPolicy } from '../parse-options';
import { durationOption } from './duration-option';
import { scheduleSpecOf } from './schedule-spec';
import { workflowTracingMemo } from '../../../contracts/workflow-tracing';

interface CreateOptions {
  cron?: string;
  interval?: string;
  calendar?: CalendarSpec[];
  timeZone?: string;
  overlap: OverlapPolicy;
  catchupWindow?: string;
  duration?: string;
  paused?: boolean;
  note?: string;
}

/** Starter workflows get `<this>-<scheduled time>` from Temporal; the shows they start get `show-<derived id>`. */
export const starterWorkflowId = (scheduleId: string) => `scheduled-show-${scheduleId}`;

/**
 * The spec as a template: every run starts at its scheduled time, so a fixed start or end cannot hold; each run
 * lasts schedule.duration or --duration.
 */
async function loadTemplate(ctx: CliContext, file: string, duration: number | undefined): Promise<ShowSpec> {
  const spec = await loadShowSpecFile(file);
  const runLength = duration ?? spec.schedule.duration;
  if (runLength === undefined) {
    throw usageError(
      'A scheduled show lasts a duration from each scheduled time: give schedule.duration in the spec, or --duration',
    );
  }
  if (spec.schedule.start)
    ctx.out.note('Note: schedule.start of the spec is ignored: each run starts at its scheduled time');
  const schedule = { ...spec.schedule, start: undefined, end: undefined, duration: runLength };
  return parseShowSpec({ ...spec, schedule }, `${file} (as a schedule template)`);
}

export const createScheduleAction: ActionBody<CreateOptions> = async (ctx, [scheduleId, file], options) => {
  const when = scheduleSpecOf({ ...options, interval: durationOption('--interval', options.interval) });
  const catchupWindow = durationOption('--catchup-window', options.catchupWindow);
  if (catchupWindow !== undefined && catchupWindow < 10_000) {
    throw usageError("--catchup-window must be at least 10s (Temporal's minimum)");
  }
  const spec = await loadTemplate(ctx, file!, durationOption('--duration', options.duration));
  const input: ScheduledShowInput = { scheduleId: scheduleId!, spec, monitorTaskQueue: ctx.monitorTaskQueue };
  const client = await ctx.client();
  const handle = await client.schedule
    .create({
      scheduleId: scheduleId!,
      spec: when,
      action: {
        type: 'startWorkflow',
        workflowType: scheduledShowWorkflow,
        workflowId: starterWorkflowId(scheduleId!),
        taskQueue: ctx.taskQueue,
        args: [input],
        // Each run's starter passes it on to the show it starts (scheduled-show-workflow.ts).
        memo: workflowTracingMemo(ctx.workflowTracing),
        staticSummary: `Start a run of ${spec.name} (schedule ${scheduleId})`,
      },
      policies: { overlap: options.overlap, catchupWindow },
      state: { paused: !!options.paused, note: options.note },
    })
    .catch((e: unknown) => {
      // The SDK checks cron expressions and calendar fields itself, with a TypeError naming the bad part.
      if (e instanceof TypeError) throw usageError(`Invalid --cron or --calendar: ${e.message}`);
      throw e;
    });
  const next = (await handle.describe()).info.nextActionTimes.slice(0, 3);
  const nextRuns = next.map((at) => ({ at: shortTime(at), showId: scheduledShowId(scheduleId!, at) }));
  ctx.out.result({ scheduleId, paused: !!options.paused, taskQueue: ctx.taskQueue, nextRuns }, () => [
    `Created schedule ${scheduleId}${options.paused ? ' (paused)' : ''} on task queue ${ctx.taskQueue}`,
    ...(nextRuns.length === 0 ? ['  No upcoming runs'] : nextRuns.map((r) => `  next: ${r.at}  show ${r.showId}`)),
    `Next: showrunner schedule describe ${scheduleId}`,
  ]);
};
