import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { createAwsClients } from '../../activities/aws-clients';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { startShow } from '../../client/start-show';
import type { showWorkflow } from '../../workflows';
import { createWorkers, type ShowrunnerWorkers } from '../../worker/create-workers';
import type { WorkerConfig } from '../../worker/worker-config';
import { startEmulatorFixture, type EmulatorFixture } from './emulator-fixture';
import { testS3Env, testTemporalEnv } from './test-env';
import { cachedWorkflowBundle } from './workflow-bundle';
import type { EmulatorConfigInput } from '../../emulator/src';

/** A fixed test key: tests check that history holds secrets only encrypted. */
export const TEST_KEY_RING_ENV = { SHOWRUNNER_ENCRYPTION_KEYS: `test-key:${Buffer.alloc(32, 7).toString('base64')}` };

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export interface ShowHarness {
  fixture: EmulatorFixture;
  client: Client;
  taskQueue: string;
  workers: ShowrunnerWorkers;
  startShow(
    spec: ShowSpecInput,
    options?: { continueAsNewAfterEvents?: number },
  ): Promise<WorkflowHandle<typeof showWorkflow>>;
  /** A unique show ID for this harness. */
  showId(prefix?: string): string;
  stop(): Promise<void>;
}

/**
 * The real thing, wired for a test file: an in-process emulator (recordings to the suite's S3 server), the
 * suite's Temporal dev server, Showrunner's workers on a task queue of their own, and a client with the
 * encryption codec.
 */
export async function startShowHarness(
  emulatorConfig: EmulatorConfigInput = {},
  workerOverrides: Partial<WorkerConfig> = {},
): Promise<ShowHarness> {
  quietRuntime();
  const temporal = testTemporalEnv();
  const s3 = testS3Env();
  const fixture = await startEmulatorFixture(emulatorConfig);
  const dataConverter = createDataConverter(loadKeyRing(TEST_KEY_RING_ENV));
  const clientConnection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection: clientConnection, namespace: temporal.namespace, dataConverter });
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const config: WorkerConfig = {
    taskQueue,
    monitorTaskQueue: `${taskQueue}-monitor`,
    monitorActivitiesPerSecond: 20,
    region: 'us-east-1',
    ivsEndpoint: fixture.emulator.endpoint,
    s3Endpoint: s3.endpoint,
    s3ForcePathStyle: true,
    stsEndpoint: fixture.emulator.endpoint,
    ...workerOverrides,
  };
  const aws = createAwsClients({
    defaultRegion: config.region,
    ivsEndpoint: config.ivsEndpoint,
    s3Endpoint: config.s3Endpoint,
    s3ForcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    s3Credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    stsEndpoint: config.stsEndpoint,
    accounts: config.accounts,
    maxAttempts: 3,
  });
  const bundle = await cachedWorkflowBundle();
  const workers = await createWorkers({
    config,
    connection: workerConnection,
    client,
    namespace: temporal.namespace,
    dataConverter,
    workflows: { workflowBundle: bundle },
    aws,
  });
  const running = workers.run();
  const handles: WorkflowHandle[] = [];
  return {
    fixture,
    client,
    taskQueue,
    workers,
    showId: (prefix = 'show') => `${prefix}-${randomBytes(3).toString('hex')}`,
    async startShow(input, options = {}) {
      const spec = parseShowSpec(input);
      const handle = await startShow(client, spec, {
        taskQueue,
        monitorTaskQueue: config.monitorTaskQueue,
        continueAsNewAfterEvents: options.continueAsNewAfterEvents,
      });
      handles.push(handle);
      return handle;
    },
    async stop() {
      for (const h of handles) await h.terminate('test finished').catch(() => undefined);
      // Monitors of this task queue's shows are left idle; terminate them so they do not outlive the test.
      for await (const w of client.workflow.list({
        query: `TaskQueue = '${config.monitorTaskQueue}' AND ExecutionStatus = 'Running'`,
      })) {
        await client.workflow
          .getHandle(w.workflowId)
          .terminate('test finished')
          .catch(() => undefined);
      }
      workers.shutdown();
      await running.catch(() => undefined);
      aws.destroy();
      await clientConnection.close();
      await workerConnection.close();
      await fixture.stop();
    },
  };
}
