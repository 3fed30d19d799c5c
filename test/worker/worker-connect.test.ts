import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { getFreePort } from '../../dev/process/net-utils';
import { startTemporalDevServer } from '../../dev/services/temporal-dev-server';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import { testTemporalEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';

const MAIN = path.resolve(__dirname, '../../worker/main.ts');
/** Sent as the API key: it must never appear in what the worker prints. */
const API_KEY = 'sr-test-api-key-must-not-be-logged';

/** `npm run worker` started before Temporal is there. */
void describe('worker start-up while Temporal is unreachable', () => {
  let baseEnv: NodeJS.ProcessEnv;
  before(async () => {
    const { codePath } = await cachedWorkflowBundle();
    baseEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_NAMESPACE: 'default',
      // A key, so the test can see it stays out of the logs; TLS off for the local dev server.
      TEMPORAL_API_KEY: API_KEY,
      TEMPORAL_TLS: 'false',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      SHOWRUNNER_IVS_ENDPOINT: 'http://127.0.0.1:9',
      NODE_ENV: 'production',
      SHOWRUNNER_WORKFLOW_BUNDLE: codePath,
      ...TEST_KEY_RING_ENV,
    };
  });

  function startWorker(address: string) {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...baseEnv, TEMPORAL_ADDRESS: address, SHOWRUNNER_TASK_QUEUE: `connect-${process.pid}-${Date.now()}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: '', stderr: '' };
    child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    /** JSON log lines saying Temporal was unreachable. */
    const unreachable = () =>
      out.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map(
          (l) => JSON.parse(l) as { level: string; msg: string; address?: string; attempt?: number; reason?: string },
        )
        .filter((l) => l.msg.includes('unreachable'));
    return { child, out, exited, unreachable };
  }

  const exitWithin = (exited: Promise<number | null>, ms: number) =>
    Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms))]);

  void test('waits with backoff, logging why, and starts polling once the server is up', async () => {
    const port = await getFreePort();
    const address = `127.0.0.1:${port}`;
    const worker = startWorker(address);
    let server: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined;
    try {
      const lines = await waitFor(() => (worker.unreachable().length >= 3 ? worker.unreachable() : undefined), 60_000, {
        intervalMs: 200,
        description: () => `three failed attempts logged (stderr: ${worker.out.stderr.slice(-500)})`,
      });
      assert.equal(await exitWithin(worker.exited, 0), 'still running', 'the worker did not exit');
      assert.equal(lines[0]!.level, 'WARN');
      assert.equal(lines[0]!.address, address);
      assert.deepEqual(
        lines.slice(0, 3).map((l) => l.attempt),
        [1, 2, 3],
      );
      assert.match(lines[0]!.reason!, /TransportError: .*Connection refused/);

      server = await startTemporalDevServer({ cli: testTemporalEnv().cliPath, port, headless: true });
      await waitFor(() => worker.out.stdout.includes('Showrunner worker polling'), 90_000, {
        intervalMs: 250,
        description: () => `worker polling after the server came up (stderr: ${worker.out.stderr.slice(-500)})`,
      });
      worker.child.kill('SIGTERM');
      assert.equal(
        await exitWithin(worker.exited, 30_000),
        0,
        `exit after SIGTERM (stderr: ${worker.out.stderr.slice(-500)})`,
      );
      assert.ok(
        !worker.out.stdout.includes(API_KEY) && !worker.out.stderr.includes(API_KEY),
        'the API key is never printed',
      );
    } finally {
      worker.child.kill('SIGKILL');
      await server?.stop();
    }
  });

  void test('SIGTERM while waiting ends the wait and the process at once, cleanly', async () => {
    const worker = startWorker(`127.0.0.1:${await getFreePort()}`);
    try {
      await waitFor(() => worker.unreachable().length >= 1 || undefined, 60_000, {
        intervalMs: 200,
        description: () => `a failed attempt logged (stderr: ${worker.out.stderr.slice(-500)})`,
      });
      worker.child.kill('SIGTERM');
      assert.equal(await exitWithin(worker.exited, 10_000), 0, `stderr: ${worker.out.stderr.slice(-500)}`);
      assert.match(worker.out.stdout, /Stopped before Temporal could be reached/);
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});
