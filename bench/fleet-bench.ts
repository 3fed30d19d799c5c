/**
 * Scenario "fleet": three worker processes (the real worker/main.ts, production mode) on the same task queues against
 * one Temporal dev server, N shows spread over accounts × regions within the IVS quotas; then one worker is killed
 * with SIGKILL, as an OOM killer or a lost node would, and every composition changes at once so that every show has
 * work to do. Measured: how long until each of the dead worker's shows is served again (its first workflow task
 * completed after the kill, by another worker), that nothing is leaked or duplicated (one ACTIVE composition per
 * show, no extra StartComposition, the shows' reconnecting tolerance being longer than the bench; every stage, ingest configuration and composition gone after every show ended),
 * one composition monitor per account and region, the IVS rate per account and region, RSS and CPU per worker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { EmulatorControlClient, startEmulator, type RunningEmulator } from '../emulator/src';
import { MONITOR_POLL_INTERVAL_MS } from '../contracts/monitor-pacing';
import { endUpdate } from '../contracts/show-messages';
import { getFreePort } from '../dev/process/net-utils';
import type { WorkerAllocator } from '../dev/process/worker-allocator';
import { productionNode } from '../dev/tools/ensure-node-line';
import { accountRoles, benchWorker, startMonitoredShows } from './monitored-shows';
import type { WorkerProcess } from '../dev/process/worker-process';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../dev/services/search-attributes';
import { startTemporalCluster } from '../dev/services/temporal-cluster';
import { startTemporalDevServer } from '../dev/services/temporal-dev-server';
import { createDataConverter } from '../security/data-converter';
import { generateKey, loadKeyRing } from '../security/encryption-keys';
import {
  int,
  markdownTable,
  mb,
  recordIvsCalls,
  runSuffix,
  seconds,
  sleep,
  startScenarioRun,
  waitUntil,
  type Progress,
  type ScenarioReport,
  type SummaryRow,
} from './bench-support';
import {
  buildWorkflowBundle,
  machineCpuNow,
  machineCpuPercent,
  mergeMetrics,
  percentiles,
  placementKey,
  placements,
  poolRun,
  WorkerSampler,
} from './scale-bench';

export interface FleetOptions {
  shows: number;
  workers: number;
  /** Show starts per second over all accounts and regions. */
  perSecond: number;
  windowSeconds: number;
  /**
   * Which Temporal server the fleet shares: the production topology (the real server on a private PostgreSQL,
   * dev/services/temporal-cluster.ts) or the dev server (SQLite), lighter on a small machine.
   */
  temporal: (typeof FLEET_TEMPORALS)[number];
  /** The malloc every worker runs on (dev/process/worker-allocator.ts). */
  allocator: WorkerAllocator;
}

/** The servers the fleet can share (`--fleet-temporal`). */
export const FLEET_TEMPORALS = ['cluster', 'dev'] as const;

const TASK_QUEUE = 'bench-fleet';
const MONITOR_TASK_QUEUE = 'bench-fleet-monitor';
/**
 * The fleet's monitor budget (activities per second on the monitor queue, enforced by the server): at least 20, and
 * half as much again as the polls need (one per account and region every MONITOR_POLL_INTERVAL_MS), so that the
 * budget paces calls without slowing the polls at any fleet size.
 */
const monitorActivitiesPerSecond = (placements: number) =>
  Math.max(20, Math.ceil(((placements * 1000) / MONITOR_POLL_INTERVAL_MS) * 1.5));
const TARGET_SHOWS = 3_000;
/**
 * How long the bench waits for each step after the kill, by the number of shows: at least the fixed floor, else the
 * time per show a 900-show fleet took on this machine (RECOVERING ~55 s, LIVE again ~66 s, every show ended ~207 s),
 * doubled. A step that takes longer is reported as not done, not waited for.
 */
const waitFor = (shows: number, floorMs: number, perShowMs: number) => Math.max(floorMs, shows * perShowMs);
const RECONNECTING_TOLERANCE = '10m';
const limitOf = (op: string) => (op === 'CreateParticipantToken' ? 50 : /Tag/.test(op) ? 10 : 5);

