import { randomUUID } from 'node:crypto';
import {
  ensureJanitorSchedule,
  janitorMemory,
  janitorScheduleInput,
  JANITOR_SCHEDULE_ID,
  runJanitorNow,
} from '../../janitor-schedule';
import { workflowTracingMemo } from '../../../contracts/workflow-tracing';
import { janitorWorkflow, type JanitorReport } from '../../../workflows';
import { parseDuration } from '../../../show-spec/durations';
import type { ActionBody } from '../cli-action';
import type { CliContext } from '../cli-context';
import { usageError } from '../cli-errors';
import { table } from '../output';
import { durationOption } from './duration-option';

const HOUR = 60 * 60_000;

/** --schedule-id, else the worker's SHOWRUNNER_JANITOR_SCHEDULE_ID, else the default. */
const scheduleIdOf = (ctx: CliContext, options: { scheduleId?: string }) =>
  options.scheduleId ?? (ctx.env.SHOWRUNNER_JANITOR_SCHEDULE_ID || JANITOR_SCHEDULE_ID);

/** A grace period may be zero (remove as soon as the show is over); durationOption wants a positive one. */
function graceOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms < 0)
    throw usageError(`--grace must be a duration like "0s", "30m" or "PT1H" (got "${value}")`);
  return ms;
}

/** The report for people: counts first, then what was (or would be) removed and what failed. */
function formatReport(report: JanitorReport): string[] {
  const s = report.scanned;
  const lines = [
    `${report.dryRun ? 'Dry run: nothing removed. ' : ''}Scanned ${s.stages} stages, ${s.compositions} live compositions, ${s.ingestConfigurations} ingest configurations`,
    `Orphans ${report.orphans.length}, removed ${report.removed.length}, skipped ${report.skipped.length}, failed ${report.failed.length}, show run not found ${Object.keys(report.notFoundSince).length}`,
  ];
  if (report.orphans.length > 0)
    lines.push(
      '',
      ...table(
        [report.dryRun ? 'WOULD REMOVE' : 'ORPHAN', 'ACCOUNT', 'REASON'],
        report.orphans.map((o) => [o.arn, o.account ?? 'own', o.reason]),
      ),
    );
  if (report.failed.length > 0)
    lines.push(
      '',
      ...report.failed.map((f) => `failed: ${f.arn ?? f.region}${f.account ? ` (${f.account})` : ''}: ${f.error}`),
    );
  return lines;
}

export const scheduleJanitorAction: ActionBody<{
  regions: string[];
  interval: string;
  grace: string;
  remove?: boolean;
  maxRemovals?: number;
  scheduleId?: string;
}> = async (ctx, _args, options) => {
  const intervalMs = durationOption('--interval', options.interval)!;
  const gracePeriodMs = graceOption(options.grace)!;
  const client = await ctx.client();
  const scheduleId = scheduleIdOf(ctx, options);
  await ensureJanitorSchedule(client, {
    scheduleId,
    taskQueue: ctx.taskQueue,
    interval: intervalMs,
    regions: options.regions,
    gracePeriodMs,
    dryRun: !options.remove,
    ...(options.maxRemovals !== undefined ? { maxRemovals: options.maxRemovals } : {}),
    workflowTracing: ctx.workflowTracing,
  });
  const data = { scheduleId, regions: options.regions, intervalMs, gracePeriodMs, dryRun: !options.remove };
  ctx.out.result(data, () => [
    `Janitor Schedule ${scheduleId}: every ${options.interval} in ${options.regions.join(', ')}, grace ${options.grace}, ${options.remove ? 'removing orphans' : 'dry run (add --remove to remove orphans)'}`,
    `Next: showrunner janitor run${options.scheduleId ? ` --schedule-id ${scheduleId}` : ''}`,
  ]);
};

export const runJanitorAction: ActionBody<{ scheduleId?: string }> = async (ctx, _args, options) => {
  const client = await ctx.client();
  const scheduleId = scheduleIdOf(ctx, options);
  if (!(await janitorScheduleInput(client, scheduleId)))
    throw usageError(`No janitor Schedule ${scheduleId}: create it with \`showrunner janitor schedule --regions ...\``);
  ctx.out.note(`Running janitor Schedule ${scheduleId} now...`);
  const outcome = await runJanitorNow(client, scheduleId);
  if ('skipped' in outcome) {
    ctx.out.result({ scheduleId, skipped: outcome.skipped }, () => `Not started: ${outcome.skipped}`);
    return;
  }
  ctx.out.result({ scheduleId, workflowId: outcome.workflowId, report: outcome.report }, () =>
    formatReport(outcome.report),
  );
};

export const dryRunJanitorAction: ActionBody<{ regions?: string[]; grace?: string; scheduleId?: string }> = async (
  ctx,
  _args,
  options,
) => {
  const gracePeriodMs = graceOption(options.grace);
  const client = await ctx.client();
  const scheduleId = scheduleIdOf(ctx, options);
  const scheduled = await janitorScheduleInput(client, scheduleId);
  const regions = options.regions ?? scheduled?.regions;
  if (!regions) throw usageError(`No janitor Schedule ${scheduleId} to take regions from: pass --regions`);
  const report = await client.workflow.execute(janitorWorkflow, {
    workflowId: `showrunner-janitor-dry-run-${randomUUID()}`,
    taskQueue: ctx.taskQueue,
    memo: workflowTracingMemo(ctx.workflowTracing),
    args: [
      {
        regions,
        gracePeriodMs: gracePeriodMs ?? scheduled?.gracePeriodMs ?? HOUR,
        dryRun: true,
        // The Schedule's memory: "not found" resources it has already seen are judged as its next run would.
        notFoundSince: (await janitorMemory(client, scheduleId)) ?? {},
      },
    ],
  });
  ctx.out.result(report, () => formatReport(report));
};
