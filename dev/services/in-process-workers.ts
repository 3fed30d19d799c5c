import { Client, Connection, type DataConverter } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { createAwsClients } from '../../activities/aws-clients';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { awsClientOptions, createWorkers, type ShowrunnerWorkers } from '../../worker/create-workers';
import type { WorkerConfig } from '../../worker/worker-config';

let runtimeInstalled = false;

/**
 * The SDK's core runtime logs at INFO to stderr by default; local runs want only what goes wrong. It can be
 * installed once per process, before the first connection: later calls keep the first settings. With
 * `ownSignals` the caller handles SIGINT/SIGTERM itself (the stack stops its servers in order), instead of the
 * runtime shutting the workers down on its own.
 */
export function installQuietRuntime(level: LogLevel, options: { ownSignals?: boolean } = {}): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger(level), ...(options.ownSignals ? { shutdownSignals: [] } : {}) });
}

export interface InProcessWorkersOptions {
  temporal: { address: string; namespace: string };
  /** `SHOWRUNNER_ENCRYPTION_KEYS` or `SHOWRUNNER_ENCRYPTION_KEY_FILE`: the client and the workers share the ring. */
  keyRingEnv: Record<string, string>;
  config: WorkerConfig;
  /** IVS (and, without `s3Credentials`, S3) credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
  /** SDK attempts of the retrying AWS clients; the SDK's default when absent. */
  maxAttempts?: number;
  /** Prebuilt bundle (tests share a cached one) or the workflows' source path (bundled at start). */
  workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
}

export interface InProcessWorkers {
  /** A client with the same data converter as the workers. */
  client: Client;
  dataConverter: DataConverter;
  workers: ShowrunnerWorkers;
  /** Drains the workers, then closes their connections and AWS clients. */
  stop(): Promise<void>;
}

/**
 * Showrunner's two workers in this process, against local services: what the test harness, the demo and the local
 * stack run. The worker process (`npm run worker`) is dev/process/worker-process.ts.
 */
export async function startInProcessWorkers(options: InProcessWorkersOptions): Promise<InProcessWorkers> {
  const { config } = options;
  const dataConverter = createDataConverter(loadKeyRing(options.keyRingEnv));
  const clientConnection = await Connection.connect({ address: options.temporal.address });
  const workerConnection = await NativeConnection.connect({ address: options.temporal.address }).catch(
    async (e: unknown) => {
      await clientConnection.close();
      throw e;
    },
  );
  const client = new Client({ connection: clientConnection, namespace: options.temporal.namespace, dataConverter });
  const aws = createAwsClients({
    ...awsClientOptions(config),
    credentials: options.credentials,
    s3Credentials: options.s3Credentials,
    maxAttempts: options.maxAttempts,
  });
  const close = async () => {
    aws.destroy();
    await clientConnection.close().catch(() => undefined);
    await workerConnection.close().catch(() => undefined);
  };
  let workers: ShowrunnerWorkers;
  try {
    workers = await createWorkers({
      config,
      connection: workerConnection,
      client,
      namespace: options.temporal.namespace,
      dataConverter,
      workflows: options.workflows,
      aws,
    });
  } catch (e) {
    await close();
    throw e;
  }
  const running = workers.run();
  return {
    client,
    dataConverter,
    workers,
    async stop() {
      workers.shutdown();
      await running.catch(() => undefined);
      await close();
    },
  };
}
