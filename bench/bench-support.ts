/**
 * Pieces every scenario of `npm run bench` shares: timing helpers, the machine description, the record of IVS
 * calls as the emulator saw them, and the shape of a scenario's report.
 */
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../dev/aws/local-aws';
import type { EmulatorControlClient, RunningEmulator } from '../emulator/src';
import { parseShowSpec } from '../show-spec/parse-show-spec';
import type { ShowSpec } from '../show-spec/show-spec';
import type { showWorkflow } from '../workflows';
import { participantTokensQuery, statusQuery } from '../contracts/show-messages';
import type { ShowStatus } from '../contracts/show-status';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
/** The local stack's region and the credentials its worker signs with (the emulator maps them to one account). */
export { LOCAL_REGION as REGION, LOCAL_CREDENTIALS as CREDENTIALS } from '../dev/aws/local-aws';

export type ScenarioId = 'overhead' | 'history' | 'reaction' | 'index' | 'scale' | 'tokens' | 'fleet';
export const SCENARIO_IDS: ScenarioId[] = ['overhead', 'history', 'reaction', 'index', 'scale', 'tokens', 'fleet'];
/** What `npm run bench` runs without --only: the fleet (three workers, a kill) only when asked. */
export const DEFAULT_SCENARIO_IDS: ScenarioId[] = SCENARIO_IDS.filter((id) => id !== 'fleet');

export type Verdict = 'met' | 'missed' | 'not run' | '';

export interface SummaryRow {
  figure: string;
  value: string;
  target?: string;
  verdict?: Verdict;
  /** Why a target was missed or a figure not run; one sentence. */
  note?: string;
}

export interface MachineSnapshot {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGb: number;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: number[];
}

export interface ScenarioReport {
  id: ScenarioId;
  /** Scale runs only: the number of concurrent shows. */
  scaleShows?: number;
  title: string;
  /** The command that reproduces this scenario alone. */
  command: string;
  startedAt: string;
  durationSeconds: number;
  machineBefore: MachineSnapshot;
  machineAfter: MachineSnapshot;
  rows: SummaryRow[];
  /** Markdown: method and the detailed tables. */
  details: string[];
}

export type Progress = (line: string) => void;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function machineSnapshot(): MachineSnapshot {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown CPU',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** What a scenario reports besides when it ran and on what machine. */
export type ScenarioFigures = Omit<ScenarioReport, 'startedAt' | 'durationSeconds' | 'machineBefore' | 'machineAfter'>;

/**
 * A scenario's run, started now: the machine as it was before (its load average belongs next to every figure), and
 * the report that adds the start, the duration and the machine after to the figures.
 */
export function startScenarioRun(): {
  machineBefore: MachineSnapshot;
  report(figures: ScenarioFigures): ScenarioReport;
} {
  const startedAt = new Date();
  const machineBefore = machineSnapshot();
  return {
    machineBefore,
    report: (figures) => ({
      ...figures,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      machineBefore,
      machineAfter: machineSnapshot(),
    }),
  };
}

/** Calls `probe` every `intervalMs` until it returns something other than undefined or false. */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs: number; intervalMs: number; what: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    await sleep(options.intervalMs);
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Seconds with two decimals, from milliseconds. */
export const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—');
export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

export function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}

export interface IvsCall {
  at: number;
  operation: string;
  accountId: string;
  region: string;
  errorType?: string;
}

export interface IvsCallLog {
  readonly calls: IvsCall[];
  /** The first call of `operation` answered at or after `from`. */
  first(operation: string, from: number): IvsCall | undefined;
  between(from: number, to: number): IvsCall[];
}

/**
 * Every API call the in-process emulator answers, with the time it answered: the emulator's point of view,
 * on the same clock as the bench. ApiMetrics.record runs once per request after the response is written, so
 * wrapping it sees every call without touching the emulator's code.
 */
