import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startShow } from '../../client/start-show';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import { statusQuery } from '../../contracts/show-messages';
import { getFreePort } from '../../dev/process/net-utils';
import { WorkerProcess, workerProcessEnv } from '../../dev/process/worker-process';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import { testTemporalEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';

const MAIN = path.resolve(__dirname, '../../worker/main.ts');

/** `npm run worker` as operators run it: a separate process configured only through the environment. */
void describe('worker process', () => {
  let fixture: EmulatorFixture;
  let baseEnv: NodeJS.ProcessEnv;
  before(async () => {
    fixture = await startEmulatorFixture();
    const temporal = testTemporalEnv();
    const { codePath } = await cachedWorkflowBundle();
    baseEnv = workerProcessEnv({
      temporal,
      keyRingEnv: TEST_KEY_RING_ENV,
      ivsEndpoint: fixture.emulator.endpoint,
      workflowBundle: codePath,
    });
  });
  after(async () => fixture.stop());

  void test('refuses a bad configuration naming the variable, before connecting to anything', () => {
    const bad = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...baseEnv, SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND: 'lots' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND/);
    const noKeys = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...baseEnv, SHOWRUNNER_ENCRYPTION_KEYS: undefined },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(noKeys.status, 1);
    assert.match(noKeys.stderr, /SHOWRUNNER_ENCRYPTION_KEY/);
    const noBundle = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...baseEnv, SHOWRUNNER_WORKFLOW_BUNDLE: undefined },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(noBundle.status, 1);
    assert.match(noBundle.stderr, /SHOWRUNNER_WORKFLOW_BUNDLE/);
  });

  void test('runs shows from a prebuilt bundle, logs JSON, exposes metrics and stops cleanly on SIGTERM', async () => {
    const metricsPort = await getFreePort();
    const taskQueue = `worker-proc-${process.pid}`;
    const worker = new WorkerProcess({
      ...baseEnv,
      SHOWRUNNER_TASK_QUEUE: taskQueue,
      SHOWRUNNER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    });
    const temporal = testTemporalEnv();
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new Client({
        connection,
        namespace: temporal.namespace,
        dataConverter: createDataConverter(loadKeyRing(TEST_KEY_RING_ENV)),
      });
      await worker.start();
      const spec = parseShowSpec({
        id: `proc-${process.pid}`,
        name: 'Worker process',
        schedule: { duration: '5m', leadTime: 0 },
        participants: [{ userId: 'host' }],
      });
      const handle = await startShow(client, spec, { taskQueue });
      await waitFor(async () => (await handle.query(statusQuery)).phase === 'LIVE', 60_000, {
        intervalMs: 250,
      });
      const metrics = await waitFor(
        async () => {
          const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
          return text.includes('showrunner_show_phase_entries') ? text : undefined;
        },
        30_000,
        { intervalMs: 500 },
      );
      assert.match(metrics, /showrunner_show_phase_entries\{[^}]*phase="LIVE"/);
      assert.match(metrics, /temporal_/);
      const logLines = worker.stdout.split('\n').filter((l) => l.startsWith('{'));
      assert.ok(logLines.length > 0, 'JSON log lines on stdout');
      for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line));
      await handle.terminate('test over');
    } finally {
      const exit = await worker.stop(30_000);
      await connection.close();
      assert.equal(exit?.code, 0, `worker exit after SIGTERM (stderr: ${worker.stderr.slice(-500)})`);
    }
  });
});
