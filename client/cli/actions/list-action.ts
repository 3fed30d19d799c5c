import type { WorkflowExecutionInfo } from '@temporalio/client';
import { CHANNEL_ARN, SCHEDULED_START, SHOW_ID, SHOW_PHASE, STAGE_ARN } from '../../../contracts/search-attributes';
import type { ActionBody } from '../cli-action';
import { shortTime, table } from '../output';

interface ListOptions {
  phase?: string;
  query?: string;
  limit: number;
}

/** Shows are the workflows with a ShowId; the phase and a raw visibility query narrow them down. */
export function showsQuery(options: { phase?: string; query?: string }): string {
  const clauses = ['ShowId IS NOT NULL'];
  if (options.phase) clauses.push(`ShowPhase = '${options.phase}'`);
  if (options.query) clauses.push(`(${options.query})`);
  return clauses.join(' AND ');
}

function row(w: WorkflowExecutionInfo) {
  const sa = w.typedSearchAttributes;
  return {
    showId: sa.get(SHOW_ID),
    phase: sa.get(SHOW_PHASE),
    scheduledStart: shortTime(sa.get(SCHEDULED_START)),
    stageArn: sa.get(STAGE_ARN),
    channelArn: sa.get(CHANNEL_ARN),
    workflowId: w.workflowId,
    status: w.status.name,
  };
}

export const listAction: ActionBody<ListOptions> = async (ctx, _args, options) => {
  const client = await ctx.client({ payloads: false });
  const shows: ReturnType<typeof row>[] = [];
  for await (const w of client.workflow.list({ query: showsQuery(options), pageSize: Math.min(options.limit, 100) })) {
    shows.push(row(w));
    if (shows.length >= options.limit) break;
  }
  ctx.out.result(shows, () =>
    shows.length === 0
      ? `No shows${options.phase ? ` in phase ${options.phase}` : ''}: start one with \`showrunner start <spec>\``
      : table(
          ['SHOW ID', 'PHASE', 'SCHEDULED START', 'WORKFLOW', 'STAGE'],
          shows.map((s) => [s.showId, s.phase, s.scheduledStart, s.status, s.stageArn]),
        ),
  );
};