export function recordIvsCalls(emulator: RunningEmulator): IvsCallLog {
  const calls: IvsCall[] = [];
  const metrics = emulator.metrics;
  const record = metrics.record.bind(metrics);
  metrics.record = (accountId, region, operation, errorType, now = Date.now()) => {
    calls.push({ at: now, operation, accountId, region, errorType });
    record(accountId, region, operation, errorType, now);
  };
  return {
    calls,
    first: (operation, from) => calls.find((c) => c.operation === operation && c.at >= from),
    between: (from, to) => calls.filter((c) => c.at >= from && c.at <= to),
  };
}

export interface IvsEventSeen {
  at: number;
  detailType: string;
  eventName: string;
  resources: string[];
}

/**
 * Every event the in-process emulator publishes (its EventBridge), with the real time it was published: when a
 * composition really became ACTIVE or STOPPED, as opposed to when someone noticed.
 */
export function recordIvsEvents(emulator: RunningEmulator): {
  events: IvsEventSeen[];
  first(eventName: string, resource: string): IvsEventSeen | undefined;
} {
  const events: IvsEventSeen[] = [];
  const bus = emulator.events;
  const publish = bus.publish.bind(bus);
  bus.publish = (event) => {
    const eventName = typeof event.detail.event_name === 'string' ? event.detail.event_name : '';
    events.push({ at: Date.now(), detailType: event['detail-type'], eventName, resources: event.resources });
    publish(event);
  };
  return {
    events,
    first: (eventName, resource) => events.find((e) => e.eventName === eventName && e.resources.includes(resource)),
  };
}

/** Distinct per show, because the emulator refuses two live compositions on one channel. */
export const channelArnFor = (n: number | string) =>
  `arn:aws:ivs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:channel/bench${String(n).replace(/[^a-zA-Z0-9]/g, '')}`;

export function benchShowSpec(input: {
  id: string;
  name: string;
  channel: string;
  account?: string;
  region?: string;
  ingest?: boolean;
  recordingBucket?: string;
  policies?: Record<string, unknown>;
  participants?: boolean;
}): ShowSpec {
  return parseShowSpec({
    id: input.id,
    name: input.name,
    ...(input.account ? { account: input.account } : {}),
    ...(input.region ? { region: input.region } : {}),
    // Long enough never to end on its own during a scenario: every show here is ended by the bench.
    schedule: { duration: '2h', leadTime: 0 },
    participants: input.participants === false ? [] : [{ userId: 'host', role: 'host' }],
    ...(input.ingest ? { ingest: {} } : {}),
    composition: {
      channelArn: input.channel,
      ...(input.recordingBucket ? { recording: { bucket: input.recordingBucket } } : {}),
    },
    policies: input.policies ?? {},
  });
}

export type ShowHandle = WorkflowHandle<typeof showWorkflow>;

/** Polls the status query until `done` says so; `at` is when the answer that satisfied it arrived. */
export async function pollStatus(
  handle: ShowHandle,
  done: (status: ShowStatus) => boolean | Promise<boolean>,
  options: { intervalMs: number; timeoutMs: number; what: string },
): Promise<{ at: number; status: ShowStatus }> {
  return waitUntil(
    async () => {
      const status = await handle.query(statusQuery);
      const at = Date.now();
      return (await done(status)) ? { at, status } : undefined;
    },
    { ...options, what: `${handle.workflowId}: ${options.what}` },
  );
}

/**
 * Acts as the host: joins with the token the show issued and publishes, which is what a show under the default
 * policy (start the composition on the first publisher) waits for.
 */
export async function publishAsHost(handle: ShowHandle, control: EmulatorControlClient): Promise<string> {
  const [token] = await handle.query(participantTokensQuery);
  if (!token) throw new Error(`${handle.workflowId} issued no participant token`);
  await control.join(token.token, { publish: true });
  return token.token;
}

/** A short random suffix, so reruns against a long-lived server never collide on workflow IDs. */
export const runSuffix = () => Date.now().toString(36).slice(-5) + Math.random().toString(36).slice(2, 5);
