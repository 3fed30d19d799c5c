/**
 * Memory per cached workflow, as the scale and fleet benches measure it: live V8 heap after a full garbage collection
 * in every thread of a worker process (memory-probe.cjs), and its RSS, before and after N workflows are cached.
 */
import { SILENT_BUNDLER_LOGGER } from '../../dev/services/workflow-bundle';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WorkerProcess, workerProcessEnv } from '../../dev/process/worker-process';
import { sleep, waitUntil } from '../bench-support';
import { floorStateQuery } from './floor-workflow';

const PROBE = path.join(__dirname, 'memory-probe.cjs');
const FLOOR_WORKER = path.join(__dirname, 'floor-worker.ts');
const FLOOR_TASK_QUEUE = 'bench-floor';

export interface MemoryReading {
  at: number;
  /** Live heap of every thread after a full GC, summed. */
  heapUsed: number;
  /** What the V8 heaps of every thread hold from the system after that GC (live objects and free space), summed. */
  heapTotal: number;
  /** The main thread's Buffers and other memory outside the V8 heap. */
  external: number;
  rss: number;
  threads: number;
}

/** A probe directory and the environment that loads the probe into a worker process. */
export function memoryProbe(): { dir: string; env: Record<string, string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-memory-'));
  return {
    dir,
    env: {
      BENCH_MEMORY_PROBE_DIR: dir,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --require ${PROBE}`.trim(),
    },
  };
}

let seq = 0;
/** Asks every thread for a GC and its figures; waits for the main thread and the workflow thread. */
export async function readMemory(dir: string): Promise<MemoryReading> {
  const mine = ++seq + Date.now();
  fs.writeFileSync(path.join(dir, 'request'), String(mine));
  const files = () => fs.readdirSync(dir).filter((f) => /^thread-\d+\.json$/.test(f));
  const read = () =>
    files()
      .map((f) => {
        try {
          return JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {
            seq: number;
            heapUsed: number;
            heapTotal: number;
            external: number;
            rss: number;
          };
        } catch {
          return undefined;
        }
      })
      .filter((t): t is NonNullable<typeof t> => t?.seq === mine);
  // Every thread that ever answered must answer again (a GC of a big heap takes seconds), and at least the main
  // thread and one workflow thread; then a grace second for any thread answering for the first time.
  const answered = async () => {
    const threads = read();
    return threads.length >= Math.max(2, files().length) ? threads : undefined;
  };
  await waitUntil(answered, { timeoutMs: 120_000, intervalMs: 250, what: 'the memory probe of every thread' });
  await sleep(1_000);
  const threads = (await answered()) ?? read();
  return {
    at: Date.now(),
    heapUsed: threads.reduce((n, t) => n + t.heapUsed, 0),
    heapTotal: threads.reduce((n, t) => n + t.heapTotal, 0),
    external: threads.reduce((n, t) => n + t.external, 0),
    rss: threads.reduce((n, t) => n + t.rss, 0),
    threads: threads.length,
  };
}

export interface PerWorkflow {
  count: number;
  before: MemoryReading;
  after: MemoryReading;
  heapPerWorkflow: number;
  rssPerWorkflow: number;
}

export const perWorkflow = (count: number, before: MemoryReading, after: MemoryReading): PerWorkflow => ({
  count,
  before,
  after,
  heapPerWorkflow: (after.heapUsed - before.heapUsed) / count,
  rssPerWorkflow: (after.rss - before.rss) / count,
});

/**
 * The floor: `count` minimal workflows (floor-workflow.ts: a timer, a signal handler, a small state) cached by a
 * worker process run like Showrunner's (same runtime set-up, the SDK's default cache and V8 context reuse, the same
 * probe), with a bundle of only that workflow. Each is started and queried once, so it sits in the cache.
 */
export async function measureFloor(options: {
  temporal: { address: string; namespace: string };
  client: Client;
  count: number;
  perSecond: number;
  suffix: string;
  progress: (line: string) => void;
  /** The Node.js the floor's worker runs on (the show worker's, so the two compare). */
  node?: { path: string; version: string };
  /** Its environment for the malloc it runs on (the show worker's, so the two compare). */
  allocatorEnv?: Record<string, string>;
}): Promise<PerWorkflow & { rssPeak: number }> {
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-floor-'));
  const probe = memoryProbe();
  const codePath = path.join(bundleDir, 'floor-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./floor-workflow'),
    logger: SILENT_BUNDLER_LOGGER,
  });
  fs.writeFileSync(codePath, code);
  const worker = new WorkerProcess(
    {
      ...workerProcessEnv({ temporal: options.temporal, keyRingEnv: {}, ivsEndpoint: 'http://127.0.0.1:9' }),
      ...probe.env,
      BENCH_FLOOR_TASK_QUEUE: FLOOR_TASK_QUEUE,
      BENCH_FLOOR_BUNDLE: codePath,
      SHOWRUNNER_LOG_LEVEL: 'WARN',
      ...options.allocatorEnv,
    },
    { main: FLOOR_WORKER, node: options.node },
  );
  let rssPeak = 0;
  try {
    await worker.start();
    const start = (id: string) =>
      options.client.workflow.start('floorWorkflow', { taskQueue: FLOOR_TASK_QUEUE, workflowId: id, args: [24] });
    // One warm-up, so the bundle's first evaluation is in the baseline, not in the figure.
    await (await start(`floor-warm-${options.suffix}`)).query(floorStateQuery);
    const before = await readMemory(probe.dir);
    options.progress(`floor: ${options.count} minimal workflows at ${options.perSecond}/s…`);
    const t0 = Date.now();
    const handles: Awaited<ReturnType<typeof start>>[] = [];
    for (let i = 0; i < options.count; i++) {
      const due = t0 + (i * 1000) / options.perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      handles.push(await start(`floor-${i}-${options.suffix}`));
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < handles.length) await handles[next++]!.query(floorStateQuery);
      }),
    );
    await sleep(3_000);
    const after = await readMemory(probe.dir);
    rssPeak = after.rss;
    return { ...perWorkflow(options.count, before, after), rssPeak };
  } finally {
    await worker.stop();
    fs.rmSync(bundleDir, { recursive: true, force: true });
    fs.rmSync(probe.dir, { recursive: true, force: true });
  }
}
