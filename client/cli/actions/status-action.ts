import type { WorkflowExecutionDescription } from '@temporalio/client';
import { SHOW_PHASE } from '../../../contracts/search-attributes';
import { statusQuery } from '../../../contracts/show-messages';
import type { ShowStatus } from '../../../contracts/show-status';
import type { ActionBody } from '../cli-action';
import type { CliContext } from '../cli-context';
import { formatStatus } from '../format/format-status';
import { shortTime } from '../output';
import { failedError } from '../cli-errors';
import { DEADLINE_EXCEEDED, grpcCode } from '../error-mapping';
import { findShow } from './show-handle';
import { closedCause, stalledReason } from './show-progress';

const WATCH_INTERVAL_MS = 1_000;

const QUERY_TIMEOUT_MS = 10_000;

interface Snapshot {
  workflow: { id: string; status: string };
  /** Why a FAILED, TERMINATED or TIMED_OUT workflow ended. */
  failure?: string;
  status?: ShowStatus;
  /** Why there is no status yet: a delayed start (`start --at`) has no workflow code running to ask. */
  pending?: string;
}

/** Until its start delay passes, a workflow has only its start event and no task a query could run on. */
function delayedUntil(description: WorkflowExecutionDescription): Date | undefined {
  const at = description.executionTime;
  return description.status.name === 'RUNNING' && description.historyLength <= 1 && at && at.getTime() > Date.now()
    ? at
    : undefined;
}

async function snapshot(ctx: CliContext, showId: string): Promise<Snapshot> {
  const client = await ctx.client();
  const { handle, description } = await findShow(client, showId);
  const workflow = { id: handle.workflowId, status: description.status.name };
  const delayed = delayedUntil(description);
  if (delayed) {
    const phase = description.typedSearchAttributes.get(SHOW_PHASE) ?? 'SCHEDULED';
    return { workflow, pending: `${phase}: its workflow starts at ${shortTime(delayed)}` };
  }
  const failure = await closedCause(handle, workflow.status);
  try {
    // A query is answered by a worker: without one it waits, so it gets a deadline and a reason.
    const status = await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(statusQuery));
    return { workflow, ...(failure ? { failure } : {}), status };
  } catch (e) {
    // A show that failed before it could answer (a spec the workflow refused at its start): its failure says why.
    if (failure && workflow.status === 'FAILED' && grpcCode(e) !== DEADLINE_EXCEEDED)
      return { workflow, failure, pending: 'it failed before it could answer a status query' };
    // Without a worker the server either holds the query until the deadline or refuses it ("no poller seen").
    const stalled = await stalledReason(client, description).catch(() => undefined);
    if (grpcCode(e) !== DEADLINE_EXCEEDED && !stalled) throw e;
    throw failedError(
      `Show ${showId} did not answer the status query within ${QUERY_TIMEOUT_MS / 1000} s: ` +
        `${stalled ?? 'its worker is busy or not running'}` +
        (failure ? `. Its workflow ended ${workflow.status}: ${failure}` : ''),
    );
  }
}

function render(ctx: CliContext, showId: string, snap: Snapshot): void {
  ctx.out.result({ showId, ...snap }, () => {
    const execution = `${snap.workflow.id}, ${snap.workflow.status}`;
    return snap.status
      ? formatStatus(snap.status, execution, snap.failure)
      : [
          `Show ${showId} (workflow ${execution})`,
          `  ${snap.pending}`,
          ...(snap.failure ? [`  Failure:        ${snap.failure}`] : []),
        ];
  });
}

/**
 * One status, or with --watch one per second until the workflow closes: a terminal is redrawn every second; a
 * pipe or file gets a snapshot only when something changed (and under --json, one JSON document per line).
 */
export const statusAction: ActionBody<{ watch?: boolean }> = async (ctx, [showId], options) => {
  let snap = await snapshot(ctx, showId!);
  render(ctx, showId!, snap);
  if (!options.watch) return;
  const redraw = !!process.stdout.isTTY && !ctx.out.json;
  let last = JSON.stringify(snap);
  while (snap.workflow.status === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
    snap = await snapshot(ctx, showId!);
    const current = JSON.stringify(snap);
    if (current === last && !redraw) continue;
    last = current;
    if (redraw) process.stdout.write('\x1b[2J\x1b[H');
    render(ctx, showId!, snap);
  }
};
