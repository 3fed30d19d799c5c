/**
 * `npx tsx --expose-gc bench/floor/bundle-cost.ts` (or `node --expose-gc --import tsx ...`): what a bundle costs
 * each cached workflow. The same minimal workflow (floor-workflow.ts) is cached N times (N env, 200 by default) by an
 * in-process worker in debug mode (workflows on the main thread, so one heap holds them), with three bundles:
 *
 * - floor: a bundle of only the minimal workflow;
 * - showrunner: Showrunner's workflows and the minimal one, as `npm run build:workflows` builds them (with the
 *   workflow tracing module and the preloaded modules, worker/workflow-bundle-options.ts), each run traced (its memo
 *   asks for the OpenTelemetry workflow interceptors, as a run started before the memo existed);
 * - showrunner-untraced: the same bundle, each run's memo saying not to trace (contracts/workflow-tracing.ts), as
 *   Showrunner's starters write it unless tracing is on;
 * - showrunner-no-tracing: the same bundle without the tracing module at all, the floor an untraced run should meet;
 * - showrunner-no-preload: the same without preloaded modules, which shows what preloading saves.
 *
 * With the SDK's reusable V8 context every cached workflow evaluates the bundle's modules for itself, so the
 * difference is the price of what the bundle carries. Prints one JSON line per bundle. Not part of `npm run bench`.
 *
 * With the memory probe (`BENCH_MEMORY_PROBE_DIR=$(mktemp -d) NODE_OPTIONS="--expose-gc --require
 * ./bench/floor/memory-probe.cjs" npx tsx bench/floor/bundle-cost.ts`) the workflows run as in production instead,
 * in the SDK's workflow threads, and the heaps of every thread are read. BUNDLES=floor,showrunner picks bundles; one
 * per process reads cleanest, as a stopped worker's thread may linger.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startTemporalDevServer } from '../../dev/services/temporal-dev-server';
import { workflowTracingMemo } from '../../contracts/workflow-tracing';
import { tracingOff } from '../../worker/tracing';
import { workflowBundleOptions } from '../../worker/workflow-bundle-options';
import { floorStateQuery } from './floor-workflow';
import { readMemory } from './memory';

const N = Number(process.env.N ?? 200);
const gc = (globalThis as { gc?: () => void }).gc;

const probeDir = process.env.BENCH_MEMORY_PROBE_DIR;

async function liveHeap(): Promise<number> {
  if (probeDir) return (await readMemory(probeDir)).heapUsed;
  gc!();
  gc!();
  return v8.getHeapStatistics().used_heap_size;
}

const VARIANTS: Record<string, Parameters<typeof bundleWorkflowCode>[0] & { traced?: boolean }> = {
  floor: { workflowsPath: require.resolve('./floor-workflow') },
  showrunner: { workflowsPath: require.resolve('./showrunner-plus-floor'), ...workflowBundleOptions(), traced: true },
  'showrunner-untraced': {
    workflowsPath: require.resolve('./showrunner-plus-floor'),
    ...workflowBundleOptions(),
    traced: false,
  },
  // Without the tracing module: the floor for an untraced run.
  'showrunner-no-tracing': {
    workflowsPath: require.resolve('./showrunner-plus-floor'),
    ...workflowBundleOptions(),
    workflowInterceptorModules: [],
  },
  'showrunner-no-preload': {
    workflowsPath: require.resolve('./showrunner-plus-floor'),
    ...workflowBundleOptions(),
    preloadModules: [],
  },
};

async function main(): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = await startTemporalDevServer({ headless: true, logLevel: 'error' });
  const connection = await NativeConnection.connect({ address: temporal.address });
  const clientConnection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection: clientConnection });
  try {
    for (const [name, { traced, ...options }] of Object.entries(VARIANTS)) {
      if (process.env.BUNDLES && !process.env.BUNDLES.split(',').includes(name)) continue;
      const bundle = await bundleWorkflowCode({ ...options, logger: new DefaultLogger('WARN') });
      const memo = traced === undefined ? undefined : workflowTracingMemo(traced);
      const taskQueue = `bundle-cost-${name}`;
      const worker = await Worker.create({
        connection,
        taskQueue,
        workflowBundle: bundle,
        debugMode: !probeDir,
        maxCachedWorkflows: N + 10,
        sinks: tracingOff.sinks,
      });
      await worker.runUntil(async () => {
        const start = (id: string) =>
          client.workflow.start('floorWorkflow', { taskQueue, workflowId: `${taskQueue}-${id}`, args: [1], memo });
        await (await start('warm')).query(floorStateQuery);
        const before = await liveHeap();
        const handles = [];
        for (let i = 0; i < N; i++) handles.push(await start(String(i)));
        for (const h of handles) await h.query(floorStateQuery);
        const after = await liveHeap();
        for (const h of handles) await h.terminate();
        console.log(
          JSON.stringify({
            bundle: name,
            workflows: N,
            heapPerWorkflowKB: Math.round((after - before) / N / 1024),
            bundleKB: Math.round(bundle.code.length / 1024),
            threads: probeDir ? 'workflow threads' : 'main',
          }),
        );
      });
      // The stopped worker's threads answer no more: the next reading must not wait for them.
      if (probeDir)
        for (const f of fs.readdirSync(probeDir)) if (f.startsWith('thread-')) fs.rmSync(path.join(probeDir, f));
    }
  } finally {
    await clientConnection.close();
    await connection.close();
    await temporal.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