/** Per workflow: every completed workflow task (when, and which worker's identity started it) and the signals. */
async function tasksOf(client: Client, ids: string[]) {
  const { EventType } = proto.api.enums.v1;
  const out = new Map<string, { completed: number; identity: string; scheduled: number }[]>();
  await poolRun(ids.length, 8, async (i) => {
    const id = ids[i]!;
    const history = await client.workflow.getHandle(id).fetchHistory();
    const at = new Map<number, { time: number; identity?: string }>();
    const tasks: { completed: number; identity: string; scheduled: number }[] = [];
    for (const e of history.events ?? []) {
      const time = tsToMs(e.eventTime);
      at.set(Number(e.eventId), {
        time,
        identity: e.workflowTaskStartedEventAttributes?.identity ?? undefined,
      });
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        const a = e.workflowTaskCompletedEventAttributes!;
        const started = at.get(Number(a.startedEventId));
        const scheduled = at.get(Number(a.scheduledEventId));
        tasks.push({ completed: time, identity: started?.identity ?? '?', scheduled: scheduled?.time ?? NaN });
      }
    }
    out.set(id, tasks);
  });
  return out;
}

/** One phase's CPU, in % of one core: the machine busy, what its host stole, the Temporal server. */
const cpuLine = (m: { busy: number; steal: number; server: number }) =>
  `${m.busy.toFixed(0)} % busy, ${m.steal.toFixed(0)} % stolen by the host, the Temporal server ${m.server.toFixed(0)} %`;

