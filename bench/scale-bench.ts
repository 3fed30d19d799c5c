/**
 * Scenario "scale": N concurrent shows in the monitoring phase on ONE worker process (the real `worker/main.ts`,
 * with Prometheus metrics on). The bench hosts the emulator (quotas raised for the run, rate limits on) and a
 * headless Temporal dev server; the worker is a child whose CPU and RSS are read from /proc. Shows are started at a
 * pace that keeps every IVS operation under its 5 TPS rate, run with `startComposition: immediately` (nobody
 * publishes, so the emulator's idle stops are pushed out of the way), and then:
 *
 * 1. steady window: nothing changes; the worker's CPU and RSS, and the IVS calls the monitor makes;
 * 2. burst: every composition's channel destination goes RECONNECTING at once, then ACTIVE again; how long until
 *    every show has noticed each change, and the workflow task latencies that costs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { EmulatorControlClient, startEmulator, type RunningEmulator } from '../emulator/src';
import type { OperationMetrics } from '../emulator/src/usage/api-metrics';
import { compositionMonitorWorkflowId, workflowIdForShow } from '../contracts/ids';
import { TAG_SHOW_ID } from '../contracts/tags';
import { getFreePort } from '../dev/process/net-utils';
import { productionNode } from '../dev/tools/ensure-node-line';
import { accountRoles, benchWorker, startMonitoredShows, type Placement } from './monitored-shows';
import type { WorkerProcess } from '../dev/process/worker-process';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../dev/services/search-attributes';
import { startTemporalDevServer, type TemporalDevServer } from '../dev/services/temporal-dev-server';
import { workerAllocatorEnv, type WorkerAllocator } from '../dev/process/worker-allocator';
import { createDataConverter } from '../security/data-converter';
import { MONITOR_POLL_INTERVAL_MS } from '../contracts/monitor-pacing';
import {
  measureFloor,
  memoryProbe,
  perWorkflow,
  readMemory,
  type MemoryReading,
  type PerWorkflow,
} from './floor/memory';
import { generateKey, loadKeyRing } from '../security/encryption-keys';
import {
  int,
  machineSnapshot,
  markdownTable,
  mb,
  recordIvsCalls,
  REPO_ROOT,
  runSuffix,
  seconds,
  sleep,
  waitUntil,
  type IvsCallLog,
  type Progress,
  type ScenarioReport,
  type SummaryRow,
} from './bench-support';

export interface ScaleOptions {
  shows: number;
  windowSeconds: number;
  /** Worker's SHOWRUNNER_MAX_CACHED_WORKFLOWS; the SDK's default (sized from the heap) when absent. */
  maxCachedWorkflows?: number;
  /** The worker's V8 old-space limit (NODE_OPTIONS=--max-old-space-size), as a container deployment would set it. */
  heapLimitMb?: number;
  /** Measure the floor (minimal workflows in a worker of their own) first; on by default. */
  floor?: boolean;
  /** The malloc the show worker runs on (dev/process/worker-allocator.ts). */
  allocator: WorkerAllocator;
}

const TASK_QUEUE = 'bench-scale';
const MONITOR_TASK_QUEUE = 'bench-scale-monitor';
/**
 * Shows start round-robin over the placements, so each account and region sees 4 / placements starts per second:
 * far under the 5 TPS per operation. The pace is the worker's: it prepares every show on two shared cores.
 */
const SHOWS_PER_SECOND = 4;
const IVS_RATE_TARGET = 5;
/** Issue 15: 1,000 live shows, every one cached, in 1 GB. */
const RSS_TARGET_MB = 1024;
const P99_TARGET_MS = 500;
/** Every composition changes at once: workflow-task p99 and the last show signalled. */
const BURST_P99_TARGET_MS = 2_000;
const NOTIFIED_TARGET_MS = 10_000;
/** A cached show may weigh this many times a minimal workflow. */
const FLOOR_RATIO_TARGET = 1.5;
const FLOOR_STARTS_PER_SECOND = 40;

/** The SDK's default workflow cache with reuseV8Context: 600 per GB of heap above 200 MB (worker-options.js). */
export function sdkDefaultCache(heapLimitMb: number): number {
  return Math.max(Math.floor((Math.max(heapLimitMb - 200, 0) * 600) / 1024), 10);
}
/** IVS Real-Time's regions, and its quota of 20 compositions per account and region (not raised here). */
const IVS_REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
];
const COMPOSITIONS_PER_ACCOUNT = 20;
/** The fleet's monitoring budget: enough for one 10 s poll per account and region, with room for tidy-up polls. */
const MONITOR_ACTIVITIES_PER_SECOND = 20;

export type { Placement };

/** As few accounts as the quotas allow: every region of one account is filled before the next account is used. */
export function placements(shows: number): Placement[] {
  const perAccount = IVS_REGIONS.length * COMPOSITIONS_PER_ACCOUNT;
  const accounts = Math.ceil(shows / perAccount);
  const regions = Math.min(IVS_REGIONS.length, Math.ceil(shows / COMPOSITIONS_PER_ACCOUNT));
  const out: Placement[] = [];
  for (let a = 0; a < accounts; a++)
    for (const region of IVS_REGIONS.slice(0, regions)) out.push({ account: String(210000000000 + a), region });
  return out;
}
export const placementKey = (p: Placement) => `${p.account}/${p.region}`;
const CLOCK_TICKS_PER_SECOND = 100;
const WFT_METRICS = ['temporal_workflow_task_schedule_to_start_latency', 'temporal_workflow_task_execution_latency'];

