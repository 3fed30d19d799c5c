/**
 * `npm test [-- [--concurrency N] [--name-pattern RE] [files or dirs...]]`
 *
 * Starts versitygw and a Temporal dev server once for the whole suite (starting them per file would cost seconds
 * each), hands their coordinates to the tests through env vars, runs Node's test runner, and always stops them.
 *
 * `SHOWRUNNER_TEMPORAL=cluster npm test -- <files>` runs the same tests against the production topology instead of
 * the dev server: the real Temporal server on PostgreSQL with the Web UI server (dev/services/temporal-cluster.ts).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTemporalCli } from '../dev/tools/ensure-temporal-cli';
import { ensureVersitygw } from '../dev/tools/ensure-versitygw';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../dev/services/search-attributes';
import { startTemporalCluster } from '../dev/services/temporal-cluster';
import { startTemporalDevServer } from '../dev/services/temporal-dev-server';
import { startVersitygw, type VersitygwServer } from '../dev/services/versitygw';
import { TEST_ENV_VARS } from './support/test-env';

const REPO_ROOT = path.resolve(__dirname, '..');
const SUMMARY_LINE = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /;

function log(message: string): void {
  process.stderr.write(`[run-tests] ${message}\n`);
}

/** What the tests need of either Temporal: the dev server or the cluster. */
interface TestTemporal {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  cliPath: string;
  stop(): Promise<void>;
}

const TEMPORAL_MODE_ENV_VAR = TEST_ENV_VARS.temporalMode;

function temporalMode(): 'dev' | 'cluster' {
  const mode = process.env[TEMPORAL_MODE_ENV_VAR] ?? 'dev';
  if (mode !== 'dev' && mode !== 'cluster') {
    throw new Error(`${TEMPORAL_MODE_ENV_VAR} must be "dev" (the default) or "cluster", not ${JSON.stringify(mode)}`);
  }
  return mode;
}

function parseCli() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      concurrency: { type: 'string' },
      'name-pattern': { type: 'string' },
    },
  });
  const concurrency = values.concurrency ? Number.parseInt(values.concurrency, 10) : defaultConcurrency();
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency must be a positive integer`);
  return { concurrency, namePattern: values['name-pattern'], targets: positionals };
}

/** Test files mostly wait on the servers, so at least two run at once even on a two-core machine. */
function defaultConcurrency(): number {
  return Math.max(2, os.availableParallelism() - 1);
}

/** Node 20's `--test` doesn't expand globs itself, so resolve files and directories to *.test.ts here. */
function collectTestFiles(targets: string[]): string[] {
  const roots = targets.length > 0 ? targets : [path.join(REPO_ROOT, 'test')];
  const files = new Set<string>();
  for (const target of roots) {
    const absolute = path.resolve(target);
    if (!fs.existsSync(absolute)) throw new Error(`No such test file or directory: ${target}`);
    if (fs.statSync(absolute).isFile()) {
      files.add(absolute);
      continue;
    }
    for (const entry of fs.readdirSync(absolute, { recursive: true, encoding: 'utf8' })) {
      if (entry.endsWith('.test.ts') && !entry.split(path.sep).includes('node_modules')) {
        files.add(path.join(absolute, entry));
      }
    }
  }
  return [...files].sort().map((file) => path.relative(process.cwd(), file));
}

async function startServices(runDir: string): Promise<{ s3: VersitygwServer; temporal: TestTemporal }> {
  // Sequential: a missing tool means a multi-minute `go build`, and two at once would fight over two cores.
  const temporalCli = await ensureTemporalCli();
  await ensureVersitygw();
  const [s3, temporal] = await Promise.allSettled([
    startVersitygw({ dataDir: path.join(runDir, 's3') }),
    temporalMode() === 'cluster'
      ? startTemporalCluster({
          searchAttributes: SHOWRUNNER_SEARCH_ATTRIBUTES,
          ui: true,
          dir: path.join(runDir, 'temporal-cluster'),
        })
      : startTemporalDevServer({
          cli: temporalCli,
          searchAttributes: SHOWRUNNER_SEARCH_ATTRIBUTES,
          logFile: path.join(runDir, 'temporal.log'),
        }),
  ]);
  if (s3.status === 'fulfilled' && temporal.status === 'fulfilled') return { s3: s3.value, temporal: temporal.value };
  if (s3.status === 'fulfilled') await s3.value.stop();
  if (temporal.status === 'fulfilled') await temporal.value.stop();
  throw s3.status === 'rejected' ? s3.reason : (temporal as PromiseRejectedResult).reason;
}

function serviceEnv(s3: VersitygwServer, temporal: TestTemporal): NodeJS.ProcessEnv {
  return {
    [TEST_ENV_VARS.s3Endpoint]: s3.endpoint,
    [TEST_ENV_VARS.s3AccessKeyId]: s3.accessKeyId,
    [TEST_ENV_VARS.s3SecretAccessKey]: s3.secretAccessKey,
    [TEST_ENV_VARS.s3Region]: s3.region,
    [TEST_ENV_VARS.temporalAddress]: temporal.address,
    [TEST_ENV_VARS.temporalNamespace]: temporal.namespace,
    [TEST_ENV_VARS.temporalUiUrl]: temporal.uiUrl ?? '',
    [TEST_ENV_VARS.temporalCli]: temporal.cliPath,
  };
}

async function main(): Promise<number> {
  const { concurrency, namePattern, targets } = parseCli();
  const files = collectTestFiles(targets);
  if (files.length === 0) {
    log('no *.test.ts files found');
    return 1;
  }

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-test-'));
  let services: { s3: VersitygwServer; temporal: TestTemporal } | undefined;
  let stopping: Promise<void> | undefined;
  const stopServices = () =>
    (stopping ??= (async () => {
      if (!services) return;
      await Promise.allSettled([services.s3.stop(), services.temporal.stop()]);
    })());

  let child: ReturnType<typeof spawn> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping tests and services`);
    child?.kill(signal);
    void stopServices().finally(() => {
      fs.rmSync(runDir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const summary: string[] = [];
  let exitCode = 1;
  try {
    services = await startServices(runDir);
    log(`S3 (versitygw) ${services.s3.endpoint}, Temporal ${services.temporal.address}, UI ${services.temporal.uiUrl}`);
    const nodeArgs = [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      `--test-concurrency=${concurrency}`,
      ...(namePattern ? [`--test-name-pattern=${namePattern}`] : []),
      ...files,
    ];
    log(`node ${process.version} ${nodeArgs.join(' ')}`);
    const running = spawn(process.execPath, nodeArgs, {
      stdio: ['inherit', 'pipe', 'inherit'],
      env: { ...process.env, ...serviceEnv(services.s3, services.temporal) },
    });
    child = running;
    // Stream output live while remembering the summary lines.
    let pending = '';
    running.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      summary.push(...lines.filter((line) => SUMMARY_LINE.test(line)));
    });
    exitCode = await new Promise<number>((resolve, reject) => {
      running.once('error', reject);
      running.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await stopServices();
    if (exitCode === 0) fs.rmSync(runDir, { recursive: true, force: true });
    else log(`service logs and S3 data kept in ${runDir}`);
  }
  // Only after a failure does anything follow the child's own summary, so repeat it to keep it last.
  if (exitCode !== 0 && summary.length > 0) process.stdout.write(`\n${summary.join('\n')}\n`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