export async function runFleet(o: FleetOptions, progress: Progress, command: string): Promise<ScenarioReport> {
  const run = startScenarioRun();
  const n = o.shows;
  const where = placements(n);
  let temporal: { address: string; namespace: string; readonly pid: number; stop(): Promise<void> } | undefined;
  const monitorBudget = monitorActivitiesPerSecond(where.length);
  const recoveringWaitMs = waitFor(n, 50_000, 120);
  const liveAgainWaitMs = waitFor(n, 120_000, 150);
  const endWaitMs = waitFor(n, 300_000, 460);
  let emulator: RunningEmulator | undefined;
  let connection: Connection | undefined;
  const workers: WorkerProcess[] = [];
  const samplers: WorkerSampler[] = [];
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-fleet-'));
  try {
    progress(
      `fleet: starting the Temporal ${o.temporal === 'cluster' ? 'cluster (PostgreSQL)' : 'dev server'} and the emulator…`,
    );
    temporal =
      o.temporal === 'cluster'
        ? await startTemporalCluster({ searchAttributes: { ...SHOWRUNNER_SEARCH_ATTRIBUTES }, logLevel: 'error' })
        : await startTemporalDevServer({
            searchAttributes: { ...SHOWRUNNER_SEARCH_ATTRIBUTES },
            headless: true,
            logLevel: 'error',
          });
    emulator = await startEmulator(
      {
        rateLimits: true,
        timings: {
          compositionStartMs: 2_000,
          compositionStopMs: 1_000,
          idleStopWithoutParticipantsMs: 24 * 60 * 60_000,
          idleStopAfterLastLeftMs: 24 * 60 * 60_000,
          // The burst holds destinations RECONNECTING until every show noticed (minutes at 3,000) and then sets them ACTIVE
          // 16 at a time: on a loaded machine the first ones passed the default 60 s and FAILED under the bench, which
          // then could not set them ACTIVE. The kill, not a failed destination, is what this scenario measures.
          destinationReconnectWindowMs: 10 * 60_000,
        },
      },
      () => undefined,
    );
    const calls = recordIvsCalls(emulator);
    const keys = `bench:${generateKey()}`;
    const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
    progress('fleet: building the workflow bundle…');
    await buildWorkflowBundle(bundlePath);
    const accounts = accountRoles(where);
    const workerNode = await productionNode();
    progress(`fleet: starting ${o.workers} workers (Node.js ${workerNode.version}, malloc: ${o.allocator})…`);
    for (let w = 0; w < o.workers; w++) {
      const worker = benchWorker({
        temporal,
        keys,
        emulatorEndpoint: emulator.endpoint,
        taskQueue: TASK_QUEUE,
        monitorTaskQueue: MONITOR_TASK_QUEUE,
        bundlePath,
        accounts,
        monitorActivitiesPerSecond: monitorBudget,
        node: workerNode,
        allocator: o.allocator,
        env: {
          // Every worker serves every account and region: each may take its share of the documented rates.
          SHOWRUNNER_IVS_RATE_SHARE: String(1 / o.workers),
          SHOWRUNNER_METRICS_ADDRESS: `127.0.0.1:${await getFreePort()}`,
        },
      });
      await worker.start();
      workers.push(worker);
      samplers.push(new WorkerSampler(worker.pid!));
    }
    // The SDK's default worker identity is <pid>@<host>: that is how histories name the worker that ran a task.
    const identityOf = (w: number) => `${workers[w]!.pid}@${os.hostname()}`;
    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({
      connection,
      namespace: temporal.namespace,
      dataConverter: createDataConverter(loadKeyRing({ SHOWRUNNER_ENCRYPTION_KEYS: keys })),
    });
    const count = async (query: string) => Number((await client.workflow.count(query)).count);
    const phase = (p: string) => count(`ShowPhase = '${p}' AND ExecutionStatus = 'Running'`);

    // Who else works (the Temporal server; the machine as a whole, and what its host stole), for the reason a phase
    // takes as long as it does.
    const serverSampler = new WorkerSampler(temporal.pid);
    const machineAt = () => ({ ...machineCpuNow(), server: serverSampler.now() });
    const machineWindow = (from: ReturnType<typeof machineAt>, to: ReturnType<typeof machineAt>) => ({
      ...machineCpuPercent(from, to),
      server: serverSampler.window(from.server, to.server).cpuPercent,
    });

    // Ramp-up.
    const suffix = runSuffix();
    const rampFrom = samplers.map((s) => s.now());
    const rampMachineFrom = machineAt();
    progress(`fleet: starting ${n} shows at ${o.perSecond}/s over ${where.length} accounts × regions…`);
    const rampStarted = Date.now();
    const showIds = await startMonitoredShows(client, {
      prefix: 'fleet',
      name: 'Fleet bench',
      suffix,
      count: n,
      perSecond: o.perSecond,
      where,
      taskQueue: TASK_QUEUE,
      monitorTaskQueue: MONITOR_TASK_QUEUE,
      progressEvery: 100,
      progress,
      // Longer than the kill and the burst can last: no show has reason to replace its composition, so every
      // StartComposition after the kill counts as a duplicate. With the default (60 s) a show that hears of ACTIVE
      // only after its tolerance replaces the composition, as designed, and that would blur the figure.
      policies: { reconnectingTolerance: RECONNECTING_TOLERANCE },
    });
    // Starved of CPU (the cores are shared), the fleet may not get every show LIVE in time: it goes on, and says so.
    await waitUntil(async () => (await phase('LIVE')) >= n, {
      timeoutMs: 180_000 + (n / o.perSecond) * 1000,
      intervalMs: 2_000,
      what: `${n} shows LIVE`,
    }).catch(() => undefined);
    const liveAfterRamp = await phase('LIVE');
    const allLive = Date.now();
    const rampTo = samplers.map((s) => s.now());
    const rampMachine = machineWindow(rampMachineFrom, machineAt());
    progress(`fleet: ${n} shows LIVE after ${seconds(allLive - rampStarted)} s; steady window ${o.windowSeconds} s…`);
    await sleep(10_000);
    const steadyFrom = samplers.map((s) => s.now());
    const steadyMachineFrom = machineAt();
    await sleep(o.windowSeconds * 1000);
    const steadyTo = samplers.map((s) => s.now());
    const steadyMachine = machineWindow(steadyMachineFrom, machineAt());
    const monitorsBefore = await count(`WorkflowType = 'compositionMonitorWorkflow' AND ExecutionStatus = 'Running'`);

    // Which worker last ran each show: the identity on its last workflow task.
    const beforeKill = await tasksOf(client, showIds);
    const owner = new Map<string, string>();
    for (const [id, tasks] of beforeKill) owner.set(id, tasks[tasks.length - 1]?.identity ?? '?');
    const shares = workers.map((_, w) => [...owner.values()].filter((x) => x === identityOf(w)).length);
    const victim = shares.indexOf(Math.max(...shares));
    const victimShows = showIds.filter((id) => owner.get(id) === identityOf(victim));
    const startsBefore = calls.calls.filter((c) => c.operation === 'StartComposition').length;

    // Kill, then every composition changes at once.
    progress(`fleet: kill -9 worker ${victim + 1} (${victimShows.length} shows last ran there), then a burst…`);
    const victimSample = samplers[victim]!.now();
    samplers[victim]!.stop();
    const killedAt = Date.now();
    const burstMachineFrom = machineAt();
    await workers[victim]!.kill9();
    const control = new EmulatorControlClient(emulator.endpoint);
    const compositions = (await control.inventory()).regions
      .flatMap((r) => r.compositions)
      .filter((c) => c.state === 'ACTIVE')
      .map((c) => c.arn);
    const setAll = (state: 'RECONNECTING' | 'ACTIVE') =>
      poolRun(compositions.length, 16, async (i) => {
        await control.setCompositionState({ compositionArn: compositions[i]!, state, destinationType: 'channel' });
      });
    await setAll('RECONNECTING');
    const recovering = await waitUntil(
      async () => ((await phase('RECOVERING')) >= liveAfterRamp ? Date.now() : undefined),
      {
        timeoutMs: recoveringWaitMs,
        intervalMs: 500,
        what: `${n} shows RECOVERING`,
      },
    ).catch(() => NaN);
    const recoveringSeen = await phase('RECOVERING');
    const activeAt = Date.now();
    await setAll('ACTIVE');
    const backLive = await waitUntil(async () => ((await phase('LIVE')) >= liveAfterRamp ? Date.now() : undefined), {
      timeoutMs: liveAgainWaitMs,
      intervalMs: 500,
      what: `${n} shows LIVE again`,
    }).catch(() => NaN);
    const burstMachine = machineWindow(burstMachineFrom, machineAt());
    serverSampler.stop();
    const liveSeen = await phase('LIVE');
    const burstTo = samplers.map((s, w) => (w === victim ? victimSample : s.now()));
    const inventoryLive = await control.inventory();
    const activeCompositions = inventoryLive.regions.flatMap((r) => r.compositions).filter((c) => c.state === 'ACTIVE');
    const compositionsPerStage = new Map<string, number>();
    for (const c of activeCompositions)
      compositionsPerStage.set(c.stageArn, (compositionsPerStage.get(c.stageArn) ?? 0) + 1);
    const duplicated = [...compositionsPerStage.values()].filter((k) => k > 1).length;
    const restarts = calls.calls.filter((c) => c.operation === 'StartComposition').length - startsBefore;
    const monitorsAfter = await count(`WorkflowType = 'compositionMonitorWorkflow' AND ExecutionStatus = 'Running'`);

    progress('fleet: reading the histories…');
    const afterKill = await tasksOf(client, showIds);
    const servedAgain = victimShows.map((id) => {
      const t = afterKill.get(id)?.find((x) => x.completed > killedAt);
      return { id, after: t ? t.completed - killedAt : NaN, by: t?.identity ?? '—' };
    });
    const served = percentiles(servedAgain.map((s) => s.after));
    const servedByOthers = servedAgain.filter((s) => s.by !== identityOf(victim) && s.by !== '—').length;
    const othersServed = percentiles(
      showIds
        .filter((id) => owner.get(id) !== identityOf(victim))
        .map((id) => (afterKill.get(id)?.find((x) => x.completed > killedAt)?.completed ?? NaN) - killedAt),
    );

    // End every show; nothing may be left in the emulator.
    progress(`fleet: ending ${n} shows…`);
    const endFrom = Date.now();
    // 48 at a time: each update waits for its show to stop the composition and tidy up (seconds), and the workers
    // pace their IVS calls themselves.
    await poolRun(showIds.length, 48, async (i) => {
      await client.workflow
        .getHandle(showIds[i]!)
        .executeUpdate(endUpdate, { args: [{ reason: 'fleet bench' }] })
        .catch(() => undefined);
    });
    const allEnded = await waitUntil(
      async () =>
        (await count(`WorkflowType = 'showWorkflow' AND ExecutionStatus = 'Running'`)) === 0 ? Date.now() : undefined,
      { timeoutMs: endWaitMs, intervalMs: 2_000, what: 'every show ended' },
    ).catch(() => NaN);
    const left = (await control.inventory()).live;
    const metrics = mergeMetrics(emulator.metrics.snapshot(), new Set(where.map(placementKey)));
    const overLimit = Object.entries(metrics)
      .filter(([op, m]) => m.peakPerSecond > limitOf(op))
      .map(([op, m]) => `${op} ${m.peakPerSecond}/s in ${m.busiest}`);
    const throttled = Object.values(metrics).reduce(
      (t, m) => t + (m.errors.ThrottlingException ?? 0) + (m.errors.TooManyRequestsException ?? 0),
      0,
    );
    const listPeak = metrics.ListCompositions?.peakPerSecond ?? 0;

    const perWorker = workers.map((_, w) => {
      const s = samplers[w]!;
      const ramp = s.window(rampFrom[w]!, rampTo[w]!);
      const steady = s.window(steadyFrom[w]!, steadyTo[w]!);
      const burst = s.window(steadyTo[w]!, burstTo[w]!);
      return { w, ramp, steady, burst, peak: Math.max(...s.samples.map((x) => x.rss)), shows: shares[w]! };
    });
    const leaked = left.stages + left.ingestConfigurations + left.compositions;
    const rows: SummaryRow[] = [
      {
        figure: `Fleet: ${o.workers} workers, ${int(n)} shows over ${where.length} accounts × regions: RSS peak / steady CPU per worker`,
        value:
          perWorker.map((x) => `${mb(x.peak)} MB / ${x.steady.cpuPercent.toFixed(1)} %`).join('; ') +
          ` (malloc: ${o.allocator})`,
        target: `${int(TARGET_SHOWS)} shows`,
        verdict: n >= TARGET_SHOWS ? 'met' : 'missed',
        note:
          n >= TARGET_SHOWS
            ? undefined
            : `run with ${int(n)}; while they started, the machine was ${cpuLine(rampMachine)}`,
      },
      {
        figure: `Fleet: worker killed -9 → each of its shows served again by another worker (first workflow task completed after the kill), p50 / max`,
        value:
          `${seconds(served.p50)} / ${seconds(served.max)} s (${servedByOthers} of ${victimShows.length} shows, ` +
          `by the other workers; the others' shows ${seconds(othersServed.p50)} / ${seconds(othersServed.max)} s)`,
      },
      {
        figure: 'Fleet: nothing leaked or duplicated',
        value:
          `${activeCompositions.length} ACTIVE compositions for ${int(n)} shows, ${duplicated} stages with two, ` +
          `${restarts} StartComposition after the kill; after every show ended: ${left.stages} stages, ` +
          `${left.ingestConfigurations} ingest configurations, ${left.compositions} compositions left`,
        target: 'one composition per show, nothing left',
        verdict:
          duplicated === 0 && restarts === 0 && leaked === 0 && activeCompositions.length === n ? 'met' : 'missed',
      },
      {
        figure: 'Fleet: one composition monitor per account and region',
        value: `${monitorsBefore} running before the kill, ${monitorsAfter} after, for ${where.length} accounts × regions`,
        target: `${where.length}`,
        verdict: monitorsBefore === where.length && monitorsAfter === where.length ? 'met' : 'missed',
      },
      {
        figure: 'Fleet: busiest second of any IVS operation in any one account and region (whole run, kill included)',
        value: `ListCompositions ${listPeak}/s; ${Object.entries(metrics)
          .map(([op, m]) => `${op} ${m.peakPerSecond}`)
          .join(', ')}; throttled ${throttled}`,
        target: 'never above the IVS rate (5/s; tokens 50/s, tags 10/s)',
        verdict: overLimit.length === 0 ? 'met' : 'missed',
        note: overLimit.length ? `over the limit: ${overLimit.join(', ')}` : undefined,
      },
    ];
    const details = [
      `${o.workers} worker processes (\`worker/main.ts\` in production mode, the same prebuilt bundle, task queues ` +
        `and environment; monitor budget ${monitorBudget} activities/s shared by the fleet, enforced by the server) ` +
        `against one ${o.temporal === 'cluster' ? 'Temporal server on PostgreSQL (the production topology: dev/services/temporal-cluster.ts, deploy/ configuration)' : 'headless Temporal dev server (SQLite)'} and the emulator hosted by the bench (IVS rates and quotas as ` +
        `documented). ${int(n)} shows (as in the scale scenario, with a reconnecting tolerance of ` +
        `${RECONNECTING_TOLERANCE} so that no show has reason to replace its composition during the bench, and the emulator failing a ` +
        `destination only after 10 minutes RECONNECTING) started at ` +
        `${o.perSecond}/s round-robin over ` +
        `${where.length} accounts × regions (${[...new Set(where.map((p) => p.account))].length} accounts, at most ` +
        `${Math.ceil(n / where.length)} shows each).` +
        (o.temporal === 'cluster'
          ? ' The server and its database share the two cores with the three workers and the emulator.'
          : ' The PostgreSQL cluster was not used (`--fleet-temporal dev`).'),
      '',
      `${liveAfterRamp >= n ? `All ${int(n)} shows LIVE` : `Only ${int(liveAfterRamp)} of ${int(n)} shows LIVE`} ` +
        `${seconds(allLive - rampStarted)} s after the first start. ` +
        `After that and a ${o.windowSeconds} s steady window, the worker that had run the most shows ` +
        `last (worker ${victim + 1}: ${victimShows.length} shows, by the identity on each show's last workflow task) was ` +
        'killed with SIGKILL, and at once every composition went RECONNECTING, then ACTIVE again, so every show had work. ' +
        `All RECOVERING ${Number.isFinite(recovering) ? `${seconds(recovering - killedAt)} s after the kill` : `NOT within ${seconds(recoveringWaitMs)} s (${recoveringSeen})`}; ` +
        `all LIVE again ${Number.isFinite(backLive) ? `${seconds(backLive - activeAt)} s after ACTIVE was set` : `NOT within ${seconds(liveAgainWaitMs)} s (${liveSeen})`}. ` +
        `Ending every show took ${Number.isFinite(allEnded) ? `${seconds(allEnded - endFrom)} s` : `more than ${seconds(endWaitMs)} s`}.`,
      '',
      `The machine (${os.cpus().length * 100} % is all its cores) while the shows started: ${cpuLine(rampMachine)}; ` +
        `steady: ${cpuLine(steadyMachine)}; from the kill until all LIVE again: ${cpuLine(burstMachine)}. ` +
        'The workers are in the table below; the rest is PostgreSQL, the emulator and the bench.',
      '',
      markdownTable(
        [
          'worker',
          'shows last run there',
          'ramp-up CPU % / peak RSS MB',
          'steady CPU % / mean RSS MB',
          'kill + burst CPU % / peak RSS MB',
          'peak RSS MB',
        ],
        perWorker.map((x) => [
          `${x.w + 1}${x.w === victim ? ' (killed)' : ''}`,
          int(x.shows),
          `${x.ramp.cpuPercent.toFixed(1)} / ${mb(x.ramp.peakRss)}`,
          `${x.steady.cpuPercent.toFixed(1)} / ${mb(x.steady.meanRss)}`,
          x.w === victim ? '—' : `${x.burst.cpuPercent.toFixed(1)} / ${mb(x.burst.peakRss)}`,
          mb(x.peak),
        ]),
      ),
      '',
      "Emulator `/metrics` over the bench's accounts and regions, whole run:",
      '',
      markdownTable(
        ['operation', 'calls', 'peak per second (where)', 'errors'],
        Object.entries(metrics)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([op, m]) => [
            op,
            int(m.calls),
            `${m.peakPerSecond} (${m.busiest ?? '—'})`,
            Object.entries(m.errors)
              .map(([e, c]) => `${e} ${c}`)
              .join(', ') || '—',
          ]),
      ),
    ];
    return run.report({
      id: 'fleet',
      title: `Fleet: ${o.workers} workers, ${int(n)} shows, one killed`,
      command,
      rows,
      details,
    });
  } finally {
    for (const s of samplers) s.stop();
    for (const w of workers) await w.stop();
    fs.rmSync(bundleDir, { recursive: true, force: true });
    await connection?.close();
    await emulator?.stop();
    await temporal?.stop();
  }
}
