import { randomBytes } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../dev/aws/local-aws';
import { installQuietRuntime, startInProcessWorkers } from '../../dev/services/in-process-workers';
import type { ShowrunnerWorkers } from '../../worker/create-workers';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { startShow } from '../../client/start-show';
import type { showWorkflow } from '../../workflows';
import type { WorkerConfig } from '../../worker/worker-config';
import { startEmulatorFixture, type EmulatorFixture } from './emulator-fixture';
import { testS3Env, testTemporalEnv } from './test-env';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';
import type { EmulatorConfigInput } from '../../emulator/src';
import { terminateRunningOn } from './terminate-running';

/** A fixed test key: tests check that history holds secrets only encrypted. */
export const TEST_KEY_RING_ENV = { SHOWRUNNER_ENCRYPTION_KEYS: `test-key:${Buffer.alloc(32, 7).toString('base64')}` };

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
  installQuietRuntime('WARN');
  const temporal = testTemporalEnv();
  const s3 = testS3Env();
  const fixture = await startEmulatorFixture(emulatorConfig);
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const config: WorkerConfig = {
    taskQueue,
    monitorTaskQueue: `${taskQueue}-monitor`,
    monitorActivitiesPerSecond: 20,
    region: LOCAL_REGION,
    ivsEndpoint: fixture.emulator.endpoint,
    s3Endpoint: s3.endpoint,
    s3ForcePathStyle: true,
    stsEndpoint: fixture.emulator.endpoint,
    ...workerOverrides,
  };
  const running = await startInProcessWorkers({
    temporal,
    keyRingEnv: TEST_KEY_RING_ENV,
    config,
    credentials: LOCAL_CREDENTIALS,
    s3Credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    maxAttempts: 3,
    workflows: { workflowBundle: await cachedWorkflowBundle() },
  });
  const { client, workers } = running;
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
      await terminateRunningOn(client, [config.monitorTaskQueue]);
      await running.stop();
      await fixture.stop();
    },
  };
}
