/**
 * The scale bench's floor worker: the same runtime set-up as worker/main.ts (installRuntime: JSON logs, Prometheus
 * when asked) and the SDK's defaults for everything Showrunner's worker leaves at default (workflow cache sized from
 * the heap, reusable V8 context), polling one task queue with a bundle that holds only the minimal workflow
 * (floor-workflow.ts). Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, BENCH_FLOOR_TASK_QUEUE, BENCH_FLOOR_BUNDLE.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { installRuntime } from '../../worker/observability';

async function main(): Promise<void> {
  installRuntime();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.BENCH_FLOOR_TASK_QUEUE ?? 'bench-floor',
    workflowBundle: { codePath: process.env.BENCH_FLOOR_BUNDLE! },
  });
  // WorkerProcess waits for this line, as it does for worker/main.ts's.
  console.log('Showrunner worker polling (floor)');
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
