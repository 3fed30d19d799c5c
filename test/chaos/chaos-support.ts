import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { startShow } from '../../client/start-show';
import {
  startEmulator,
  EmulatorControlClient,
  type EmulatorConfigInput,
  type FaultRuleInput,
  type Inventory,
  type RunningEmulator,
} from '../../emulator/src';
import type { FaultRule } from '../../emulator/src/simulation/fault-injector';
import { TAG_SHOW_ID } from '../../contracts/tags';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import type { showWorkflow } from '../../workflows';
import { SHOW_PHASE } from '../../contracts/search-attributes';
import { endUpdate, participantTokensQuery } from '../../contracts/show-messages';
import type { ShowPhase, ShowResult } from '../../contracts/show-status';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import { sleep, waitFor } from '../support/wait-for';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../../dev/services/search-attributes';
import { startTemporalDevServer } from '../../dev/services/temporal-dev-server';
import { startTemporalCluster } from '../../dev/services/temporal-cluster';
import { freshChannelArn, s3ClientConfig, type S3Coordinates } from '../../dev/aws/local-aws';
import { createFreshBucket } from '../../dev/aws/s3-buckets';
import { WorkerProcess, workerProcessEnv } from '../../dev/process/worker-process';
import { terminateRunningOn } from '../support/terminate-running';
import { TEST_ENV_VARS, testTemporalEnv } from '../support/test-env';

/** `SHOWRUNNER_CHAOS=long` runs more shows and kills; the default short mode is sized for CI. */
export const CHAOS_LONG = process.env.SHOWRUNNER_CHAOS === 'long';

const ACCOUNT = '123456789012';
/**
 * Phases change only while a worker runs, and each kill -9 stalls every show for a sticky-queue or activity timeout
 * (10-60 s); long mode's many kills stall them more often.
 */
const PHASE_TIMEOUT_MS = CHAOS_LONG ? 600_000 : 240_000;

export interface TemporalCoordinates {
  address: string;
  namespace: string;
}

export const channelArn = (region?: string) => freshChannelArn({ region, account: ACCOUNT });

/**
 * A show for chaos runs: long enough never to end on its own, polled every second, quick composition restarts and a
 * bounded wait for recordings; `overrides` replace top-level fields, `policies` are merged.
 */
export function chaosSpec(id: string, overrides: Partial<ShowSpecInput> = {}): ShowSpecInput {
  return {
    id,
    name: id,
    schedule: { duration: '30m', leadTime: 0 },
    participants: [{ userId: 'host', role: 'host' }],
    composition: { channelArn: channelArn(overrides.region) },
    ...overrides,
    policies: {
      pollInterval: '1s',
      restartBackoff: { initial: '2s' },
      recordingsSettleTimeout: '30s',
      ...overrides.policies,
    },
  };
}

/**
 * Totals over every scenario, for the one summary line: shows and kills as they happen, the rest from audits.
 * `kills` counts every kill -9, `inStepKills` those that landed at a random moment inside a step (a create in
 * flight, an activity under way) rather than at a step's boundary; `windows` the retry-safety windows opened on
 * purpose (README, "Retry safety").
 */
export const tally = {
  shows: 0,
  kills: 0,
  inStepKills: 0,
  temporalRestarts: 0,
  faults: 0,
  windows: 0,
  leaked: 0,
  duplicates: 0,
};

export const summaryLine = () =>
  `chaos: shows=${tally.shows} kills=${tally.kills} inStepKills=${tally.inStepKills} temporalRestarts=${tally.temporalRestarts} faults=${tally.faults} windows=${tally.windows} leaked=${tally.leaked} duplicates=${tally.duplicates}`;

/** A uniformly random whole number of milliseconds in [min, max]. */
export const randomMs = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export interface KillRecord {
  label: string;
  /** Whether the kill point still held when the kill landed (kills queue behind each other's restarts). */
  held: boolean;
}

/**
 * Kills a worker process (one of the rig's, at random) when a condition holds and starts it again. Kills are
 * serialized: a kill point reached while another kill's replacement worker is starting waits its turn, then checks
 * again whether it still holds.
 */
export class KillSwitch {
  private queue: Promise<unknown> = Promise.resolve();
  readonly kills: KillRecord[] = [];

