import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startShow } from '../../client/start-show';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import { statusQuery } from '../../contracts/show-messages';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import { testTemporalEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { cachedWorkflowBundle } from '../support/workflow-bundle';

const MAIN = path.resolve(__dirname, '../../worker/main.ts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** `npm run worker` as operators run it: a separate process configured only through the environment. */
void describe('worker process', () => {
  let fixture: EmulatorFixture;
  let baseEnv: NodeJS.ProcessEnv;
  before(async () => {
    fixture = await startEmulatorFixture();
    const temporal = testTemporalEnv();
    const { codePath } = await cachedWorkflowBundle();
    baseEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      SHOWRUNNER_IVS_ENDPOINT: fixture.emulator.endpoint,
      NODE_ENV: 'production',
      SHOWRUNNER_WORKFLOW_BUNDLE: codePath,
      ...TEST_KEY_RING_ENV,
    };
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
    const metricsPort = await freePort();
    const taskQueue = `worker-proc-${process.pid}`;
    const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...baseEnv, SHOWRUNNER_TASK_QUEUE: taskQueue, SHOWRUNNER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    worker.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    const temporal = testTemporalEnv();
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new Client({
        connection,
        namespace: temporal.namespace,
        dataConverter: createDataConverter(loadKeyRing(TEST_KEY_RING_ENV)),
      });
      await waitFor(() => stdout.includes('polling'), 60_000, {
        intervalMs: 200,
        description: `worker start (stderr: ${stderr.slice(-500)})`,
      });
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
      const logLines = stdout.split('\n').filter((l) => l.startsWith('{'));
      assert.ok(logLines.length > 0, 'JSON log lines on stdout');
      for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line));
      await handle.terminate('test over');
    } finally {
      worker.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
      await connection.close();
      assert.equal(code, 0, `worker exit after SIGTERM (stderr: ${stderr.slice(-500)})`);
    }
  });
});
