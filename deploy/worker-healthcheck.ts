import os from 'node:os';
import { Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { temporal } from '@temporalio/proto';

/**
 * Container health check of the worker (`node --import tsx deploy/worker-healthcheck.ts`): healthy when Temporal has
 * seen a poller from THIS container on both task queues recently. A live process is not enough: a worker that lost
 * its connection, or never registered, would otherwise look fine. Worker identities default to `<pid>@<hostname>`,
 * and a container's hostname is its own.
 *
 * Connection settings come from the same TEMPORAL_* variables (envconfig) as the worker's.
 */
const RECENT_MS = 90_000;

async function main(): Promise<number> {
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const taskQueue = process.env.SHOWRUNNER_TASK_QUEUE || 'showrunner';
  const monitorTaskQueue = process.env.SHOWRUNNER_MONITOR_TASK_QUEUE || `${taskQueue}-monitor`;
  const suffix = `@${os.hostname()}`;
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5_000 });
  try {
    for (const name of [taskQueue, monitorTaskQueue]) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const recent = pollers.some((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return poller.identity?.endsWith(suffix) && Date.now() - seconds * 1000 < RECENT_MS;
      });
      if (!recent) {
        console.error(`no recent poller from ${suffix} on task queue ${name}`);
        return 1;
      }
    }
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