  constructor(
    private readonly rig: ChaosRig,
    private readonly timeoutMs = PHASE_TIMEOUT_MS,
  ) {}

  /** At a step's boundary: as soon as `when` holds (a resource exists, a phase is reached). */
  async killWhen(
    label: string,
    when: () => Promise<boolean>,
    options: {
      inStep?: boolean;
      /**
       * The point is behind the show already (a loaded machine, a queued kill's restart): kill anyway, recorded as
       * not held, rather than wait for a point that will not come again.
       */
      passed?: () => Promise<boolean>;
    } = {},
  ): Promise<void> {
    const safely = () => when().catch(() => false);
    const passed = options.passed;
    const reached = passed ? async () => (await safely()) || (await passed().catch(() => false)) : safely;
    await waitFor(reached, this.timeoutMs, { intervalMs: 100, description: `kill point ${label}` });
    await this.killNow(label, safely, options.inStep);
  }

  /**
   * Inside a step: once `begun` holds (a create is in flight, a phase has started), after a random delay of up to
   * `withinMs`, so the kill lands at an arbitrary moment of the step, not where polling happens to see it. Whether
   * the step was still under way is not checked: a kill that lands just after it is a kill at a random moment too.
   */
  async killInStep(label: string, begun: () => Promise<boolean>, withinMs: number): Promise<void> {
    await waitFor(() => begun().catch(() => false), this.timeoutMs, {
      intervalMs: 50,
      description: `step ${label} begun`,
    });
    const delay = randomMs(0, withinMs);
    await sleep(delay);
    await this.killNow(label, async () => true, true, ` (${(delay / 1000).toFixed(1)} s in)`);
  }

  /**
   * Kills at random moments until `stop()` is called: every `minMs`..`maxMs`, whatever the shows are doing, so kills
   * land inside steps (a create in flight, an activity's retries, a workflow task) as much as between them.
   */
  randomly(minMs: number, maxMs: number): { stop(): Promise<void> } {
    let running = true;
    let wake: () => void = () => {};
    const loop = (async () => {
      while (running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, randomMs(minMs, maxMs));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (running) await this.killNow('at random', async () => true, true);
      }
    })();
    return {
      async stop() {
        running = false;
        wake();
        await loop;
      },
    };
  }

  private async killNow(label: string, holds: () => Promise<boolean>, inStep = false, detail = ''): Promise<void> {
    const turn = this.queue.then(async () => {
      const held = await holds();
      const workers = this.rig.workers;
      const index = Math.floor(Math.random() * workers.length);
      const worker = workers[index]!;
      await worker.kill9();
      this.kills.push({ label, held });
      tally.kills++;
      if (inStep) tally.inStepKills++;
      const which = workers.length > 1 ? ` (worker ${index + 1} of ${workers.length})` : '';
      this.rig.note(`kill -9${which} at ${label}${detail}${held ? '' : ' (point passed while queued)'}`);
      await worker.start();
    });
    this.queue = turn.catch(() => undefined);
    await turn;
  }

  distinctPoints(): string[] {
    return [...new Set(this.kills.filter((k) => k.held).map((k) => k.label))];
  }
}

export interface ChaosShow {
  id: string;
  handle: WorkflowHandle<typeof showWorkflow>;
  ingest: boolean;
  token?: string;
  result?: ShowResult;
}

export interface Audit {
  shows: number;
  leaked: number;
  duplicates: number;
  faults: number;
  details: string[];
}

export interface AuditOptions {
  /**
   * Resources that landed after their show had closed (a create applied beyond every horizon): the show never held
   * them, so they are not its duplicates; the janitor's, and leaked unless it removed them.
   */
  landedAfterClose?: string[];
}

/** Resources of an inventory tagged as made for `showId` (any state). */
function taggedIn(inventory: Inventory, showId: string) {
  const mine = <T extends { tags: Record<string, string> }>(items: T[]) =>
    items.filter((i) => i.tags[TAG_SHOW_ID] === showId);
  return {
    stages: mine(inventory.regions.flatMap((r) => r.stages)),
    ingestConfigurations: mine(inventory.regions.flatMap((r) => r.ingestConfigurations)),
    compositions: mine(inventory.regions.flatMap((r) => r.compositions)),
  };
}