// ---------------------------------------------------------------------------------------------------------------
// The worker process: /proc readings and Prometheus

interface ProcSample {
  at: number;
  cpuSeconds: number;
  rss: number;
}

function procSample(pid: number): ProcSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces), from field 3 on: utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  return { at: Date.now(), cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rss };
}

/** Samples the worker every second: CPU share over a window and peak/mean RSS. */
export class WorkerSampler {
  readonly samples: ProcSample[] = [];
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.samples.push(procSample(pid));
    this.timer = setInterval(() => this.samples.push(procSample(pid)), 1_000);
  }
  now(): ProcSample {
    return procSample(this.pid);
  }
  window(from: ProcSample, to: ProcSample) {
    const inside = this.samples.filter((s) => s.at >= from.at && s.at <= to.at).concat([to]);
    return {
      cpuPercent: ((to.cpuSeconds - from.cpuSeconds) / ((to.at - from.at) / 1000)) * 100,
      peakRss: Math.max(...inside.map((s) => s.rss)),
      meanRss: inside.reduce((n, s) => n + s.rss, 0) / inside.length,
    };
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * The whole machine's CPU time so far, in seconds of one core (/proc/stat): busy (user, nice, system, irq, softirq)
 * and stolen — time a virtual machine's cores waited for the host, which neither this machine's processes nor its
 * idle time account for.
 */
export interface MachineCpuReading {
  at: number;
  busy: number;
  steal: number;
}
export function machineCpuNow(): MachineCpuReading {
  const [user, nice, system, , , irq, softirq, steal] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    at: Date.now(),
    busy: (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS_PER_SECOND,
    steal: steal! / CLOCK_TICKS_PER_SECOND,
  };
}

/** The machine's busy and stolen time between two readings, in % of one core. */
export function machineCpuPercent(from: MachineCpuReading, to: MachineCpuReading): { busy: number; steal: number } {
  const seconds = (to.at - from.at) / 1000;
  return { busy: ((to.busy - from.busy) / seconds) * 100, steal: ((to.steal - from.steal) / seconds) * 100 };
}

type Histogram = Map<number, number>;

/** Cumulative bucket counts of a Prometheus histogram, summed over every label set (task queues, workflow types). */
async function scrapeHistograms(url: string): Promise<Map<string, Histogram>> {
  const text = await (await fetch(url)).text();
  const out = new Map<string, Histogram>();
  for (const line of text.split('\n')) {
    const m = /^(\w+)_bucket\{(.*)\}\s+([0-9.e+]+)$/.exec(line);
    if (!m || !WFT_METRICS.includes(m[1]!)) continue;
    const le = /le="([^"]+)"/.exec(m[2]!)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    const h = out.get(m[1]!) ?? new Map<number, number>();
    h.set(bound, (h.get(bound) ?? 0) + Number(m[3]));
    out.set(m[1]!, h);
  }
  return out;
}

/** p50 and p99 of the observations between two scrapes, as bucket upper bounds (what a histogram can say). */
function quantiles(before: Histogram | undefined, after: Histogram | undefined) {
  if (!after) return { count: 0, p50: NaN, p99: NaN };
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before?.get(b) ?? 0));
  const count = delta[delta.length - 1] ?? 0;
  const q = (p: number) => bounds[delta.findIndex((c) => c >= p * count)] ?? NaN;
  return { count, p50: count ? q(0.5) : NaN, p99: count ? q(0.99) : NaN };
}

const latency = (ms: number) => (Number.isFinite(ms) ? `≤ ${ms} ms` : ms === Infinity ? '> largest bucket' : '—');

/** The production worker loads a prebuilt bundle; build it the way `npm run build:workflows` does. */
export async function buildWorkflowBundle(out: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'build-workflow-bundle.ts'), out],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`building the workflow bundle failed (${code}):\n${err.slice(-2000)}`);
}

