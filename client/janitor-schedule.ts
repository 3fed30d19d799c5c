import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { janitorWorkflow, type JanitorInput } from '../workflows';

export const JANITOR_SCHEDULE_ID = 'showrunner-janitor';

export interface JanitorScheduleOptions extends JanitorInput {
  taskQueue: string;
  /** Time between runs, e.g. '15 minutes'. */
  interval: Duration;
  /** Tests use their own; one deployment has one janitor. */
  scheduleId?: string;
}

/**
 * Creates the janitor's Schedule, or brings an existing one in line with `options` (idempotent: call it at every
 * deploy). Overlap SKIP: a sweep still running when the next is due makes that one unnecessary, and two sweeps at
 * once would only race each other to the same deletions.
 */
export async function ensureJanitorSchedule(client: Client, options: JanitorScheduleOptions): Promise<ScheduleHandle> {
  const scheduleId = options.scheduleId ?? JANITOR_SCHEDULE_ID;
  const spec: ScheduleSpec = { intervals: [{ every: options.interval }] };
  const input: JanitorInput = {
    regions: options.regions,
    gracePeriodMs: options.gracePeriodMs,
    dryRun: options.dryRun,
    ...(options.maxRemovals !== undefined ? { maxRemovals: options.maxRemovals } : {}),
  };
  const action: ScheduleOptionsStartWorkflowAction<typeof janitorWorkflow> = {
    type: 'startWorkflow',
    workflowType: janitorWorkflow,
    // The Schedule appends each run's scheduled time, so run IDs read `showrunner-janitor-<time>` in the UI.
    workflowId: scheduleId,
    taskQueue: options.taskQueue,
    args: [input],
    staticSummary: `Janitor${input.dryRun ? ' (dry run)' : ''}: ${input.regions.join(', ')}`,
  };
  try {
    return await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  const handle = client.schedule.getHandle(scheduleId);
  // Keeps the existing state (paused, note) an operator may have set; replaces what the deploy owns.
  await handle.update((previous) => ({
    ...previous,
    spec,
    action,
    policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
  }));
  return handle;
}
