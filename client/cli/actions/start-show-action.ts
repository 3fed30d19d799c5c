import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { startShow } from '../../start-show';
import { loadShowSpecFile, parseShowSpec } from '../../../show-spec/parse-show-spec';
import { workflowIdForShow } from '../../../contracts/ids';
import type { ShowSpec } from '../../../show-spec/show-spec';
import type { ActionBody } from '../cli-action';
import { failedError, usageError } from '../cli-errors';
import { shortTime } from '../output';

/** `--at` moves the show's start; the spec is validated again so its end rules hold against the new start. */
function withStart(spec: ShowSpec, at: Date): ShowSpec {
  return parseShowSpec({ ...spec, schedule: { ...spec.schedule, start: at.toISOString() } }, '(with --at)');
}

/**
 * A spec's start in the past (an example copied as it is, a re-run of an old spec) does not stop the show: it
 * prepares now. But its planned end may have passed too, and then the show ends as soon as it is prepared.
 */
export function pastStartWarning(spec: ShowSpec, now = Date.now()): string | undefined {
  const { start, end, duration } = spec.schedule;
  if (!start || Date.parse(start) > now) return undefined;
  const plannedEnd = end ? Date.parse(end) : Date.parse(start) + (duration ?? 0);
  const fix = 'remove schedule.start from the spec to start now, or pass --at with a future time';
  return plannedEnd <= now
    ? `Warning: the spec's start ${shortTime(start)} and planned end ${shortTime(new Date(plannedEnd).toISOString())} ` +
        `are in the past: the show prepares now and ends as soon as it is ready (${fix})`
    : `Warning: the spec's start ${shortTime(start)} is in the past: the show starts now and still ends at ` +
        `${shortTime(new Date(plannedEnd).toISOString())} (${fix})`;
}

export const startShowAction: ActionBody<{ at?: Date }> = async (ctx, [file], options) => {
  let spec = await loadShowSpecFile(file!);
  const warning = options.at ? undefined : pastStartWarning(spec);
  if (warning) ctx.out.note(warning);
  let startDelayMs: number | undefined;
  if (options.at) {
    if (options.at.getTime() <= Date.now()) {
      throw usageError(`--at ${options.at.toISOString()} is in the past: give a future time, or leave --at out`);
    }
    spec = withStart(spec, options.at);
    // The workflow first exists when preparation must begin, so the stage is ready at --at.
    startDelayMs = Math.max(0, options.at.getTime() - spec.schedule.leadTime - Date.now());
  }
  const client = await ctx.client();
  const handle = await startShow(client, spec, {
    taskQueue: ctx.taskQueue,
    monitorTaskQueue: ctx.monitorTaskQueue,
    startDelayMs,
    workflowTracing: ctx.workflowTracing,
  }).catch((e: unknown) => {
    if (e instanceof WorkflowExecutionAlreadyStartedError) {
      throw failedError(
        `A show with id ${spec.id} already exists: see \`showrunner status ${spec.id}\`, or change the id in the spec`,
      );
    }
    throw e;
  });
  const preparesAt = startDelayMs ? new Date(Date.now() + startDelayMs) : undefined;
  ctx.out.result(
    {
      showId: spec.id,
      workflowId: handle.workflowId,
      taskQueue: ctx.taskQueue,
      scheduledStart: spec.schedule.start ?? null,
      workflowStartsAt: preparesAt?.toISOString() ?? null,
      warnings: warning ? [warning] : [],
    },
    () => [
      `Started show ${spec.id} (workflow ${workflowIdForShow(spec.id)}) on task queue ${ctx.taskQueue}`,
      `Starts ${spec.schedule.start ? `at ${shortTime(spec.schedule.start)}` : 'now'}` +
        (preparesAt ? `; its workflow begins at ${shortTime(preparesAt)} to prepare` : ''),
      `Next: showrunner status ${spec.id} --watch`,
    ],
  );
};