/** Per operation over the bench's accounts and regions: calls and errors summed, the busiest second of any one. */
export function mergeMetrics(
  snapshot: Record<string, Record<string, OperationMetrics>>,
  keys: Set<string>,
): Record<string, OperationMetrics & { busiest?: string }> {
  const out: Record<string, OperationMetrics & { busiest?: string }> = {};
  for (const [key, operations] of Object.entries(snapshot)) {
    if (!keys.has(key)) continue;
    for (const [op, m] of Object.entries(operations)) {
      const acc = (out[op] ??= { calls: 0, errors: {}, peakPerSecond: 0 });
      acc.calls += m.calls;
      for (const [e, c] of Object.entries(m.errors)) acc.errors[e] = (acc.errors[e] ?? 0) + c;
      if (m.peakPerSecond > acc.peakPerSecond) {
        acc.peakPerSecond = m.peakPerSecond;
        acc.busiest = key;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/** Workflow tasks and signals as the server recorded them in each workflow's history (millisecond timestamps). */
interface HistoryTimings {
  /** Per workflow task: whose, and its scheduled, started and completed times. */
  tasks: { workflowId: string; scheduled: number; started: number; completed: number }[];
  /** Per workflow: when each signal was recorded. */
  signals: Map<string, number[]>;
}

async function historyTimings(client: Client, workflowIds: string[]): Promise<HistoryTimings> {
  const { EventType } = temporal.api.enums.v1;
  const tasks: HistoryTimings['tasks'] = [];
  const signals = new Map<string, number[]>();
  await poolRun(workflowIds.length, 8, async (i) => {
    const id = workflowIds[i]!;
    const history = await client.workflow.getHandle(id).fetchHistory();
    const at = new Map<number, number>();
    const mine: number[] = [];
    for (const e of history.events ?? []) {
      const time = tsToMs(e.eventTime);
      const eventId = Number(e.eventId);
      at.set(eventId, time);
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) mine.push(time);
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        const a = e.workflowTaskCompletedEventAttributes!;
        const scheduled = at.get(Number(a.scheduledEventId));
        const started = at.get(Number(a.startedEventId));
        if (scheduled !== undefined && started !== undefined)
          tasks.push({ workflowId: id, scheduled, started, completed: time });
      }
    }
    signals.set(id, mine);
  });
  return { tasks, signals };
}

/**
 * The readings behind a per-workflow RSS figure, before → after in MB: live V8 heap, what the V8 heaps hold from the
 * system (live and free), the main thread's Buffers and other external memory, and RSS. What RSS gains beyond the
 * heaps held and the external memory lives outside V8 (the SDK core's per-run state, native allocations, code).
 */
function rssParts({ before, after }: PerWorkflow): string {
  const m = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const pair = (f: (r: MemoryReading) => number) => `${m(f(before))} → ${m(f(after))}`;
  const outside = (r: MemoryReading) => r.rss - r.heapTotal - r.external;
  return (
    `live heap ${pair((r) => r.heapUsed)}, heaps held ${pair((r) => r.heapTotal)}, external ` +
    `${pair((r) => r.external)}, RSS ${pair((r) => r.rss)}, so outside V8 ${pair(outside)} MB`
  );
}

export function percentiles(values: number[]): { count: number; min: number; p50: number; p99: number; max: number } {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Schedule-to-start and start-to-complete of the workflow tasks scheduled in [from, to]. */
function taskLatencies(t: HistoryTimings, from: number, to: number) {
  const inside = t.tasks.filter((x) => x.scheduled >= from && x.scheduled <= to);
  return {
    scheduleToStart: percentiles(inside.map((x) => x.started - x.scheduled)),
    execution: percentiles(inside.map((x) => x.completed - x.started)),
  };
}

/** Busiest one-second window per operation in any one account and region, over the calls in [from, to]. */
function peakPerSecond(calls: IvsCallLog, from: number, to: number): Record<string, number> {
  const perSecond = new Map<string, number>();
  for (const c of calls.between(from, to)) {
    const key = `${c.operation}@${c.accountId}/${c.region}@${Math.floor(c.at / 1000)}`;
    perSecond.set(key, (perSecond.get(key) ?? 0) + 1);
  }
  const peaks: Record<string, number> = {};
  for (const [key, n] of perSecond) {
    const op = key.slice(0, key.indexOf('@'));
    peaks[op] = Math.max(peaks[op] ?? 0, n);
  }
  return peaks;
}

export async function poolRun(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

export async function runScale(o: ScaleOptions, progress: Progress, command: string): Promise<ScenarioReport> {
  const startedAt = new Date();
  const machineBefore = machineSnapshot();
  const n = o.shows;
  let temporal: TemporalDevServer | undefined;
  let emulator: RunningEmulator | undefined;
  let worker: WorkerProcess | undefined;
  let sampler: WorkerSampler | undefined;
  let connection: Connection | undefined;
  let probeDir: string | undefined;
  const where = placements(n);
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-scale-'));
  try {
    progress('scale: starting the Temporal dev server and the emulator…');
    temporal = await startTemporalDevServer({
      searchAttributes: { ...SHOWRUNNER_SEARCH_ATTRIBUTES },
      headless: true,
      logLevel: 'error',
    });
    emulator = await startEmulator(
      {
        // IVS's own rates and quotas: the shows are spread so that none is exceeded.
        rateLimits: true,
        timings: {
          compositionStartMs: 2_000,
          compositionStopMs: 1_000,
          // Nobody publishes on these stages: keep their compositions from idling out during the run.
          idleStopWithoutParticipantsMs: 24 * 60 * 60_000,
          idleStopAfterLastLeftMs: 24 * 60 * 60_000,
        },
      },
      () => undefined,
    );
    const calls = recordIvsCalls(emulator);
    const keys = `bench:${generateKey()}`;
    const metricsPort = await getFreePort();
    progress('scale: building the workflow bundle (npm run build:workflows)…');
    const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
    await buildWorkflowBundle(bundlePath);
    const accounts = accountRoles(where);
    connection = await Connection.connect({ address: temporal.address });
    const workerNode = await productionNode();
    let floor: (PerWorkflow & { rssPeak: number }) | undefined;
    if (o.floor !== false) {
      progress(`scale: the floor: ${n} minimal workflows in a worker of their own…`);
      floor = await measureFloor({
        temporal,
        client: new Client({ connection, namespace: temporal.namespace }),
        count: n,
        perSecond: FLOOR_STARTS_PER_SECOND,
        node: workerNode,
        allocatorEnv: workerAllocatorEnv(o.allocator),
        suffix: runSuffix(),
        progress,
      });
      progress(`scale: floor ${(floor.heapPerWorkflow / 1024).toFixed(0)} KB heap per cached workflow`);
    }
    progress(
      `scale: starting the worker (production mode: prebuilt bundle; ${Object.keys(accounts).length} accounts)…`,
    );
    const probe = memoryProbe();
    probeDir = probe.dir;
    worker = benchWorker({
      temporal,
      keys,
      emulatorEndpoint: emulator.endpoint,
      taskQueue: TASK_QUEUE,
      monitorTaskQueue: MONITOR_TASK_QUEUE,
      bundlePath,
      accounts,
      monitorActivitiesPerSecond: MONITOR_ACTIVITIES_PER_SECOND,
      node: workerNode,
      allocator: o.allocator,
      env: {
        ...(o.maxCachedWorkflows !== undefined
          ? { SHOWRUNNER_MAX_CACHED_WORKFLOWS: String(o.maxCachedWorkflows) }
          : {}),
        ...probe.env,
        ...(o.heapLimitMb !== undefined
          ? { NODE_OPTIONS: `${probe.env.NODE_OPTIONS} --max-old-space-size=${o.heapLimitMb}` }
          : {}),
        SHOWRUNNER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      },
    });
    await worker.start();
    progress(`scale: worker polling (Node.js ${workerNode.version})`);
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    sampler = new WorkerSampler(worker.pid!);
    // Who else works during the burst: whether its tasks wait for CPU or for the server.
    const serverSampler = new WorkerSampler(temporal.pid);
    const memoryBefore = await readMemory(probe.dir);
    const client = new Client({
      connection,
      namespace: temporal.namespace,
      dataConverter: createDataConverter(loadKeyRing({ SHOWRUNNER_ENCRYPTION_KEYS: keys })),
    });
    const count = async (phase: string) => Number((await client.workflow.count(`ShowPhase = '${phase}'`)).count);

    // Ramp-up.
    const suffix = runSuffix();
    const rampFrom = sampler.now();
    const rampHist = await scrapeHistograms(metricsUrl);
    progress(`scale: starting ${n} shows at ${SHOWS_PER_SECOND}/s…`);
    const rampStarted = Date.now();
    const showIds = await startMonitoredShows(client, {
      prefix: 'scale',
      name: 'Scale bench',
      suffix,
      count: n,
      perSecond: SHOWS_PER_SECOND,
      where,
      taskQueue: TASK_QUEUE,
      monitorTaskQueue: MONITOR_TASK_QUEUE,
      progressEvery: 50,
      progress,
    });
    // A worker starved of CPU (the cores are shared) may not get every show LIVE in time: the run goes on with the
    // shows it has, and says how many.
    await waitUntil(async () => (await count('LIVE')) >= n, {
      timeoutMs: 120_000 + (n / SHOWS_PER_SECOND) * 1000,
      intervalMs: 2_000,
      what: `${n} shows LIVE`,
    }).catch(() => undefined);
    const liveAfterRamp = await count('LIVE');
    const allLive = Date.now();
    const rampTo = sampler.now();
    const rampAfterHist = await scrapeHistograms(metricsUrl);
    progress(`scale: ${n} shows LIVE after ${seconds(allLive - rampStarted)} s; settling 15 s…`);
    await sleep(15_000);
    const showMemory = perWorkflow(n, memoryBefore, await readMemory(probe.dir));
    progress(`scale: ${(showMemory.heapPerWorkflow / 1024).toFixed(0)} KB heap per cached show`);

    // Steady window.
    progress(`scale: steady window of ${o.windowSeconds} s…`);
    const steadyFrom = sampler.now();
    const steadyHist = await scrapeHistograms(metricsUrl);
    const benchCpuBefore = process.cpuUsage();
    await sleep(o.windowSeconds * 1000);
    const steadyTo = sampler.now();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const steadyAfterHist = await scrapeHistograms(metricsUrl);
    const steadyCalls = calls.between(steadyFrom.at, steadyTo.at);

    // Burst: every composition changes at once, twice.
    const control = new EmulatorControlClient(emulator.endpoint);
    const live = (await control.inventory()).regions.flatMap((r) => r.compositions).filter((c) => c.state === 'ACTIVE');
    const compositions = live.map((c) => c.arn);
    /** The show whose composition each is, from the tag every show puts on what it creates. */
    const showOf = live.map((c) => workflowIdForShow(c.tags[TAG_SHOW_ID] ?? ''));
    /**
     * Setting 1,000 states takes seconds through the control API, so each show's wait is also measured from the
     * moment its own composition was changed (the request's send: a bound that never flatters).
     */
    const changedAt = new Map<string, number>();
    const setAll = (state: 'RECONNECTING' | 'ACTIVE') =>
      poolRun(compositions.length, 16, async (i) => {
        changedAt.set(showOf[i]!, Date.now());
        await control.setCompositionState({ compositionArn: compositions[i]!, state, destinationType: 'channel' });
      });
    progress(`scale: burst: ${compositions.length} destinations RECONNECTING at once…`);
    const burstFrom = sampler.now();
    const burstServerFrom = serverSampler.now();
    const burstMachineFrom = machineCpuNow();
    const burstBenchFrom = process.cpuUsage();
    const burstHist = await scrapeHistograms(metricsUrl);
    const burstStarted = Date.now();
    await setAll('RECONNECTING');
    const reconnectingSet = Date.now();
    const reconnectingChangedAt = new Map(changedAt);
    // Under the 60 s reconnecting tolerance: past it the shows would replace their compositions.
    const allRecovering = await waitUntil(async () => ((await count('RECOVERING')) >= n ? Date.now() : undefined), {
      timeoutMs: 50_000,
      intervalMs: 250,
      what: `${n} shows RECOVERING`,
    }).catch(() => NaN);
    const recoveringSeen = await count('RECOVERING');
    const activeStarted = Date.now();
    await setAll('ACTIVE');
    const activeSet = Date.now();
    const activeChangedAt = new Map(changedAt);
    const allBackLive = await waitUntil(async () => ((await count('LIVE')) >= n ? Date.now() : undefined), {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: `${n} shows LIVE again`,
    }).catch(() => NaN);
    const burstTo = sampler.now();
    const burstServer = serverSampler.window(burstServerFrom, serverSampler.now());
    serverSampler.stop();
    const burstSeconds = (burstTo.at - burstFrom.at) / 1000;
    const burstBench = process.cpuUsage(burstBenchFrom);
    const burstMachine = machineCpuPercent(burstMachineFrom, machineCpuNow());
    const burstCpu = {
      server: burstServer.cpuPercent,
      bench: ((burstBench.user + burstBench.system) / 1e6 / burstSeconds) * 100,
      machine: burstMachine.busy,
      steal: burstMachine.steal,
    };
    const burstAfterHist = await scrapeHistograms(metricsUrl);
    const restarts = calls.between(burstStarted, Date.now()).filter((c) => c.operation === 'StartComposition').length;

    const burstEnded = Date.now();
    progress('scale: reading workflow task timings from the histories…');
    const monitorIds = where.map((p) => compositionMonitorWorkflowId(MONITOR_TASK_QUEUE, p.account, p.region));
    const timings = await historyTimings(client, [...showIds, ...monitorIds]);
    const firstSignalAfter = (from: number) =>
      percentiles(showIds.map((id) => (timings.signals.get(id)?.find((t) => t >= from) ?? NaN) - from));
    const noticedReconnecting = firstSignalAfter(burstStarted);
    const noticedActive = firstSignalAfter(activeStarted);
    /** Each show's first signal after its own composition changed. */
    const signalAfterOwnChange = (at: Map<string, number>) =>
      percentiles(
        showIds.map((id) => {
          const from = at.get(id);
          return from === undefined ? NaN : (timings.signals.get(id)?.find((t) => t >= from) ?? NaN) - from;
        }),
      );
    const ownReconnecting = signalAfterOwnChange(reconnectingChangedAt);
    const ownActive = signalAfterOwnChange(activeChangedAt);
    const monitorIdSet = new Set(monitorIds);
    const burstMonitorTasks = timings.tasks.filter(
      (x) => x.scheduled >= burstStarted && x.scheduled <= burstEnded && monitorIdSet.has(x.workflowId),
    ).length;
    const lat = {
      ramp: taskLatencies(timings, rampStarted, allLive),
      steady: taskLatencies(timings, steadyFrom.at, steadyTo.at),
      burst: taskLatencies(timings, burstStarted, burstEnded),
    };

    const metrics = mergeMetrics(emulator.metrics.snapshot(), new Set(where.map(placementKey)));
    const ramp = sampler.window(rampFrom, rampTo);
    const steady = sampler.window(steadyFrom, steadyTo);
    const burst = sampler.window(burstFrom, burstTo);
    const steadyPeaks = peakPerSecond(calls, steadyFrom.at, steadyTo.at);
    const limitOf = (op: string) => (op === 'CreateParticipantToken' ? 50 : /Tag/.test(op) ? 10 : IVS_RATE_TARGET);
    const overLimit = Object.entries(metrics)
      .filter(([op, m]) => m.peakPerSecond > limitOf(op))
      .map(([op, m]) => `${op} ${m.peakPerSecond}/s in ${m.busiest}`);
    const busiest = Object.entries(metrics)
      .map(([op, m]) => ({ op, peak: m.peakPerSecond, limit: limitOf(op), where: m.busiest ?? '—' }))
      .sort((a, b) => b.peak / b.limit - a.peak / a.limit)[0] ?? {
      op: '—',
      peak: 0,
      limit: IVS_RATE_TARGET,
      where: '—',
    };
    const peakRss = Math.max(...sampler.samples.map((x) => x.rss));
    const monitoringLatency = percentiles(
      timings.tasks
        .filter(
          (x) =>
            (x.scheduled >= steadyFrom.at && x.scheduled <= steadyTo.at) ||
            (x.scheduled >= burstStarted && x.scheduled <= burstEnded),
        )
        .map((x) => x.completed - x.scheduled),
    );
    const throttled = Object.values(metrics).reduce(
      (t, m) => t + (m.errors.ThrottlingException ?? 0) + (m.errors.TooManyRequestsException ?? 0),
      0,
    );
    const prom = (which: number, from: Map<string, Histogram>, to: Map<string, Histogram>) => {
      const q = quantiles(from.get(WFT_METRICS[which]!), to.get(WFT_METRICS[which]!));
      return `${latency(q.p50)} / ${latency(q.p99)} (${int(q.count)})`;
    };
    const ms = (p: { p50: number; p99: number }) => `${int(p.p50)} / ${int(p.p99)} ms`;

    const burstLatency = percentiles(
      timings.tasks
        .filter((x) => x.scheduled >= burstStarted && x.scheduled <= burstEnded)
        .map((x) => x.completed - x.scheduled),
    );
    // A show never signalled counts as missed (percentiles leave it out of max).
    const notifiedMax =
      ownReconnecting.count >= n && ownActive.count >= n ? Math.max(ownReconnecting.max, ownActive.max) : Infinity;
    const kb = (bytes: number) => `${int(bytes / 1024)} KB`;
    const ratio = floor ? showMemory.heapPerWorkflow / floor.heapPerWorkflow : NaN;
    const cacheSize =
      o.maxCachedWorkflows ?? sdkDefaultCache(o.heapLimitMb ?? v8.getHeapStatistics().heap_size_limit / 1024 / 1024);
    const memoryRows: SummaryRow[] = floor
      ? [
          {
            figure: `Memory per cached workflow, side by side in one run (${int(n)} each): live heap after a full GC, minimal workflow / show`,
            value:
              `${kb(floor.heapPerWorkflow)} / ${kb(showMemory.heapPerWorkflow)} = ${ratio.toFixed(1)}× ` +
              `(RSS ${kb(floor.rssPerWorkflow)} / ${kb(showMemory.rssPerWorkflow)})`,
            target: `≤ ${FLOOR_RATIO_TARGET}×`,
            verdict: ratio <= FLOOR_RATIO_TARGET ? 'met' : 'missed',
            note:
              ratio <= FLOOR_RATIO_TARGET
                ? undefined
                : 'the SDK evaluates every module of the bundle once per cached workflow (reuseV8Context keeps module ' +
                  'state per workflow) but the preloaded ones (zod, worker/workflow-preload-modules.ts): ' +
                  "on Node 24 Showrunner's bundle costs a minimal workflow ~0.43 MB of heap, ~0.26 MB of it the " +
                  'OpenTelemetry workflow interceptors, against ~0.07 MB in a bundle of its own ' +
                  '(bench/floor/bundle-cost.ts); the show adds its state and the monitors on top',
          },
        ]
      : [];
    const rows: SummaryRow[] = [
      ...memoryRows,
      {
        figure: `${int(n)} shows monitored on one worker, steady: worker CPU / peak RSS over the whole run`,
        value: `${steady.cpuPercent.toFixed(1)} % of a core / ${mb(peakRss)} MB (steady ${mb(steady.peakRss)} MB, ramp-up ${ramp.cpuPercent.toFixed(0)} % CPU; malloc: ${o.allocator})`,
        target: `≤ ${int(RSS_TARGET_MB)} MB`,
        verdict: peakRss <= RSS_TARGET_MB * 1024 * 1024 ? 'met' : 'missed',
        note:
          peakRss <= RSS_TARGET_MB * 1024 * 1024
            ? undefined
            : `the workflow cache holds up to ${int(cacheSize)} shows (${o.maxCachedWorkflows ? 'set' : "the SDK's default, 600 per GB of heap"}); ` +
              `live heap after a full GC was ${mb(showMemory.after.heapUsed)} MB with every show cached ` +
              `(${kb(showMemory.heapPerWorkflow)} per show) and the RSS peaks come from the ramp-up and the burst, ` +
              `between garbage collections: steady RSS was ${mb(steady.peakRss)} MB`,
      },
      {
        figure: `${int(n)} shows: workflow task latency (scheduled → completed) p50 / p99 while monitoring (steady and burst)`,
        value: `${ms(monitoringLatency)} (ramp-up: schedule-to-start ${ms(lat.ramp.scheduleToStart)}, execution ${ms(lat.ramp.execution)})`,
        target: `p99 ≤ ${P99_TARGET_MS} ms`,
        verdict: monitoringLatency.p99 <= P99_TARGET_MS ? 'met' : 'missed',
        note:
          monitoringLatency.p99 <= P99_TARGET_MS
            ? undefined
            : `the burst sends every show a signal within seconds: ${int(lat.burst.scheduleToStart.count)} workflow ` +
              `tasks in ${seconds(burstTo.at - burstFrom.at)} s at ${burst.cpuPercent.toFixed(0)} % of a core` +
              (o.maxCachedWorkflows !== undefined && o.maxCachedWorkflows < n
                ? `, most of them replaying an evicted show from its history (cache ${o.maxCachedWorkflows} < ${n})`
                : '') +
              '; steady monitoring itself schedules no workflow tasks',
      },
      {
        figure: `${int(n)} shows: every composition changes at once → workflow-task latency (scheduled → completed) p50 / p99 / max`,
        value: `${int(burstLatency.p50)} / ${int(burstLatency.p99)} / ${int(burstLatency.max)} ms (${int(burstLatency.count)} tasks, cache ${int(cacheSize)})`,
        target: `p99 ≤ ${int(BURST_P99_TARGET_MS)} ms`,
        verdict: burstLatency.p99 <= BURST_P99_TARGET_MS ? 'met' : 'missed',
        note:
          burstLatency.p99 <= BURST_P99_TARGET_MS
            ? undefined
            : `${int(lat.burst.scheduleToStart.count)} workflow tasks (${int(burstMonitorTasks)} of them the ` +
              `${int(monitorIds.length)} monitors') in ${seconds(burstTo.at - burstFrom.at)} s at ` +
              `${burst.cpuPercent.toFixed(0)} % of a core on a shared 2-core machine (schedule-to-start p99 ` +
              `${int(lat.burst.scheduleToStart.p99)} ms, execution p99 ${int(lat.burst.execution.p99)} ms); ` +
              `meanwhile the Temporal dev server used ${burstCpu.server.toFixed(0)} %, the bench process (emulator, ` +
              `client) ${burstCpu.bench.toFixed(0)} %, the whole machine ${burstCpu.machine.toFixed(0)} % of ` +
              `${os.cpus().length * 100} %, and the host stole ${burstCpu.steal.toFixed(0)} %`,
      },
      {
        figure: `${int(n)} shows: every composition changes at once → each show signalled after its composition changed, p50 / max`,
        value:
          `${seconds(ownReconnecting.p50)} / ${seconds(ownReconnecting.max)} s (RECONNECTING), ${seconds(ownActive.p50)} / ` +
          `${seconds(ownActive.max)} s (ACTIVE again); from the burst's first change ${seconds(noticedReconnecting.p50)} / ` +
          `${seconds(noticedReconnecting.max)} s and ${seconds(noticedActive.p50)} / ${seconds(noticedActive.max)} s, setting ` +
          `all ${int(compositions.length)} took ${seconds(reconnectingSet - burstStarted)} s and ${seconds(activeSet - activeStarted)} s`,
        target: `every show ≤ ${seconds(NOTIFIED_TARGET_MS)} s`,
        verdict: notifiedMax <= NOTIFIED_TARGET_MS ? 'met' : 'missed',
        note:
          notifiedMax <= NOTIFIED_TARGET_MS
            ? undefined
            : `the monitor polls each account and region every ${MONITOR_POLL_INTERVAL_MS / 1_000} s ` +
              '(contracts/monitor-pacing.ts), so a change waits up to that long to be seen at all; the signals (one ' +
              'workflow task per poll) and the shows’ own tasks add the rest',
      },
      {
        figure: `${int(n)} shows over ${where.length} accounts × regions: busiest second of any operation in any one account and region`,
        value:
          `${busiest.peak}/s ${busiest.op} in ${busiest.where} (its limit ${busiest.limit}/s); ListCompositions ` +
          `${metrics.ListCompositions?.peakPerSecond ?? 0}/s, GetComposition ${metrics.GetComposition?.peakPerSecond ?? 0}/s (whole run)`,
        target: 'never above the IVS rate (5/s; tokens 50/s, tags 10/s)',
        verdict: overLimit.length === 0 ? 'met' : 'missed',
        note: overLimit.length ? `over the limit: ${overLimit.join(', ')}` : undefined,
      },
    ];
    const ops = Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b));
    const details = [
      `One worker process (\`worker/main.ts\` in production mode: the prebuilt workflow bundle, main and monitor task ` +
        `queues, monitor budget ${MONITOR_ACTIVITIES_PER_SECOND} activities/s, workflow cache ` +
        `${o.maxCachedWorkflows ?? "the SDK's default (sized from the heap)"}, V8 heap limit ` +
        `${o.heapLimitMb ? `${o.heapLimitMb} MB` : "Node's default"}, Prometheus metrics on, on Node.js ` +
        `${workerNode.version} as the image runs it, the floor's worker too) against a ` +
        'headless Temporal dev server and the emulator hosted by the bench (IVS rate limits and quotas as documented, ' +
        `not raised; idle stops pushed to 24 h because nobody publishes). ${int(n)} shows (one participant ` +
        'token, a channel destination, `startComposition: immediately`, otherwise default policies: poll every 10 s) ' +
        `started at ${SHOWS_PER_SECOND}/s. No events endpoint: the composition monitor is the only source.`,
      '',
      '**Memory per cached workflow.** Both worker processes load a probe (bench/floor/memory-probe.cjs, ' +
        "`--expose-gc`) that, when asked, collects garbage in every thread — the main one and the SDK's workflow " +
        'thread, a V8 heap each — and reports live heap and RSS. ' +
        (floor
          ? `The floor first: ${int(n)} minimal workflows (bench/floor/floor-workflow.ts: a timer, a signal handler, a ` +
            'small state object) started and queried once each in a worker process of their own (bench/floor/floor-worker.ts: ' +
            "the same runtime set-up, the SDK's defaults, a bundle of only that workflow), read before and after; that worker " +
            `then stops. Floor: ${mb(floor.before.heapUsed)} → ${mb(floor.after.heapUsed)} MB heap, ` +
            `${mb(floor.before.rss)} → ${mb(floor.after.rss)} MB RSS. `
          : '') +
        `Then Showrunner's worker, read once polling and again 15 s after all ${int(n)} shows were LIVE: ` +
        `${mb(showMemory.before.heapUsed)} → ${mb(showMemory.after.heapUsed)} MB heap, ${mb(showMemory.before.rss)} → ` +
        `${mb(showMemory.after.rss)} MB RSS. Readings behind the RSS, shows: ${rssParts(showMemory)}; minimal ` +
        `workflows: ${floor ? rssParts(floor) : 'not measured'}. ` +
        `The difference per show includes its share of the ${where.length} ` +
        'composition monitors and whatever the activities keep (AWS clients per account and region). Workflow cache ' +
        `${int(cacheSize)}${o.maxCachedWorkflows ? '' : " (the SDK's default for the heap)"}: every show stays cached.`,
      '',
      `**Spread within the quotas.** IVS allows ${COMPOSITIONS_PER_ACCOUNT} compositions per account and region, so ` +
        `the shows are spread round-robin over ${where.length} accounts × regions ` +
        `(${[...new Set(where.map((p) => p.account))].length} accounts, regions ${[...new Set(where.map((p) => p.region))].join(', ')}; ` +
        `at most ${Math.ceil(n / where.length)} shows each). Each show names its \`account\` and \`region\`; the ` +
        'worker assumes a role per account (SHOWRUNNER_AWS_ACCOUNTS, STS served by the emulator) and runs one ' +
        'composition monitor per account and region.',
      '',
      'Worker CPU and RSS: /proc every second. Task latencies: from the histories of every show and of the monitor ' +
        '(WorkflowTaskScheduled → Started → Completed event times, exact to the millisecond), by when the task was ' +
        "scheduled; the worker's Prometheus histograms (`temporal_workflow_task_schedule_to_start_latency`, " +
        '`..._execution_latency`, differenced between scrapes) are given too, but their buckets are coarse (100 ms ' +
        'is the first schedule-to-start bound), so they only bound the figures.',
      '',
      markdownTable(
        [
          'window',
          'length s',
          'worker CPU % of a core',
          'peak / mean RSS MB',
          'WFTs',
          'schedule-to-start p50 / p99 / max ms',
          'execution p50 / p99 / max ms',
          'Prometheus schedule-to-start p50 / p99 (count)',
          'Prometheus execution p50 / p99 (count)',
        ],
        (
          [
            [`ramp-up (${int(n)} starts → all LIVE)`, rampFrom, rampTo, ramp, lat.ramp, [rampHist, rampAfterHist]],
            ['steady monitoring', steadyFrom, steadyTo, steady, lat.steady, [steadyHist, steadyAfterHist]],
            [
              'burst (all RECONNECTING, then ACTIVE)',
              burstFrom,
              burstTo,
              burst,
              lat.burst,
              [burstHist, burstAfterHist],
            ],
          ] as const
        ).map(([name, from, to, w, l, [h0, h1]]) => [
          name,
          seconds(to.at - from.at),
          w.cpuPercent.toFixed(1),
          `${mb(w.peakRss)} / ${mb(w.meanRss)}`,
          int(l.scheduleToStart.count),
          `${int(l.scheduleToStart.p50)} / ${int(l.scheduleToStart.p99)} / ${int(l.scheduleToStart.max)}`,
          `${int(l.execution.p50)} / ${int(l.execution.p99)} / ${int(l.execution.max)}`,
          prom(0, h0, h1),
          prom(1, h0, h1),
        ]),
      ),
      '',
      (liveAfterRamp >= n
        ? `Ramp: ${int(n)} shows from the first start to all LIVE in ${seconds(allLive - rampStarted)} s. `
        : `Ramp: only ${int(liveAfterRamp)} of ${int(n)} shows LIVE ${seconds(allLive - rampStarted)} s after the first ` +
          'start (the worker was starved of CPU); the run went on with them. ') +
        `Steady ` +
        `window: ${steadyCalls.length} IVS calls in ${o.windowSeconds} s ` +
        `(${(steadyCalls.length / o.windowSeconds).toFixed(2)}/s; ` +
        `${
          Object.entries(steadyPeaks)
            .map(([op, p]) => `${op} peak ${p}/s`)
            .join(', ') || 'none'
        }); the bench ` +
        `process (emulator and client) used ${(((benchCpu.user + benchCpu.system) / 1e6 / o.windowSeconds) * 100).toFixed(1)} % of a core. ` +
        `Burst: ${compositions.length} channel destinations set RECONNECTING (16 control calls in flight); each ` +
        `show's next signal came first ${seconds(noticedReconnecting.min)} s / p50 ${seconds(noticedReconnecting.p50)} s / ` +
        `p99 ${seconds(noticedReconnecting.p99)} s / max ${seconds(noticedReconnecting.max)} s later, ` +
        `${noticedReconnecting.count} of ${int(n)} shows (the monitor polls every ` +
        `${MONITOR_POLL_INTERVAL_MS / 1_000} s, then signals every changed show of its account and region from one ` +
        'local activity in the task that saw the change: the first-to-last spread is the polls’ phases and the ' +
        'queue of workflow tasks); all ' +
        `${int(n)} RECOVERING in visibility ` +
        `${Number.isFinite(allRecovering) ? `${seconds(allRecovering - reconnectingSet)} s after the last was set` : `NOT within 50 s (${recoveringSeen})`}. ` +
        `Set ACTIVE again: signals first ${seconds(noticedActive.min)} s / p50 ${seconds(noticedActive.p50)} s / max ` +
        `${seconds(noticedActive.max)} s; all LIVE ` +
        `${Number.isFinite(allBackLive) ? `${seconds(allBackLive - activeStarted)} s later` : 'NOT within 90 s'}. ` +
        `${restarts} compositions restarted. Throttled IVS calls over the whole run: ${throttled}.`,
      '',
      "Emulator `/metrics` over the bench's accounts and regions, whole run (ramp-up included); the peak is the " +
        'busiest second in any one account and region:',
      '',
      markdownTable(
        ['operation', 'calls', 'peak per second (where)', 'errors'],
        ops.map(([op, m]) => [
          op,
          int(m.calls),
          `${m.peakPerSecond} (${m.busiest ?? '—'})`,
          Object.entries(m.errors)
            .map(([e, c]) => `${e} ${c}`)
            .join(', ') || '—',
        ]),
      ),
    ];
    return {
      id: 'scale',
      scaleShows: n,
      title: `Scale: ${int(n)} concurrent shows on one worker`,
      command,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      machineBefore,
      machineAfter: machineSnapshot(),
      rows,
      details,
    };
  } finally {
    sampler?.stop();
    if (worker) await worker.stop();
    fs.rmSync(bundleDir, { recursive: true, force: true });
    if (probeDir) fs.rmSync(probeDir, { recursive: true, force: true });
    await connection?.close();
    await emulator?.stop();
    await temporal?.stop();
  }
}