type Tagged = ReturnType<typeof taggedIn>;

/**
 * One chaos scenario's world: an in-process emulator writing recordings to `s3`, a worker process on a task queue
 * of its own against `temporal`, and a client with the test encryption key. It samples the emulator's inventory
 * while shows run, so a duplicate stage that lived only briefly is still seen.
 */
export class ChaosRig {
  readonly shows: ChaosShow[] = [];
  readonly trail: string[] = [];
  /** Failures forced through the control API, S3 outages and server restarts; API faults are the emulator's count. */
  injected = 0;
  private readonly stagesSeen = new Map<string, Set<string>>();
  private readonly ingestSeen = new Map<string, Set<string>>();
  private sampler: NodeJS.Timeout | undefined;
  private sampling = false;
  private readonly started = Date.now();

  private constructor(
    readonly name: string,
    readonly emulator: RunningEmulator,
    readonly control: EmulatorControlClient,
    readonly connection: Connection,
    readonly client: Client,
    readonly s3: S3Client,
    /** The worker processes polling the rig's task queues (one unless asked for more). */
    readonly workers: WorkerProcess[],
    readonly taskQueue: string,
    private readonly emulatorLog: string[],
  ) {}

  static async start(options: {
    name: string;
    temporal: TemporalCoordinates;
    s3: S3Coordinates;
    timings?: NonNullable<EmulatorConfigInput['timings']>;
    /** A compiled worker and its prebuilt workflow bundle instead of the sources (test/deploy/built-worker). */
    built?: { main: string; workflowBundle: string };
    /** How often every show's tagged resources are sampled (duplicates that live only a moment count too). */
    sampleEveryMs?: number;
    /** Worker processes on the same task queues (default 1): kills then hit one of them while the other carries on. */
    workers?: number;
  }): Promise<ChaosRig> {
    const { s3, temporal } = options;
    const emulatorLog: string[] = [];
    // The worker signs IVS and S3 requests with the same default-chain credentials, so the emulator accepts the S3 keys.
    const emulator = await startEmulator(
      {
        rateLimits: false,
        clockScale: 1,
        credentials: [{ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, accountId: ACCOUNT }],
        s3: {
          endpoint: s3.endpoint,
          region: s3.region,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
        // Stopped compositions stay listed for the whole run, so the audit can count every one a show started.
        timings: { compositionPurgeMs: 3 * 60 * 60_000, ...options.timings },
      },
      (line) => {
        emulatorLog.push(line);
        if (emulatorLog.length > 50) emulatorLog.shift();
      },
    );
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({
      connection,
      namespace: temporal.namespace,
      dataConverter: createDataConverter(loadKeyRing(TEST_KEY_RING_ENV)),
    });
    const taskQueue = `chaos-${options.name}-${randomBytes(3).toString('hex')}`;
    const workflowBundle = options.built?.workflowBundle ?? (await cachedWorkflowBundle()).codePath;
    const newWorker = () =>
      new WorkerProcess(
        {
          ...workerProcessEnv({
            temporal,
            keyRingEnv: TEST_KEY_RING_ENV,
            ivsEndpoint: emulator.endpoint,
            s3Endpoint: s3.endpoint,
            // The worker signs IVS and S3 requests with one default chain, as on AWS.
            credentials: s3,
            region: s3.region,
            taskQueue,
            workflowBundle,
          }),
          // Every show polls each second; the default fleet budget (4/s) would make polls queue behind each other.
          SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND: '20',
          SHOWRUNNER_LOG_LEVEL: 'WARN',
        },
        { main: options.built?.main },
      );
    const workers = Array.from({ length: options.workers ?? 1 }, newWorker);
    const rig = new ChaosRig(
      options.name,
      emulator,
      new EmulatorControlClient(emulator.endpoint),
      connection,
      client,
      new S3Client(s3ClientConfig(s3)),
      workers,
      taskQueue,
      emulatorLog,
    );
    try {
      for (const worker of workers) await worker.start();
    } catch (e) {
      await rig.stop();
      throw e;
    }
    rig.sampler = setInterval(() => void rig.sample().catch(() => undefined), options.sampleEveryMs ?? 500);
    return rig;
  }

  /** The first worker process (the only one unless the rig was started with more). */
  get worker(): WorkerProcess {
    return this.workers[0]!;
  }

  note(message: string): void {
    this.trail.push(`${((Date.now() - this.started) / 1000).toFixed(1)}s ${message}`);
  }

  /** What went on, for a failure message: the trail, the worker's last output, the emulator's last log lines. */
  diagnostics(): string {
    return [
      `--- ${this.name}: trail`,
      ...this.trail.slice(-40),
      ...this.workers.flatMap((w, i) => [`--- worker ${i + 1} output (tail)`, w.output()]),
      `--- emulator log (tail)`,
      ...this.emulatorLog.slice(-10),
    ].join('\n');
  }

  showId(prefix: string): string {
    return `${prefix}-${randomBytes(3).toString('hex')}`;
  }

  async createBucket(prefix = 'chaos'): Promise<string> {
    return createFreshBucket(this.s3, prefix);
  }

  /**
   * Adds a fault rule. On a loaded machine a control call can meet a keep-alive socket the emulator is closing
   * (ECONNRESET, "fetch failed"); the rule may or may not have been added then, so look before adding it again.
   */
  async addFault(rule: FaultRuleInput): Promise<FaultRule> {
    const before = new Set((await this.control.listFaults()).map((f) => f.id));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.control.addFault(rule);
      } catch (e) {
        if (!(e instanceof TypeError) || attempt >= 3) throw e;
        const same = (f: FaultRule) =>
          !before.has(f.id) && (Object.keys(rule) as (keyof FaultRuleInput)[]).every((k) => f[k] === rule[k]);
        const added = (await this.control.listFaults()).find(same);
        if (added) return added;
        this.note(`adding a fault rule failed (${causeChain(e)}): again`);
      }
    }
  }

  /** A rule with a count has fired that many times (the emulator drops it then): its call is under way. */
  async fired(rule: FaultRule): Promise<boolean> {
    return !(await this.control.listFaults()).some((f) => f.id === rule.id);
  }

  /**
   * After a Temporal restart: workers ride out an outage by themselves; one that gave up and exited is started again,
   * as a supervisor would.
   */
  async ensureWorkersRunning(): Promise<void> {
    for (const [i, worker] of this.workers.entries())
      if (!worker.running) {
        this.note(`worker ${i + 1} exited while the server was down: starting it again`);
        await worker.start();
      }
  }

  async startShow(input: ShowSpecInput): Promise<ChaosShow> {
    const spec = parseShowSpec(input);
    const handle = await startShow(this.client, spec, {
      taskQueue: this.taskQueue,
      monitorTaskQueue: `${this.taskQueue}-monitor`,
    });
    const show: ChaosShow = { id: spec.id, handle, ingest: !!spec.ingest?.enabled };
    this.shows.push(show);
    tally.shows++;
    this.note(`started ${spec.id}`);
    return show;
  }

  /** The ShowPhase search attribute: read from the server, so it answers while no worker runs. */
  async phase(show: ChaosShow): Promise<{ phase?: ShowPhase; historyLength: number }> {
    const description = await show.handle.describe();
    return {
      phase: description.typedSearchAttributes.get(SHOW_PHASE) as ShowPhase | undefined,
      historyLength: description.historyLength,
    };
  }

  async inPhase(show: ChaosShow, phase: ShowPhase): Promise<boolean> {
    return (await this.phase(show)).phase === phase;
  }

  async waitPhase(show: ChaosShow, phase: ShowPhase, timeoutMs = PHASE_TIMEOUT_MS): Promise<void> {
    await waitFor(() => this.inPhase(show, phase), timeoutMs, {
      intervalMs: 200,
      description: `${show.id} in phase ${phase}`,
    });
    this.note(`${show.id} ${phase}`);
  }

  /** The emulator's resources tagged as made for `showId` (any state). */
  async tagged(showId: string) {
    return taggedIn(await this.control.inventory(), showId);
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const inventory = await this.control.inventory();
      for (const show of this.shows) this.remember(show.id, taggedIn(inventory, show.id));
      this.samples++;
    } finally {
      this.sampling = false;
    }
  }

  private remember(showId: string, tagged: Tagged): void {
    const add = (map: Map<string, Set<string>>, arns: string[]) => {
      const set = map.get(showId) ?? new Set<string>();
      for (const arn of arns) set.add(arn);
      map.set(showId, set);
    };
    const arns = (items: { arn: string }[]) => items.map((i) => i.arn);
    add(this.stagesSeen, arns(tagged.stages));
    add(this.ingestSeen, arns(tagged.ingestConfigurations));
  }

  /**
   * How many distinct stages and ingest configurations were ever sampled under the show's tag: 1 each for a show
   * that never held two of a kind, however briefly (the sampler polls the emulator's inventory while shows run).
   */
  seen(showId: string): { stages: number; ingestConfigurations: number } {
    return {
      stages: this.stagesSeen.get(showId)?.size ?? 0,
      ingestConfigurations: this.ingestSeen.get(showId)?.size ?? 0,
    };
  }

  /** How many inventory samples were taken: the proof that IVS was polled throughout, not only at the end. */
  samples = 0;

  /**
   * What IVS calls the rig's shows cost, per show: every call the emulator answered or failed (its /metrics api
   * counters, all operations, retries and the composition monitor's polls included) and, of them, the sweeps' (the
   * shows' own `sweepCalls`). Call once every show has its result.
   */
  async ivsCallsPerShow(): Promise<{ all: number; sweeps: number }> {
    const metrics = await this.control.metrics();
    let all = 0;
    for (const operations of Object.values(metrics.api)) for (const m of Object.values(operations)) all += m.calls;
    let sweeps = 0;
    for (const show of this.shows) for (const n of Object.values(show.result?.sweepCalls ?? {})) sweeps += n;
    const n = Math.max(1, this.shows.length);
    return { all: all / n, sweeps: sweeps / n };
  }

  /** Waits until the show is LIVE with an ACTIVE composition (other than `previousArn`) whose destinations are all ACTIVE. */
  async waitOnAir(show: ChaosShow, previousArn?: string): Promise<string> {
    const arn = await waitFor(
      async () => {
        if (!(await this.inPhase(show, 'LIVE'))) return undefined;
        const { compositions } = await this.tagged(show.id);
        return compositions.find(
          (c) => c.arn !== previousArn && c.state === 'ACTIVE' && c.destinations.every((d) => d.state === 'ACTIVE'),
        )?.arn;
      },
      PHASE_TIMEOUT_MS,
      { intervalMs: 250, description: `${show.id} on air${previousArn ? ' with a new composition' : ''}` },
    );
    this.note(`${show.id} on air (${arn.slice(arn.lastIndexOf('/') + 1)})`);
    return arn;
  }

  /** Joins the stage with the show's first token, publishing. Queries need a worker, so they are retried. */
  async publish(show: ChaosShow): Promise<void> {
    const tokens = await waitFor(
      () => this.connection.withDeadline(Date.now() + 10_000, () => show.handle.query(participantTokensQuery)),
      PHASE_TIMEOUT_MS,
      { intervalMs: 500, description: `${show.id} participant tokens` },
    );
    show.token = tokens[0]!.token;
    await this.control.join(show.token, { publish: true });
    this.note(`${show.id} publisher joined`);
  }

  async leave(show: ChaosShow): Promise<void> {
    if (show.token) await this.control.leave({ token: show.token }).catch(() => undefined);
  }

  /**
   * Ends the show early. The update waits for a worker, and one may be killed under it: retry until accepted, and
   * count a rejection because the show is already ending as success.
   */
  async end(show: ChaosShow): Promise<void> {
    await waitFor(
      async () => {
        try {
          await this.connection.withDeadline(Date.now() + 20_000, () =>
            show.handle.executeUpdate(endUpdate, { args: [{ reason: 'chaos test over' }] }),
          );
          return true;
        } catch (e) {
          if (/already/.test(causeChain(e))) return true;
          throw e;
        }
      },
      PHASE_TIMEOUT_MS,
      { intervalMs: 1_000, description: `${show.id} end update` },
    );
    this.note(`${show.id} end requested`);
  }

  /** The show's result; it must have COMPLETED its whole life, tidy-up included. */
  async completed(show: ChaosShow, timeoutMs = 300_000): Promise<ShowResult> {
    const result = await waitFor(
      async () => {
        try {
          return await this.connection.withDeadline(Date.now() + 30_000, () => show.handle.result());
        } catch (e) {
          // A failed show is an answer; anything else (deadline, server restarting) means ask again.
          if (e instanceof WorkflowFailedError) return { failed: e } as const;
          throw e;
        }
      },
      timeoutMs,
      { intervalMs: 500, description: `${show.id} result` },
    );
    if ('failed' in result) assert.fail(`${show.id} failed: ${causeChain(result.failed)}`);
    show.result = result;
    this.note(`${show.id} ${result.outcome}`);
    assert.equal(result.outcome, 'COMPLETED', `${show.id} incidents: ${JSON.stringify(result.incidents)}`);
    const tidyFailures = result.incidents.filter((i) => i.kind === 'TIDY_UP_FAILED' || i.kind === 'INDEXING_FAILED');
    assert.deepEqual(tidyFailures, [], `${show.id}: tidy-up and indexing without failures`);
    return result;
  }

  /** The recordings index the show reports exists in S3. */
  async assertIndexWritten(show: ChaosShow): Promise<void> {
    const location = show.result?.recordingsIndex?.location;
    assert.ok(location, `${show.id} reports a recordings index`);
    const head = await this.s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    assert.ok((head.ContentLength ?? 0) > 0, `${location.uri} is written`);
  }

  /**
   * Leaks and duplicates after every show finished. Leaked: stages, ingest configurations and live compositions
   * still in the emulator. Duplicates: stages and ingest configurations created beyond one per show (the emulator's
   * successful Create* calls, a lost response counting as created, and every ARN sampled under a show's tag), and
   * compositions tagged with a show that the show itself never knew of.
   */
  async audit(options: AuditOptions = {}): Promise<Audit> {
    clearInterval(this.sampler);
    const late = new Set(options.landedAfterClose ?? []);
    const [inventory, metrics] = await Promise.all([this.control.inventory(), this.control.metrics()]);
    for (const show of this.shows) this.remember(show.id, taggedIn(inventory, show.id));
    const created = (operation: string) => {
      let n = 0;
      for (const operations of Object.values(metrics.api)) {
        const m = operations[operation];
        if (!m) continue;
        const failed = Object.entries(m.errors).reduce(
          (sum, [type, count]) => sum + (type === 'LostResponse' ? 0 : count),
          0,
        );
        n += m.calls - failed;
      }
      return n;
    };
    const details: string[] = [];
    const { live } = inventory;
    const leaked = live.stages + live.ingestConfigurations + live.compositions;
    if (leaked > 0) details.push(`leaked: ${JSON.stringify(live)}`);

    const heldByShow = (arns: Set<string>) => [...arns].filter((arn) => !late.has(arn)).length;
    const sampledExtra = (map: Map<string, Set<string>>) =>
      [...map.values()].reduce((sum, arns) => sum + Math.max(0, heldByShow(arns) - 1), 0);
    const lateOf = (map: Map<string, Set<string>>) =>
      [...map.values()].reduce((sum, arns) => sum + [...arns].filter((arn) => late.has(arn)).length, 0);
    const stageDuplicates = Math.max(
      created('CreateStage') - lateOf(this.stagesSeen) - this.shows.length,
      sampledExtra(this.stagesSeen),
      0,
    );
    const ingestShows = this.shows.filter((s) => s.ingest).length;
    const ingestDuplicates = Math.max(
      created('CreateIngestConfiguration') - lateOf(this.ingestSeen) - ingestShows,
      sampledExtra(this.ingestSeen),
      0,
    );
    let compositionDuplicates = 0;
    for (const show of this.shows) {
      const known = new Set((show.result?.made ?? []).filter((r) => r.kind === 'composition').map((r) => r.arn));
      const unknown = inventory.regions
        .flatMap((r) => r.compositions)
        .filter((c) => c.tags[TAG_SHOW_ID] === show.id && !known.has(c.arn));
      compositionDuplicates += unknown.length;
      if (unknown.length > 0)
        details.push(`${show.id}: compositions it never knew of: ${unknown.map((c) => c.arn).join(', ')}`);
      const stages = heldByShow(this.stagesSeen.get(show.id) ?? new Set());
      if (stages !== 1) details.push(`${show.id}: ${stages} stages seen under its tag`);
    }
    if (stageDuplicates > 0) details.push(`stages created: ${created('CreateStage')} for ${this.shows.length} shows`);
    if (ingestDuplicates > 0)
      details.push(`ingest configurations created: ${created('CreateIngestConfiguration')} for ${ingestShows} shows`);
    return {
      shows: this.shows.length,
      leaked,
      duplicates: stageDuplicates + ingestDuplicates + compositionDuplicates,
      faults: metrics.faultsFired + this.injected,
      details,
    };
  }

  /** Audits, adds the figures to the totals and asserts this scenario's own share is clean. */
  async auditAndTally(options: AuditOptions = {}): Promise<Audit> {
    const audit = await this.audit(options);
    tally.faults += audit.faults;
    tally.leaked += audit.leaked;
    tally.duplicates += audit.duplicates;
    this.note(`audit ${JSON.stringify(audit)}`);
    assert.equal(audit.leaked, 0, audit.details.join('; '));
    assert.equal(audit.duplicates, 0, audit.details.join('; '));
    return audit;
  }

  /** Terminates what still runs on this rig's task queues, then stops the worker and the emulator. */
  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    for (const show of this.shows) await show.handle.terminate('chaos test finished').catch(() => undefined);
    try {
      await terminateRunningOn(this.client, [`${this.taskQueue}-monitor`], 'chaos test finished');
    } catch {
      // The server may already be gone (a scenario's own dev server); nothing is left running on it then.
    }
    await Promise.all(this.workers.map((w) => w.stop()));
    this.s3.destroy();
    await this.connection.close().catch(() => undefined);
    await this.emulator.stop();
  }
}

