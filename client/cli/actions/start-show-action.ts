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

export const startShowAction: ActionBody<{ at?: Date }> = async (ctx, [file], options) => {
  let spec = await loadShowSpecFile(file!);
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
    },
    () => [
      `Started show ${spec.id} (workflow ${workflowIdForShow(spec.id)}) on task queue ${ctx.taskQueue}`,
      `Starts ${spec.schedule.start ? `at ${shortTime(spec.schedule.start)}` : 'now'}` +
        (preparesAt ? `; its workflow begins at ${shortTime(preparesAt)} to prepare` : ''),
      `Next: showrunner status ${spec.id} --watch`,
    ],
  );
};
