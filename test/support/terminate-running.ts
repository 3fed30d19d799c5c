import type { Client } from '@temporalio/client';

/**
 * Terminates every workflow still running on these task queues: shows a test started through the CLI, and the
 * composition monitors its shows left idle, must not outlive the test on the suite's shared server.
 */
export async function terminateRunningOn(
  client: Client,
  taskQueues: string[],
  reason = 'test finished',
): Promise<void> {
  for (const queue of taskQueues) {
    for await (const w of client.workflow.list({ query: `TaskQueue = '${queue}' AND ExecutionStatus = 'Running'` })) {
      await client.workflow
        .getHandle(w.workflowId)
        .terminate(reason)
        .catch(() => undefined);
    }
  }
}