/** Every message along an error's cause chain: update rejections and activity failures nest the useful one. */
export function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.message) parts.push(e.message);
  return parts.join(' <- ');
}

/** Runs a scenario body; a failure carries the rig's diagnostics. The rig is always stopped. */
export async function withRig(rig: ChaosRig, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    const error = new Error(`${(e as Error).message}\n${rig.diagnostics()}`, { cause: e });
    throw error;
  } finally {
    await rig.stop();
  }
}

/** Runs `fn` for 0..n-1 concurrently, the i-th starting `staggerMs * i` later (a few shows, not a thundering herd). */
export function staggered<T>(n: number, staggerMs: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await sleep(i * staggerMs);
      return fn(i);
    }),
  );
}

/** A Temporal server of a scenario's own, which it may stop and start again on the same database and port. */
export interface PrivateTemporal extends TemporalCoordinates {
  kind: 'dev server' | 'cluster';
  /** Stops the server process, waits `downMs`, and starts it again on the same database file (or PostgreSQL) and port. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The dev server with a SQLite file (state survives a restart), or with SHOWRUNNER_TEMPORAL=cluster the real server
 * on a PostgreSQL of its own, whose server process is killed and started again. The suite's server is shared by
 * every test file, so a scenario that restarts Temporal brings its own.
 */
export async function startPrivateTemporal(): Promise<PrivateTemporal> {
  if (process.env[TEST_ENV_VARS.temporalMode] === 'cluster') {
    const cluster = await startTemporalCluster({ searchAttributes: SHOWRUNNER_SEARCH_ATTRIBUTES });
    return {
      kind: 'cluster',
      address: cluster.address,
      namespace: cluster.namespace,
      restart: (downMs) => cluster.restartServer({ crash: true, downMs }),
      stop: () => cluster.stop(),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-chaos-temporal-'));
  let server = await startTemporalDevServer({
    dbFile: path.join(dir, 'temporal.db'),
    headless: true,
    searchAttributes: SHOWRUNNER_SEARCH_ATTRIBUTES,
    cli: testTemporalEnv().cliPath,
    logFile: path.join(dir, 'temporal.log'),
    logLevel: 'error',
  });
  return {
    kind: 'dev server',
    address: server.address,
    namespace: server.namespace,
    async restart(downMs) {
      await server.stop();
      await sleep(downMs);
      server = await startTemporalDevServer(server.options);
    },
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
