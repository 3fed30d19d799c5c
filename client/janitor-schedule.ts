import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { workflowTracingMemo } from '../contracts/workflow-tracing';
import { janitorWorkflow, type JanitorInput, type JanitorReport } from '../workflows';

export const JANITOR_SCHEDULE_ID = 'showrunner-janitor';

export interface JanitorScheduleOptions extends JanitorInput {
  taskQueue: string;
  /** Time between runs, e.g. '15 minutes'. */
  interval: Duration;
  /** Tests use their own; one deployment has one janitor. */
  scheduleId?: string;
  /** Whether its runs trace their workflow code (contracts/workflow-tracing.ts); off unless given, like every starter. */
  workflowTracing?: boolean;
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
    // Every run of the Schedule carries it: a run is replayed with the tracing it started with.
    memo: workflowTracingMemo(options.workflowTracing ?? false),
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

/** What a janitor Schedule runs: its input, or undefined when there is no such Schedule. */
export async function janitorScheduleInput(client: Client, scheduleId = JANITOR_SCHEDULE_ID) {
  try {
    const described = await client.schedule.getHandle(scheduleId).describe();
    if (described.action.type !== 'startWorkflow' || described.action.workflowType !== janitorWorkflow.name)
      throw new Error(`Schedule ${scheduleId} does not start janitor runs`);
    return described.action.args?.[0] as JanitorInput | undefined;
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return undefined;
    throw e;
  }
}

/**
 * The memory of the Schedule's latest finished run (what it found without a show), for a run started outside the
 * Schedule: a one-off run judges "not found" with the same history as the next scheduled run would.
 */
export async function janitorMemory(
  client: Client,
  scheduleId = JANITOR_SCHEDULE_ID,
): Promise<Record<string, string> | undefined> {
  let described;
  try {
    described = await client.schedule.getHandle(scheduleId).describe();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return undefined;
    throw e;
  }
  for (const recent of [...described.info.recentActions].reverse()) {
    const { workflowId, firstExecutionRunId } = recent.action.workflow;
    const handle = client.workflow.getHandle<typeof janitorWorkflow>(workflowId, firstExecutionRunId);
    if ((await handle.describe()).status.name !== 'COMPLETED') continue;
    return (await handle.result()).notFoundSince;
  }
  return undefined;
}

/**
 * Runs the Schedule's janitor now and waits for its report. Triggered with overlap SKIP, not the SDK's default
 * ALLOW_ALL: the Schedule watches only such runs, and only a watched run's result is handed to the next run
 * (a sweep already running makes this one unnecessary, so it is skipped, like a scheduled one).
 */
export async function runJanitorNow(
  client: Client,
  scheduleId = JANITOR_SCHEDULE_ID,
  timeoutMs = 15 * 60_000,
): Promise<{ workflowId: string; report: JanitorReport } | { skipped: string }> {
  const handle = client.schedule.getHandle(scheduleId);
  const before = (await handle.describe()).info;
  if (before.runningActions.length > 0)
    return { skipped: `a janitor run is already running (${before.runningActions[0]!.workflow.workflowId})` };
  const known = new Set(before.recentActions.map((a) => a.action.workflow.firstExecutionRunId));
  await handle.trigger(ScheduleOverlapPolicy.SKIP);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const recent = (await handle.describe()).info.recentActions;
    const started = recent.find((a) => !known.has(a.action.workflow.firstExecutionRunId));
    if (started) {
      const { workflowId, firstExecutionRunId } = started.action.workflow;
      const report = await client.workflow.getHandle<typeof janitorWorkflow>(workflowId, firstExecutionRunId).result();
      return { workflowId, report };
    }
    if (Date.now() > deadline) throw new Error(`Schedule ${scheduleId} did not start a run`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
