import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { workflowIdForShow } from '../../../contracts/ids';
import type { showWorkflow } from '../../../workflows';
import { failedError } from '../cli-errors';

export const notFound = (showId: string) => failedError(`No show with id ${showId}: check \`showrunner list\``);

/** The show's workflow handle, after checking it exists so a typo fails with a hint rather than an RPC error. */
export async function findShow(client: Client, showId: string) {
  const handle = client.workflow.getHandle<typeof showWorkflow>(workflowIdForShow(showId));
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) throw notFound(showId);
    throw e;
  }
  return { handle, description };
}
