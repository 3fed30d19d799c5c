/**
 * What the scale and fleet benches share: a worker process set up as production runs it against the bench's
 * emulator (prebuilt bundle, the benches' accounts through their roles, the monitor budget), and a paced start of
 * monitored shows spread over accounts and regions.
 */
import type { Client } from '@temporalio/client';
import { startShow } from '../client/start-show';
import { WorkerProcess, workerProcessEnv } from '../dev/process/worker-process';
import { workerAllocatorEnv, type WorkerAllocator } from '../dev/process/worker-allocator';
import { benchShowSpec, sleep, type Progress } from './bench-support';

/** Where a show runs: an account and a region. */
export interface Placement {
  account: string;
  region: string;
}

/** Each account of the placements as SHOWRUNNER_AWS_ACCOUNTS names it: through a role of its own. */
export function accountRoles(where: readonly Placement[]): Record<string, string> {
  return Object.fromEntries(
    [...new Set(where.map((p) => p.account))].map((a) => [a, `arn:aws:iam::${a}:role/showrunner-bench`]),
  );
}

/**
 * A worker process of a bench, not yet started: the bench's own environment inherited (NODE_OPTIONS, PATH), as a
 * container's would be, then production's settings pointed at the bench's Temporal and emulator, then `env`.
 */
export function benchWorker(o: {
  temporal: { address: string; namespace: string };
  keys: string;
  emulatorEndpoint: string;
  taskQueue: string;
  monitorTaskQueue: string;
  bundlePath: string;
  accounts: Record<string, string>;
  monitorActivitiesPerSecond: number;
  node: { path: string; version: string };
  /** The malloc it runs on: production's unless a bench compares (dev/process/worker-allocator.ts). */
  allocator: WorkerAllocator;
  env: NodeJS.ProcessEnv;
}): WorkerProcess {
  return new WorkerProcess(
    {
      ...process.env,
      ...workerProcessEnv({
        temporal: o.temporal,
        keyRingEnv: { SHOWRUNNER_ENCRYPTION_KEYS: o.keys },
        ivsEndpoint: o.emulatorEndpoint,
        taskQueue: o.taskQueue,
        workflowBundle: o.bundlePath,
      }),
      SHOWRUNNER_MONITOR_TASK_QUEUE: o.monitorTaskQueue,
      SHOWRUNNER_AWS_ACCOUNTS: JSON.stringify(o.accounts),
      SHOWRUNNER_STS_ENDPOINT: o.emulatorEndpoint,
      SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND: String(o.monitorActivitiesPerSecond),
      SHOWRUNNER_LOG_LEVEL: 'WARN',
      ...workerAllocatorEnv(o.allocator),
      ...o.env,
    },
    { node: o.node },
  );
}

/**
 * Starts `count` shows at `perSecond`, round-robin over the placements: each with one participant token and a
 * channel destination of its own, its composition started at once. Resolves with their workflow IDs.
 */
export async function startMonitoredShows(
  client: Client,
  o: {
    prefix: string;
    name: string;
    suffix: string;
    count: number;
    perSecond: number;
    where: readonly Placement[];
    taskQueue: string;
    monitorTaskQueue: string;
    progressEvery: number;
    progress: Progress;
    /** Policies beside `startComposition: immediately`, as a show spec gives them. */
    policies?: Record<string, unknown>;
  },
): Promise<string[]> {
  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const due = started + (i * 1000) / o.perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const { account, region } = o.where[i % o.where.length]!;
    const handle = await startShow(
      client,
      benchShowSpec({
        id: `${o.prefix}-${i}-${o.suffix}`,
        name: o.name,
        account,
        region,
        channel: `arn:aws:ivs:${region}:${account}:channel/${o.prefix}${i}${o.suffix}`,
        policies: { ...o.policies, startComposition: 'immediately' },
      }),
      { taskQueue: o.taskQueue, monitorTaskQueue: o.monitorTaskQueue },
    );
    ids.push(handle.workflowId);
    if ((i + 1) % o.progressEvery === 0) o.progress(`${o.prefix}: ${i + 1}/${o.count} started`);
  }
  return ids;
}
