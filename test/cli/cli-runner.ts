import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { TEST_KEY_RING_ENV, type ShowHarness } from '../support/show-harness';
import { testS3Env, testTemporalEnv } from '../support/test-env';

const REPO = path.resolve(__dirname, '../..');
const MAIN = path.join(REPO, 'client/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment an operator would have: Temporal, keys, the harness's task queue, S3 and IVS endpoints. */
export function cliEnv(h?: ShowHarness, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const temporal = testTemporalEnv();
  const s3 = testS3Env();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    ...TEST_KEY_RING_ENV,
    SHOWRUNNER_S3_ENDPOINT: s3.endpoint,
    SHOWRUNNER_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_REGION: s3.region,
    ...(h ? { SHOWRUNNER_TASK_QUEUE: h.taskQueue, SHOWRUNNER_IVS_ENDPOINT: h.fixture.emulator.endpoint } : {}),
    ...extra,
  };
  // The test runner's own context must not leak into the CLI process.
  delete env.NODE_TEST_CONTEXT;
  delete env.SHOWRUNNER_ENCRYPTION_KEY_FILE;
  return env;
}

/** Runs `showrunner <args>` as an operator would: a separate process, talking to the servers over the network. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `--json` output, parsed; fails with the CLI's stderr when it is not JSON. */
export function parseJson<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

const specDirs: string[] = [];
process.on('exit', () => specDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A spec file as an operator would write it; removed when the test process exits. */
export async function writeSpec(spec: ShowSpecInput | Record<string, unknown>, format: 'yaml' | 'json' = 'yaml') {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'showrunner-cli-'));
  specDirs.push(dir);
  const file = path.join(dir, `spec.${format}`);
  await writeFile(file, format === 'json' ? JSON.stringify(spec) : stringify(spec));
  return file;
}

/** Runs the CLI with several argument lists, a few at a time: each run is a Node process on a small machine. */
export async function runAll(argLists: string[][], env: NodeJS.ProcessEnv, concurrency = 3): Promise<CliResult[]> {
  const results: CliResult[] = new Array<CliResult>(argLists.length);
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < argLists.length) {
      const i = next++;
      results[i] = await runCli(argLists[i]!, env);
    }
  });
  await Promise.all(workers);
  return results;
}
