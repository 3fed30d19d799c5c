import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { workflowIdForShow } from '../../../contracts/ids';
import type { showWorkflow } from '../../../workflows';
import { failedError, usageError } from '../cli-errors';
import { grpcCode, INVALID_ARGUMENT } from '../error-mapping';

export const notFound = (showId: string) => failedError(`No show with id ${showId}: check \`showrunner list\``);

/**
 * The show's workflow handle (its latest run, or `runId`), after checking it exists so a typo fails with a hint
 * rather than an RPC error.
 */
export async function findShow(client: Client, showId: string, runId?: string) {
  const handle = client.workflow.getHandle<typeof showWorkflow>(workflowIdForShow(showId), runId);
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (e) {
    if (e instanceof WorkflowNotFoundError)
      throw runId
        ? failedError(`Show ${showId} has no run ${runId}: \`showrunner recordings ${showId}\` lists its runs`)
        : notFound(showId);
    if (runId && grpcCode(e) === INVALID_ARGUMENT)
      throw usageError(`--run ${runId} is not a run ID (a UUID): \`showrunner recordings ${showId}\` lists the runs`);
    throw e;
  }
  return { handle, description };
}

export interface ShowRun {
  runId: string;
  status: string;
  startTime: string;
}

/**
 * Every show started under this ID, newest first: a show ID may be used again once its show has closed (the
 * workflow ID reuse policy allows it), and each use is its own show with its own recordings. Runs a show continued
 * as new into are one show, so they are left out; the chain's latest run stands for it.
 */
export async function showRuns(client: Client, showId: string): Promise<ShowRun[]> {
  const runs: ShowRun[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowIdForShow(showId)}'` })) {
    if (w.status.name === 'CONTINUED_AS_NEW') continue;
    runs.push({ runId: w.runId, status: w.status.name, startTime: w.startTime.toISOString() });
  }
  return runs.sort((a, b) => b.startTime.localeCompare(a.startTime));
}
