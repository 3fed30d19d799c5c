import {
  WorkflowFailedError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Why a running show is not making progress, as far as the server can tell, or undefined when nothing says so:
 * a workflow task that keeps failing (a worker with another encryption key, or code that no longer replays the
 * history: the Web UI's "Workflow Task in failed state"), or no worker polling the show's task queue. Updates,
 * queries and cancellation all wait for a worker, so an operator needs to know before waiting.
 */
export async function stalledReason(
  client: Client,
  description: WorkflowExecutionDescription,
): Promise<string | undefined> {
  if (description.status.name !== 'RUNNING') return undefined;
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  if (attempt > 1) {
    return (
      `its workflow task has failed ${attempt - 1} times in a row, so no worker can run it (a worker with another ` +
      `encryption key, or workflow code that no longer replays its history: see the history in the Web UI)`
    );
  }
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: description.taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  if (!pollers?.length) return `no worker polls its task queue ${description.taskQueue}`;
  return undefined;
}

/** What a closed show's workflow ended with, for FAILED, TERMINATED and TIMED_OUT: the messages along the cause. */
export async function closedCause(handle: WorkflowHandle, status: string): Promise<string | undefined> {
  if (!['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(status)) return undefined;
  try {
    await handle.result();
    return undefined;
  } catch (e) {
    if (!(e instanceof WorkflowFailedError)) return undefined;
    const messages: string[] = [];
    for (let c: Error | undefined = e.cause; c; c = c.cause instanceof Error ? c.cause : undefined) {
      // The SDK's wrappers ("Activity task failed") say where, the innermost says why; keep both, once each.
      if (c.message && !messages.includes(c.message)) messages.push(c.message);
    }
    return messages.length > 0 ? messages.join(': ') : e.message;
  }
}
