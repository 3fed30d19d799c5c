import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asyncContextFrameFlags } from '../../worker/async-context';
import { YOUNG_GENERATION_FLAGS } from '../../worker/young-generation';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../aws/local-aws';

const REPO_ROOT = path.resolve(__dirname, '../..');
const WORKER_MAIN = path.join(REPO_ROOT, 'worker', 'main.ts');
/** What worker/main.ts prints once both workers poll their task queues. */
const READY_LINE = 'Showrunner worker polling';

export interface WorkerProcessEnvOptions {
  temporal: { address: string; namespace: string };
  /** `SHOWRUNNER_ENCRYPTION_KEYS` or `SHOWRUNNER_ENCRYPTION_KEY_FILE`, as the client's. */
  keyRingEnv: Record<string, string>;
  ivsEndpoint: string;
  s3Endpoint?: string;
  /** The default chain's credentials: IVS and, on the local stack, S3 too. LOCAL_CREDENTIALS by default. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** LOCAL_REGION by default. */
  region?: string;
  taskQueue?: string;
  /** A prebuilt workflow bundle: the worker then runs as in production (NODE_ENV=production). */
  workflowBundle?: string;
}

/**
 * The environment `npm run worker` needs against local services, and nothing inherited: a test must not pick up a
 * developer's TEMPORAL_* or AWS_* settings. Callers add what their case varies (tracing, metrics, budgets).
 */
export function workerProcessEnv(options: WorkerProcessEnvOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: options.temporal.address,
    TEMPORAL_NAMESPACE: options.temporal.namespace,
    AWS_ACCESS_KEY_ID: (options.credentials ?? LOCAL_CREDENTIALS).accessKeyId,
    AWS_SECRET_ACCESS_KEY: (options.credentials ?? LOCAL_CREDENTIALS).secretAccessKey,
    AWS_REGION: options.region ?? LOCAL_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    // Node 20 is end-of-life for the SDK; its notice would fill the output tails quoted in failure messages.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SHOWRUNNER_IVS_ENDPOINT: options.ivsEndpoint,
    ...(options.s3Endpoint ? { SHOWRUNNER_S3_ENDPOINT: options.s3Endpoint } : {}),
    ...(options.taskQueue ? { SHOWRUNNER_TASK_QUEUE: options.taskQueue } : {}),
    ...(options.workflowBundle ? { NODE_ENV: 'production', SHOWRUNNER_WORKFLOW_BUNDLE: options.workflowBundle } : {}),
    ...options.keyRingEnv,
  };
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * `npm run worker` (worker/main.ts through tsx) as a child process configured only by its environment: what
 * operators run, and what can be killed with SIGKILL as an OOM killer or a lost node would.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private stdoutText = '';
  private stderrText = '';
  private exitPromise: Promise<WorkerExit> | undefined;
  starts = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    /** `main`: a compiled worker (dist/worker/main.js from `npm run build`, run by plain node) instead of the sources. */
    private readonly options: {
      cwd?: string;
      startTimeoutMs?: number;
      main?: string;
      /** Another Node.js than the one running this (its binary and version); the benches run production's line. */
      node?: { path: string; version: string };
    } = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the current (or last) worker wrote on stdout: its JSON log lines and the ready line. */
  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** The last lines the worker wrote on either stream, for failure messages. */
  output(): string {
    return `${this.stdoutText.slice(-1500)}${this.stderrText.slice(-1500)}`;
  }

  /** Spawns a worker and resolves once it polls its task queues; rejects, quoting its output, if it exits first. */
  async start(): Promise<void> {
    const main = this.options.main ?? WORKER_MAIN;
    const node = this.options.node ?? { path: process.execPath, version: process.versions.node };
    // As production runs it (Dockerfile): AsyncLocalStorage on AsyncContextFrame (worker/async-context.ts) and the
    // image's young generation (worker/young-generation.ts), so the benches' memory figures are production's.
    const flags = [...YOUNG_GENERATION_FLAGS, ...asyncContextFrameFlags(node.version)];
    const child = spawn(node.path, [...flags, ...(main.endsWith('.ts') ? ['--import', 'tsx', main] : [main])], {
      env: this.env,
      cwd: this.options.cwd ?? REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    this.stdoutText = '';
    this.stderrText = '';
    // Long runs log a lot; only the tail is ever quoted.
    const keep = (text: string) => text.slice(-200_000);
    child.stdout.on('data', (d: Buffer) => (this.stdoutText = keep(this.stdoutText + d.toString())));
    child.stderr.on('data', (d: Buffer) => (this.stderrText = keep(this.stderrText + d.toString())));
    this.exitPromise = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal: signal })),
    );
    const timeoutMs = this.options.startTimeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    while (!this.stdoutText.includes(READY_LINE)) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`worker exited during start-up (${child.exitCode ?? child.signalCode}): ${this.output()}`);
      if (Date.now() > deadline)
        throw new Error(`worker did not start polling within ${timeoutMs / 1000} s: ${this.output()}`);
      await sleep(100);
    }
  }

  /** SIGKILL: no graceful shutdown, in-flight activities and workflow tasks are simply lost. */
  async kill9(): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill('SIGKILL');
    await this.exitPromise;
  }

  /** Graceful stop (SIGTERM, which drains the workers), then SIGKILL after `graceMs`; resolves with how it ended. */
  async stop(graceMs = 15_000): Promise<WorkerExit | undefined> {
    const child = this.child;
    if (!child || !this.exitPromise) return undefined;
    if (!this.running) return this.exitPromise;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await this.exitPromise;
    } finally {
      clearTimeout(timer);
    }
  }
}
