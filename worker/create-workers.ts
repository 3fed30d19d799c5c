import { Client, type DataConverter } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createAwsClients, type AwsClientOptions, type AwsClients } from '../activities/aws-clients';
import { tracingWorkerOptions, type WorkerTracing } from './tracing';
import { workerBundlerOptions } from './workflow-bundle-options';
import type { WorkerConfig } from './worker-config';

export interface ShowrunnerWorkers {
  workers: Worker[];
  aws: AwsClients;
  /** Runs every worker until shutdown() (or a SIGINT/SIGTERM, which the SDK's runtime turns into one). */
  run(): Promise<void>;
  shutdown(): void;
}

export interface CreateWorkersOptions {
  config: WorkerConfig;
  connection: NativeConnection;
  client: Client;
  namespace: string;
  dataConverter?: DataConverter;
  /** Prebuilt bundle or source path; tests pass a cached bundle. */
  workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
  aws?: AwsClients;
  /** From installTracing(); absent means off (the bundled workflow interceptors still get their no-op sink). */
  tracing?: WorkerTracing;
}

/** The AWS clients' settings a worker configuration implies; credentials come from the default chain unless added. */
export function awsClientOptions(config: WorkerConfig): AwsClientOptions {
  return {
    defaultRegion: config.region,
    ivsEndpoint: config.ivsEndpoint,
    s3Endpoint: config.s3Endpoint,
    s3ForcePathStyle: config.s3ForcePathStyle,
    stsEndpoint: config.stsEndpoint,
    accounts: config.accounts,
    ivsRateShare: config.ivsRateShare,
  };
}

/**
 * Two workers in one process: the main task queue (show workflows, IVS calls, indexing) and the monitor task
 * queue (composition monitors and every poll), whose activity rate limit is enforced by the Temporal server
 * across all workers — that limit is the fleet's IVS monitoring budget.
 */
export async function createWorkers(options: CreateWorkersOptions): Promise<ShowrunnerWorkers> {
  const { config } = options;
  const aws = options.aws ?? createAwsClients(awsClientOptions(config));
  const activities = createActivities({
    aws,
    monitor: {
      client: options.client,
      taskQueue: config.monitorTaskQueue,
      // A monitor this worker starts traces its workflow code when this worker exports spans.
      workflowTracing: options.tracing?.enabled ?? false,
    },
    accounts: Object.keys(config.accounts ?? {}),
  });
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    dataConverter: options.dataConverter,
    activities,
    ...options.workflows,
    ...tracingWorkerOptions(options.tracing, options.workflows),
    ...workerBundlerOptions(options.workflows),
  };
  const main = await Worker.create({
    ...common,
    taskQueue: config.taskQueue,
    maxCachedWorkflows: config.maxCachedWorkflows,
    maxTaskQueueActivitiesPerSecond: config.activitiesPerSecond,
  });
  const monitor = await Worker.create({
    ...common,
    taskQueue: config.monitorTaskQueue,
    maxTaskQueueActivitiesPerSecond: config.monitorActivitiesPerSecond,
  });
  const workers = [main, monitor];
  return {
    workers,
    aws,
    async run() {
      try {
        await Promise.all(workers.map((w) => w.run()));
      } finally {
        if (!options.aws) aws.destroy();
      }
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}
