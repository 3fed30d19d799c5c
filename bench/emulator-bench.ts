/**
 * `npm run bench:emulator [-- --duration 10 --connections 50 ...]`: figures for the IVS Real-Time emulator, not a test.
 *
 * 1. Throughput on one core: the emulator (its real CLI, rate limits off) and a bare `node:http` server answering a
 *    fixed JSON body of the same size each run in a child pinned to core 0; autocannon runs in a child pinned to
 *    core 1 and replays one SigV4-signed request (X-Amz-Date stays valid for 15 minutes and the emulator does no
 *    replay detection, so one signature serves the whole run).
 *    The servers are compared in pairs of short slices (`--slice`, 1 s), back to back in one load-generator process:
 *    bare, emulator, bare-with-SigV4, then the other way round, and so on; each such group gives one emulator / bare
 *    ratio, and the report gives the median of those ratios with their min–max. Why: this machine is shared, and the
 *    load of other processes drifts over seconds. When each server had one 5 s run in turn, the emulator's and the
 *    bare server's runs met different loads, and the per-round ratios swung from 0.27× to 0.78× around a median of
 *    0.5×, the target, so the verdict was a coin toss. Adjacent slices meet nearly the same load, and alternating
 *    which side goes first cancels a load that rises or falls across a group. Every server still gets the same
 *    total time, warm-up and connections; nothing else changes between them. What slicing costs: a slice ends with
 *    one request in flight per connection, uncounted, which the server finishes during the next slice; for
 *    GetComposition that is a few milliseconds of a 1 s slice, for CreateParticipantToken (ES384, ~2 ms a request)
 *    about a tenth, which its report says.
 * 2. Memory: RSS of a child hosting the emulator in-process, after a forced GC, empty and then holding N stages and
 *    M compositions created through the SDK.
 * 3. When a throughput target is missed (or with `--profile-all`), a short `--cpu-prof` run of the emulator names the
 *    top costs.
 *
 * The same script is every child too (hidden `--role`), so the bench is one file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freshChannelArn, LOCAL_CREDENTIALS as CREDENTIALS, LOCAL_REGION as REGION } from '../dev/aws/local-aws';
import { sigV4Signer } from '../dev/aws/sigv4';
import { startEmulator } from '../emulator/src';
import { DEFAULT_CREDENTIALS } from '../emulator/src/auth/credentials';
import { SigV4Verifier } from '../emulator/src/auth/sigv4-verifier';
import { serviceRegions } from '../emulator/src/model/constraints';

const REPO_ROOT = path.resolve(__dirname, '..');
const SELF = path.join(REPO_ROOT, 'bench', 'emulator-bench.ts');
const CLI = path.join(REPO_ROOT, 'emulator', 'src', 'cli.ts');
const THROUGHPUT_TARGET = 0.5;
/**
 * Operations held to THROUGHPUT_TARGET. CreateParticipantToken is not: each answer is an ES384 signature, which alone
 * costs more than a bare server's whole request, so it is compared with bare signing on the same core instead.
 */
const TARGETED = new Set(['GetComposition']);
const meetsTarget = (r: { operation: string; ratio: number }) =>
  !TARGETED.has(r.operation) || r.ratio >= THROUGHPUT_TARGET;
const RSS_TARGET_MB = 250;
/**
 * A ratio as the report prints it: two decimals, or three, rounded down, where two would round a ratio below the
 * target up to it (0.4996 is printed 0.499×, not "0.50×, missed").
 */
const ratioText = (x: number): string =>
  x < THROUGHPUT_TARGET && Number(x.toFixed(2)) >= THROUGHPUT_TARGET
    ? `${(Math.floor(x * 1000) / 1000).toFixed(3)}×`
    : `${x.toFixed(2)}×`;

interface Options {
  duration: number;
  /** Seconds per slice of the paired throughput comparison. */
  slice: number;
  connections: number;
  warmup: number;
  rounds: number;
  stages: number;
  compositions: number;
  profileSeconds: number;
  /** Profile every operation, not only those that miss their target (and the signing-bound one). */
  profileAll: boolean;
  /** The operations to measure (both by default). */
  operations: string[];
  out: string;
  skipThroughput: boolean;
  skipMemory: boolean;
}

function parseOptions(argv: string[]): Options & { role?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      slice: { type: 'string', default: '1' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '3' },
      stages: { type: 'string', default: '10000' },
      compositions: { type: 'string', default: '1000' },
      'profile-seconds': { type: 'string', default: '5' },
      'profile-all': { type: 'boolean', default: false },
      operations: { type: 'string', default: 'GetComposition,CreateParticipantToken' },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results', 'emulator.md') },
      'skip-throughput': { type: 'boolean', default: false },
      'skip-memory': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      role: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(
      [
        'npm run bench:emulator -- [options]',
        '  --duration S          seconds per server per round, in slices (10)',
        '  --slice S             seconds per slice; the servers alternate slice by slice (1)',
        '  --connections N       autocannon connections (50)',
        '  --warmup S            unmeasured seconds before each scenario (2)',
        '  --rounds N            rounds per operation, each a warm-up and duration/slice groups of slices (3)',
        '  --stages N            stages for the memory figure (10000)',
        '  --compositions N      compositions for the memory figure (1000)',
        '  --profile-seconds S   CPU-profile length when a throughput target is missed; 0 = never (5)',
        '  --profile-all         profile every operation, its target met or not',
        '  --operations A,B      operations to measure (GetComposition,CreateParticipantToken)',
        '  --out FILE            Markdown results (bench/results/emulator.md)',
        '  --skip-throughput, --skip-memory',
      ].join('\n'),
    );
    process.exit(0);
  }
  const positive = (name: string, raw: string, allowZero = false): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  return {
    role: values.role,
    duration: positive('duration', values.duration),
    slice: positive('slice', values.slice),
    connections: Math.round(positive('connections', values.connections)),
    warmup: positive('warmup', values.warmup, true),
    rounds: Math.round(positive('rounds', values.rounds)),
    stages: Math.round(positive('stages', values.stages)),
    compositions: Math.round(positive('compositions', values.compositions, true)),
    profileSeconds: positive('profile-seconds', values['profile-seconds'], true),
    profileAll: values['profile-all'],
    operations: values.operations.split(',').map((o) => o.trim()),
    out: path.resolve(values.out),
    skipThroughput: values['skip-throughput'],
    skipMemory: values['skip-memory'],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** `node --import tsx <args>`, pinned to one core when taskset exists. */
function spawnNode(core: number | undefined, nodeArgs: string[], env: NodeJS.ProcessEnv = {}, ipc = false) {
  const args = [...nodeArgs];
  const command = core !== undefined && hasTaskset ? 'taskset' : process.execPath;
  if (command === 'taskset') args.unshift('-c', String(core), process.execPath);
  return spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the first stdout match; rejects if the child dies first. Keeps stderr for the error message. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited (${code}) before it was ready:\n${stderr.slice(-2000)}`));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = pattern.exec(stdout);
      if (m) {
        child.off('exit', onExit);
        resolve(m);
      }
    });
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

interface EmulatorChild {
  child: ChildProcess;
  endpoint: string;
}

async function startEmulatorChild(extraNodeArgs: string[] = []): Promise<EmulatorChild> {
  const child = spawnNode(0, [
    ...extraNodeArgs,
    '--import',
    'tsx',
    CLI,
    '--port',
    '0',
    '--no-rate-limits',
    // Nobody joins the bench stage: keep its composition from stopping after the idle minute.
    '--timing',
    'idleStopWithoutParticipantsMs=86400000',
  ]);
  const m = await waitForLine(child, /listening on (http:\/\/\S+)/, 'emulator');
  return { child, endpoint: m[1]! };
}

// ---------------------------------------------------------------------------------------------------------------
// Role: bare server. Answers every request with the body configured for its path, like an API that does nothing.

function runBareServer(): void {
  const bodies = JSON.parse(process.env.BENCH_BARE_BODIES ?? '{}') as Record<string, string>;
  const buffers = new Map(Object.entries(bodies).map(([p, b]) => [p, Buffer.from(b)]));
  const fallback = Buffer.from('{}');
  // The floor variant: the same server, plus the emulator's own SigV4 verification of every request (its body read
  // and hashed). What it loses against the bare server is what verifying a signature costs, whoever does it.
  const verifier =
    process.env.BENCH_BARE_SIGV4 === '1'
      ? new SigV4Verifier({
          credentials: DEFAULT_CREDENTIALS,
          verify: true,
          signingName: 'ivs',
          accountKeyShortcut: false,
          regions: new Set(serviceRegions.ivsRealtime),
        })
      : undefined;
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = buffers.get(req.url ?? '/') ?? fallback;
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
    });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    if (!verifier) {
      req.resume();
      req.on('end', () => answer(req, res));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        verifier.identify(req, Buffer.concat(chunks));
      } catch {
        // The bench counts any non-2xx answer as a failed run.
        res.writeHead(403).end();
        return;
      }
      answer(req, res);
    });
  });
  // Same socket timeouts as the emulator, so only the request handling differs.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1', () => {
    console.log(`bare listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------------------------
// Role: bare signer. ES384 signatures with node:crypto alone, one after another on its core: the ceiling for an
// operation whose every answer is an ES384-signed JWT.

function runSigner(): void {
  const seconds = Number(process.env.BENCH_SIGN_SECONDS ?? '5');
  const warmup = Number(process.env.BENCH_SIGN_WARMUP ?? '1');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  // About the size of a participant token's signing input (base64url header and claims).
  const input = Buffer.alloc(Number(process.env.BENCH_SIGN_BYTES ?? '600'), 'a');
  const signFor = (ms: number) => {
    const end = performance.now() + ms;
    let n = 0;
    while (performance.now() < end) {
      sign('sha384', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      n++;
    }
    return n;
  };
  signFor(warmup * 1000);
  const started = performance.now();
  const count = signFor(seconds * 1000);
  console.log(`RESULT ${JSON.stringify({ perSecond: count / ((performance.now() - started) / 1000) })}`);
}

async function signRate(options: Options, inputBytes: number): Promise<number> {
  const child = spawnNode(0, ['--import', 'tsx', SELF, '--role', 'sign'], {
    BENCH_SIGN_SECONDS: String(options.duration),
    BENCH_SIGN_WARMUP: String(Math.max(1, options.warmup)),
    BENCH_SIGN_BYTES: String(inputBytes),
  });
  const m = await waitForLine(child, /RESULT (\{.*\})\n/, 'signer');
  await stopChild(child);
  return (JSON.parse(m[1]!) as { perSecond: number }).perSecond;
}

// ---------------------------------------------------------------------------------------------------------------
// Role: load generator (autocannon, programmatic API).

/** One request, replayed against one or more servers (by name) in the order the slices give. */
interface LoadPlan {
  urls: Record<string, string>;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
  connections: number;
  /** Unmeasured seconds against each server, in the order of `warmupOrder`, before the first slice. */
  warmup: number;
  warmupOrder: string[];
  slices: { server: string; seconds: number }[];
}

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

type SliceResult = LoadResult & { server: string };

async function runLoad(): Promise<void> {
  const { default: autocannon } = await import('autocannon');
  const plan = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadPlan;
  const run = (server: string, duration: number) =>
    autocannon({
      url: plan.urls[server]!,
      method: plan.method,
      headers: plan.headers,
      body: plan.body,
      connections: plan.connections,
      duration,
      // autocannon stops at its first sample tick after the duration: tick often, so a 1 s slice lasts about 1 s.
      sampleInt: 100,
    });
  if (plan.warmup > 0) for (const server of plan.warmupOrder) await run(server, plan.warmup);
  const slices: SliceResult[] = [];
  for (const slice of plan.slices) {
    const r = await run(slice.server, slice.seconds);
    // Completed requests over the slice's own wall time (connecting included, for every server alike): autocannon's
    // per-second average needs whole seconds of samples.
    const seconds = (new Date(r.finish).getTime() - new Date(r.start).getTime()) / 1000;
    slices.push({
      server: slice.server,
      requestsPerSecond: r.requests.total / seconds,
      p50: r.latency.p50,
      p99: r.latency.p99,
      total: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
    });
  }
  console.log(`RESULT ${JSON.stringify(slices)}`);
}

async function load(plan: LoadPlan): Promise<SliceResult[]> {
  const child = spawnNode(1, ['--import', 'tsx', SELF, '--role', 'load'], { BENCH_LOAD: JSON.stringify(plan) });
  const m = await waitForLine(child, /RESULT (\[.*\])\n/, 'autocannon');
  await stopChild(child);
  return JSON.parse(m[1]!) as SliceResult[];
}

// ---------------------------------------------------------------------------------------------------------------
// Role: memory host. Runs the emulator in-process and reports its RSS after a GC whenever the bench asks over IPC.

async function runMemoryHost(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_HOST_CONFIG ?? '{}') as Parameters<typeof startEmulator>[0];
  const emulator = await startEmulator(config, () => undefined);
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: unknown) => {
    if (message === 'stop') {
      void emulator.stop().then(() => process.exit(0));
      return;
    }
    if (message !== 'measure') return;
    // Two passes: the first may only queue finalizers for weakly held objects.
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    process.send?.({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, gc: !!gc });
  });
  console.log(`host listening on ${emulator.endpoint}`);
}

interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  gc: boolean;
}

function measure(child: ChildProcess): Promise<MemorySample> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as MemorySample));
    child.send('measure');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The bench itself.

async function ivsClient(endpoint: string) {
  const { IVSRealTimeClient } = await import('@aws-sdk/client-ivs-realtime');
  return new IVSRealTimeClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
}

/** Signs one request the way the SDK would; autocannon replays it unchanged. */
async function signedRequest(endpoint: string, operation: string, input: object) {
  const { HttpRequest } = await import('@smithy/protocol-http');
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = sigV4Signer({ credentials: CREDENTIALS, region: REGION, service: 'ivs' });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: `/${operation}`,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    }),
  );
  return { path: `/${operation}`, headers: signed.headers, body };
}

interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median (the mean of the middle two of an even count), min and max. */
const spreadOf = (values: number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
};

interface ThroughputRow {
  operation: string;
  /** Each server's slices summarised: median req/s, p50 and p99 over its slices, requests in all. */
  emulator: LoadResult;
  bare: LoadResult;
  /** The bare server plus SigV4 verification of every request: the floor any verifying server stands on. */
  floor: LoadResult;
  /** req/s of every slice, for the spread. */
  emulatorRates: number[];
  bareRates: number[];
  floorRates: number[];
  /** Median over the groups of emulator / floor. */
  floorRatio: number;
  /** Median over the groups of floor / bare: the share of the bare rate left once signatures are verified. */
  floorShare: number;
  /** CreateParticipantToken: bare ES384 crypto.sign per second on the same core, each round. */
  signRates?: number[];
  bodyBytes: number;
  /** Median over the groups of emulator / bare. */
  ratio: number;
  /** emulator / bare of each group of slices, to show how steady the figure is. */
  pairRatios: number[];
  /** The median of each round's pair ratios. */
  roundRatios: number[];
  loadAverage: number;
}

/** The size of a CreateParticipantToken answer's JWT signing input (header.claims), to sign as much in the bare run. */
function signingInputBytes(responseBody: string): number {
  const token = (JSON.parse(responseBody) as { participantToken: { token: string } }).participantToken.token;
  return Buffer.byteLength(token.slice(0, token.lastIndexOf('.')));
}

/** The 25th to 75th percentile of values (nearest rank), as text. */
function middleHalf(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return `${at(0.25).toFixed(2)}–${at(0.75).toFixed(2)}`;
}

/** A server's slices as one row: the medians of their req/s, p50 and p99 (each on its own), and their requests. */
function summarise(slices: LoadResult[]): LoadResult {
  const mid = (pick: (r: LoadResult) => number) => spreadOf(slices.map(pick)).median;
  const sum = (pick: (r: LoadResult) => number) => slices.reduce((n, r) => n + pick(r), 0);
  return {
    requestsPerSecond: mid((r) => r.requestsPerSecond),
    p50: mid((r) => r.p50),
    p99: mid((r) => r.p99),
    total: sum((r) => r.total),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
  };
}

type Server = 'bare' | 'floor' | 'emulator';
/**
 * The order of the slices in a group. The emulator sits between the bare server and the floor, so each of them is
 * next to it, and the two orders alternate group by group, so neither side of a ratio always goes first.
 */
const GROUP_ORDERS: readonly (readonly Server[])[] = [
  ['bare', 'emulator', 'floor'],
  ['floor', 'emulator', 'bare'],
];

interface ProfileSummary {
  operation: string;
  functions: { name: string; where: string; selfPct: number }[];
  modules: { module: string; selfPct: number }[];
}

async function benchThroughput(options: Options): Promise<ThroughputRow[]> {
  const emulator = await startEmulatorChild();
  let bare: ChildProcess | undefined;
  let floor: ChildProcess | undefined;
  try {
    const { CreateStageCommand, StartCompositionCommand } = await import('@aws-sdk/client-ivs-realtime');
    const ivs = await ivsClient(emulator.endpoint);
    const { stage } = await ivs.send(new CreateStageCommand({ name: 'bench' }));
    const { composition } = await ivs.send(
      new StartCompositionCommand({
        stageArn: stage!.arn,
        destinations: [{ channel: { channelArn: freshChannelArn() } }],
      }),
    );
    ivs.destroy();

    const scenarios = [
      { operation: 'GetComposition', input: { arn: composition!.arn } },
      {
        operation: 'CreateParticipantToken',
        input: { stageArn: stage!.arn, userId: 'bench-user', capabilities: ['PUBLISH', 'SUBSCRIBE'] },
      },
    ].filter((s) => options.operations.includes(s.operation));
    if (scenarios.length === 0) throw new Error(`--operations names none of GetComposition, CreateParticipantToken`);
    // Real responses, so the bare server answers bodies of the same size.
    const prepared = [];
    for (const s of scenarios) {
      const request = await signedRequest(emulator.endpoint, s.operation, s.input);
      const response = await fetch(`${emulator.endpoint}${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${s.operation} answered ${response.status}: ${text}`);
      prepared.push({ ...s, request, responseBody: text });
    }
    bare = spawnNode(0, ['--import', 'tsx', SELF, '--role', 'bare'], {
      BENCH_BARE_BODIES: JSON.stringify(Object.fromEntries(prepared.map((p) => [p.request.path, p.responseBody]))),
    });
    const bareEndpoint = (await waitForLine(bare, /listening on (http:\/\/\S+)/, 'bare server'))[1]!;
    floor = spawnNode(0, ['--import', 'tsx', SELF, '--role', 'bare'], {
      BENCH_BARE_BODIES: JSON.stringify(Object.fromEntries(prepared.map((p) => [p.request.path, p.responseBody]))),
      BENCH_BARE_SIGV4: '1',
    });
    const floorEndpoint = (await waitForLine(floor, /listening on (http:\/\/\S+)/, 'bare server with SigV4'))[1]!;
    const endpoints = { bare: bareEndpoint, floor: floorEndpoint, emulator: emulator.endpoint };

    const rows: ThroughputRow[] = [];
    const groups = Math.max(1, Math.round(options.duration / options.slice));
    for (const p of prepared) {
      const slices: Record<Server, LoadResult[]> = { bare: [], floor: [], emulator: [] };
      const ratios: number[] = [];
      const floorRatios: number[] = [];
      const floorShares: number[] = [];
      const roundRatios: number[] = [];
      const signRates: number[] = [];
      // A token's JWT signing input: its first two dot-separated parts.
      const tokenSigningInput = p.operation === 'CreateParticipantToken' ? signingInputBytes(p.responseBody) : 0;
      const loadAverage = os.loadavg()[0]!;
      for (let round = 0; round < options.rounds; round++) {
        process.stderr.write(
          `throughput: ${p.operation}, round ${round + 1}/${options.rounds}, ${groups} group(s) of ${options.slice}s slices...\n`,
        );
        // Rounds start with alternate orders too, so an odd number of groups does not favour one order overall.
        const orders = Array.from({ length: groups }, (_, g) => GROUP_ORDERS[(round + g) % GROUP_ORDERS.length]!);
        const results = await load({
          urls: Object.fromEntries(Object.entries(endpoints).map(([who, url]) => [who, `${url}${p.request.path}`])),
          method: 'POST',
          headers: p.request.headers,
          body: p.request.body,
          connections: options.connections,
          warmup: options.warmup,
          warmupOrder: [...orders[0]!],
          slices: orders.flatMap((order) => order.map((server) => ({ server, seconds: options.slice }))),
        });
        for (const r of results) {
          if (r.non2xx > 0 || r.errors > 0)
            throw new Error(`${r.server} ${p.operation}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
        }
        const inRound: number[] = [];
        for (let g = 0; g < groups; g++) {
          const group = Object.fromEntries(results.slice(g * 3, g * 3 + 3).map((r) => [r.server, r])) as Record<
            Server,
            SliceResult
          >;
          for (const who of ['bare', 'floor', 'emulator'] as const) slices[who].push(group[who]);
          const rate = (who: Server) => group[who].requestsPerSecond;
          inRound.push(rate('emulator') / rate('bare'));
          floorRatios.push(rate('emulator') / rate('floor'));
          floorShares.push(rate('floor') / rate('bare'));
        }
        ratios.push(...inRound);
        roundRatios.push(spreadOf(inRound).median);
        if (tokenSigningInput > 0) {
          process.stderr.write(`throughput: bare ES384 crypto.sign, round ${round + 1}/${options.rounds}...\n`);
          signRates.push(await signRate(options, tokenSigningInput));
        }
      }
      rows.push({
        operation: p.operation,
        emulator: summarise(slices.emulator),
        bare: summarise(slices.bare),
        floor: summarise(slices.floor),
        emulatorRates: slices.emulator.map((r) => r.requestsPerSecond),
        bareRates: slices.bare.map((r) => r.requestsPerSecond),
        floorRates: slices.floor.map((r) => r.requestsPerSecond),
        floorRatio: spreadOf(floorRatios).median,
        floorShare: spreadOf(floorShares).median,
        ...(signRates.length > 0 ? { signRates } : {}),
        bodyBytes: Buffer.byteLength(p.responseBody),
        // Paired slice by slice, so load from other processes that comes and goes hits both sides of a ratio alike.
        ratio: spreadOf(ratios).median,
        pairRatios: ratios,
        roundRatios,
        loadAverage,
      });
    }
    return rows;
  } finally {
    if (floor) await stopChild(floor);
    if (bare) await stopChild(bare);
    await stopChild(emulator.child);
  }
}

/** A short CPU profile of the emulator under the same load, summarised by self time. */
async function profileOperation(options: Options, row: ThroughputRow): Promise<ProfileSummary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-bench-prof-'));
  const emulator = await startEmulatorChild(['--cpu-prof', '--cpu-prof-dir', dir]);
  try {
    const { CreateStageCommand, StartCompositionCommand } = await import('@aws-sdk/client-ivs-realtime');
    const ivs = await ivsClient(emulator.endpoint);
    const { stage } = await ivs.send(new CreateStageCommand({ name: 'bench' }));
    const input =
      row.operation === 'GetComposition'
        ? {
            arn: (
              await ivs.send(
                new StartCompositionCommand({
                  stageArn: stage!.arn,
                  destinations: [{ channel: { channelArn: freshChannelArn() } }],
                }),
              )
            ).composition!.arn,
          }
        : { stageArn: stage!.arn, userId: 'bench-user', capabilities: ['PUBLISH', 'SUBSCRIBE'] };
    ivs.destroy();
    const request = await signedRequest(emulator.endpoint, row.operation, input);
    process.stderr.write(`profile: ${row.operation}, ${options.profileSeconds}s...\n`);
    await load({
      urls: { emulator: `${emulator.endpoint}${request.path}` },
      method: 'POST',
      headers: request.headers,
      body: request.body,
      connections: options.connections,
      // Warm, so the window shows steady-state costs rather than the JIT's first passes.
      warmup: Math.max(1, options.warmup),
      warmupOrder: ['emulator'],
      slices: [{ server: 'emulator', seconds: options.profileSeconds }],
    });
  } finally {
    // The CLI exits cleanly on SIGTERM, which is when Node writes the profile.
    await stopChild(emulator.child);
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written to ${dir}`);
  const summary = summariseProfile(row.operation, path.join(dir, file), options.profileSeconds);
  fs.rmSync(dir, { recursive: true, force: true });
  return summary;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  endTime: number;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function moduleOf(url: string): string {
  if (!url) return '(native / VM)';
  if (url.startsWith('node:')) return url.replace(/^node:internal\/([^/]+).*/, 'node:internal/$1');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const local = url.indexOf('/emulator/src/');
  if (local >= 0) return url.slice(local + 1);
  return url;
}

/** Self time per function and module over the last `windowSeconds` of the profile (the load, not start-up). */
function summariseProfile(operation: string, file: string, windowSeconds: number): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const windowStart = profile.endTime - windowSeconds * 1e6;
  const hitsById = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= windowStart) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  });
  const byFunction = new Map<string, { name: string; where: string; hits: number }>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    // Idle time is the load generator's latency, not work; leave it out of the shares.
    if (hits === 0 || functionName === '(idle)') continue;
    total += hits;
    const name = functionName || '(anonymous)';
    // tsx-transpiled files report lines of the generated code, which mean nothing here: name the file only.
    const where = !url ? '' : url.includes('/emulator/src/') ? moduleOf(url) : `${moduleOf(url)}:${lineNumber + 1}`;
    const key = `${name}|${where}`;
    const entry = byFunction.get(key) ?? { name, where, hits: 0 };
    entry.hits += hits;
    byFunction.set(key, entry);
    const module = url ? moduleOf(url) : name.startsWith('(') ? name : '(native / VM)';
    byModule.set(module, (byModule.get(module) ?? 0) + hits);
  }
  const pct = (hits: number) => Math.round((hits / total) * 1000) / 10;
  return {
    operation,
    functions: [...byFunction.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, 12)
      .map((f) => ({ name: f.name, where: f.where, selfPct: pct(f.hits) })),
    modules: [...byModule.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([module, hits]) => ({ module, selfPct: pct(hits) })),
  };
}

interface MemoryResult {
  empty: MemorySample;
  withStages: MemorySample;
  loaded: MemorySample;
  stages: number;
  compositions: number;
  liveCompositions: number;
  createSeconds: number;
}

/** Runs `fn` over 0..count-1 with `concurrency` calls in flight. */
async function pool(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

async function benchMemory(options: Options): Promise<MemoryResult> {
  const host = spawnNode(
    0,
    ['--expose-gc', '--import', 'tsx', SELF, '--role', 'host'],
    {
      BENCH_HOST_CONFIG: JSON.stringify({
        port: 0,
        rateLimits: false,
        quotas: {
          stagesPerRegion: options.stages,
          compositionsPerAccount: Math.max(options.compositions, 1),
          compositionsPerStage: 5,
        },
        // Nobody joins: without this the compositions would stop after a minute.
        timings: { idleStopWithoutParticipantsMs: 24 * 60 * 60_000 },
      }),
    },
    true,
  );
  try {
    const endpoint = (await waitForLine(host, /listening on (http:\/\/\S+)/, 'memory host'))[1]!;
    const { CreateStageCommand, StartCompositionCommand } = await import('@aws-sdk/client-ivs-realtime');
    const ivs = await ivsClient(endpoint);
    const empty = await measure(host);
    const started = Date.now();
    process.stderr.write(`memory: creating ${options.stages} stages...\n`);
    const stageArns: string[] = [];
    await pool(options.stages, 32, async (i) => {
      const { stage } = await ivs.send(new CreateStageCommand({ name: `bench-${i}`, tags: { bench: 'memory' } }));
      stageArns[i] = stage!.arn!;
    });
    const withStages = await measure(host);
    process.stderr.write(`memory: starting ${options.compositions} compositions...\n`);
    await pool(options.compositions, 32, async (i) => {
      await ivs.send(
        new StartCompositionCommand({
          stageArn: stageArns[i % stageArns.length],
          destinations: [{ channel: { channelArn: freshChannelArn() } }],
          tags: { bench: 'memory' },
        }),
      );
    });
    const createSeconds = (Date.now() - started) / 1000;
    ivs.destroy();
    // Let every composition reach ACTIVE (3 s start time) so the figure is the steady state.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const inventory = (await (await fetch(`${endpoint}/_emulator/inventory`)).json()) as {
      live: { stages: number; compositions: number };
      regions: { compositions: { state: string }[] }[];
    };
    const active = inventory.regions.flatMap((r) => r.compositions).filter((c) => c.state === 'ACTIVE').length;
    if (inventory.live.stages !== options.stages)
      throw new Error(`expected ${options.stages} stages, inventory has ${inventory.live.stages}`);
    const loaded = await measure(host);
    return {
      empty,
      withStages,
      loaded,
      stages: inventory.live.stages,
      compositions: inventory.live.compositions,
      liveCompositions: active,
      createSeconds,
    };
  } finally {
    host.send('stop');
    await stopChild(host);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `CPU: ${cpus[0]?.model ?? 'unknown'} (${cpus.length} cores; ${os.availableParallelism()} available to Node)`,
    `Node ${process.version}, ${os.platform()} ${os.release()}, ${mb(os.totalmem())} MB RAM`,
    hasTaskset
      ? 'Pinning: server under test on core 0, autocannon on core 1 (taskset)'
      : 'Pinning: taskset not found, processes NOT pinned: figures compare less cleanly',
    `Load average at start (1 min): ${os.loadavg()[0]!.toFixed(2)}`,
  ];
}

function command(): string {
  const args = process.argv.slice(2).join(' ');
  if (process.env.npm_lifecycle_event === 'bench:emulator') return `npm run bench:emulator${args ? ` -- ${args}` : ''}`;
  return `npx tsx bench/emulator-bench.ts${args ? ` ${args}` : ''}`;
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function report(
  options: Options,
  header: string[],
  throughput: ThroughputRow[] | undefined,
  profiles: ProfileSummary[],
  memory: MemoryResult | undefined,
): string {
  const out: string[] = ['# IVS Real-Time emulator benchmark', '', `Command: \`${command()}\``, ''];
  out.push(`Run at ${new Date().toISOString()}`, '', ...header.map((l) => `- ${l}`), '');
  if (throughput) {
    out.push(
      '## Throughput (one core)',
      '',
      `autocannon, ${options.connections} connections. ${options.rounds} round(s) per operation; each round warms every ` +
        `server for ${options.warmup} s, then runs ${Math.max(1, Math.round(options.duration / options.slice))} group(s) of ` +
        `${options.slice} s slices back to back, one slice per server, in the order bare, emulator, bare with SigV4 or the ` +
        'reverse, alternating group by group (paired: the load of other processes on this shared machine drifts over ' +
        'seconds, and adjacent slices meet nearly the same load). "vs bare" is the median over all groups of the ' +
        "group's emulator / bare ratio (and floor / bare for the floor row); req/s, p50 and p99 are the medians over a " +
        "server's slices, each on its own; requests are all its slices' together. " +
        'One SigV4-signed request is replayed (the emulator verifies the signature on every request). ' +
        'Emulator started with `--no-rate-limits` (the documented rates would throttle at 5 or 50 TPS). ' +
        "The bare server is `node:http` answering a fixed body of the same size as the emulator's response; " +
        "the second bare server also reads each body and verifies the request's signature with the emulator's own " +
        'SigV4 verifier (the floor for any server that checks signatures, as AWS does).',
      '',
      table(
        [
          'operation',
          'server',
          'req/s',
          'p50 ms',
          'p99 ms',
          'requests',
          'body bytes',
          'vs bare',
          `target ≥ ${THROUGHPUT_TARGET}×`,
        ],
        throughput.flatMap((r) => {
          const row = (server: string, result: LoadResult, vsBare: number, verdict: string) => [
            r.operation,
            server,
            int(result.requestsPerSecond),
            String(result.p50),
            String(result.p99),
            int(result.total),
            String(r.bodyBytes),
            ratioText(vsBare),
            verdict,
          ];
          return [
            row(
              'emulator',
              r.emulator,
              r.ratio,
              !TARGETED.has(r.operation) ? 'n/a (signing-bound, below)' : meetsTarget(r) ? 'met' : '**missed**',
            ),
            row('bare node:http + SigV4 verification', r.floor, r.floorShare, ''),
            row('bare node:http', r.bare, 1, ''),
          ];
        }),
      ),
      '',
      `Emulator / bare over the groups of slices, median (min–max; middle half): ${throughput.map((r) => `${r.operation} **${ratioText(r.ratio)}** (${spreadOf(r.pairRatios).min.toFixed(2)}–${spreadOf(r.pairRatios).max.toFixed(2)}; ${middleHalf(r.pairRatios)}; ${r.pairRatios.filter((x) => x >= THROUGHPUT_TARGET).length} of ${r.pairRatios.length} groups at ${THROUGHPUT_TARGET}× or more)`).join('; ')}. ` +
        `Every group, in order: ${throughput.map((r) => `${r.operation} ${r.pairRatios.map((x) => x.toFixed(2)).join(', ')}`).join('; ')}. ` +
        `Median of each round: ${throughput.map((r) => `${r.operation} ${r.roundRatios.map((x) => x.toFixed(2)).join(', ')}`).join('; ')}. ` +
        `Spread of req/s over the slices (min–max): ${throughput.map((r) => `${r.operation} emulator ${int(spreadOf(r.emulatorRates).min)}–${int(spreadOf(r.emulatorRates).max)}, bare ${int(spreadOf(r.bareRates).min)}–${int(spreadOf(r.bareRates).max)}`).join('; ')}. ` +
        `Bare with SigV4 ${throughput.map((r) => `${r.operation} ${int(spreadOf(r.floorRates).min)}–${int(spreadOf(r.floorRates).max)}`).join('; ')}. ` +
        `Load average (1 min) before each operation: ${throughput.map((r) => `${r.operation} ${r.loadAverage.toFixed(2)}`).join(', ')}. ` +
        "The load generator has one core too; at the bare server's rate it may be the limit, which flatters the ratio.",
      '',
    );
    for (const r of throughput.filter((row) => TARGETED.has(row.operation))) {
      const perRequestUs = (rate: number) => 1e6 / rate;
      out.push(
        `**${r.operation} against the SigV4 floor.** Verifying each request's signature alone takes a bare server ` +
          `from ${int(r.bare.requestsPerSecond)} to ${int(r.floor.requestsPerSecond)} req/s (${r.floorShare.toFixed(2)}× ` +
          `its rate; ${perRequestUs(r.bare.requestsPerSecond).toFixed(1)} → ${perRequestUs(r.floor.requestsPerSecond).toFixed(1)} µs ` +
          `a request on one core). The emulator answers at **${r.floorRatio.toFixed(2)}×** the floor ` +
          `(${perRequestUs(r.emulator.requestsPerSecond).toFixed(1)} µs a request): routing, JSON parsing, model ` +
          'validation, throttling and fault checks, the lookup, serialization and metrics cost ' +
          `${(perRequestUs(r.emulator.requestsPerSecond) - perRequestUs(r.floor.requestsPerSecond)).toFixed(1)} µs more.`,
        '',
      );
    }
    for (const r of throughput) {
      if (!r.signRates) continue;
      const s = spreadOf(r.signRates);
      out.push(
        `**${r.operation} against bare ES384 signing.** Every answer carries an ES384-signed JWT. \`crypto.sign\` ` +
          `(P-384, SHA-384, IEEE P1363 signature, an input the size of the token's signing input) alone in a loop ` +
          `on the same core: ${int(s.median)} signatures/s (median of ${r.signRates.length} run(s), ` +
          `${int(s.min)}–${int(s.max)}). The emulator's ${int(r.emulator.requestsPerSecond)} req/s is ` +
          `**${(r.emulator.requestsPerSecond / s.median).toFixed(2)}×** that rate: the signature bounds the operation, ` +
          'and the rest of the request (SigV4 verification, JSON, HTTP) costs the remainder. ' +
          // A slice ends with every connection's request in flight; at this rate those are a visible share of it.
          `Slices of ${options.slice} s leave up to ${options.connections} requests unanswered at their end, which ` +
          `are not counted: at ${int(r.emulator.requestsPerSecond)} req/s up to ` +
          `${Math.round((options.connections / (r.emulator.requestsPerSecond * options.slice)) * 100)} % of a slice's ` +
          'work, so the figure reads low by up to that much; the signing rate is measured after each round, not paired.',
        '',
      );
    }
  }
  for (const p of profiles) {
    out.push(
      `### Where the emulator spends CPU: ${p.operation} (${options.profileSeconds} s \`--cpu-prof\`, self time, idle excluded)`,
      '',
      table(
        ['module', 'self %'],
        p.modules.map((m) => [m.module, String(m.selfPct)]),
      ),
      '',
      table(
        ['function', 'where', 'self %'],
        p.functions.map((f) => [`\`${f.name}\``, f.where, String(f.selfPct)]),
      ),
      '',
    );
  }
  if (memory) {
    const met = memory.loaded.rss / 1024 / 1024 <= RSS_TARGET_MB;
    out.push(
      '## Memory',
      '',
      `Emulator hosted in-process by a child run with \`--expose-gc\` (rate limits off, quotas raised through the ` +
        `config: stagesPerRegion ${options.stages}, compositionsPerAccount ${options.compositions}); resources created ` +
        `through the SDK (${memory.createSeconds.toFixed(1)} s); each figure after a forced GC. Compositions have one ` +
        `channel destination each and no S3 (no recordings).`,
      '',
      table(
        ['state', 'RSS MB', 'heap used MB', 'external MB'],
        [
          ['started, empty', mb(memory.empty.rss), mb(memory.empty.heapUsed), mb(memory.empty.external)],
          [
            `${int(memory.stages)} stages`,
            mb(memory.withStages.rss),
            mb(memory.withStages.heapUsed),
            mb(memory.withStages.external),
          ],
          [
            `${int(memory.stages)} stages + ${int(memory.compositions)} live compositions (${int(memory.liveCompositions)} ACTIVE)`,
            mb(memory.loaded.rss),
            mb(memory.loaded.heapUsed),
            mb(memory.loaded.external),
          ],
        ],
      ),
      '',
      `Target: RSS ≤ ${RSS_TARGET_MB} MB with the full load: **${met ? 'met' : 'missed'}** (${mb(memory.loaded.rss)} MB).` +
        (memory.loaded.gc ? '' : ' (GC was not exposed: figures include garbage.)'),
      '',
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.role === 'bare') return runBareServer();
  if (options.role === 'load') return runLoad();
  if (options.role === 'host') return runMemoryHost();
  if (options.role === 'sign') return runSigner();
  if (options.role) throw new Error(`unknown role ${options.role}`);

  const header = machine();
  console.log(header.join('\n'));
  const throughput = options.skipThroughput ? undefined : await benchThroughput(options);
  const profiles: ProfileSummary[] = [];
  if (throughput && options.profileSeconds > 0) {
    // Every operation that misses its target, and the signing-bound one, to show where its time goes.
    for (const row of throughput.filter((r) => options.profileAll || !meetsTarget(r) || !TARGETED.has(r.operation)))
      profiles.push(await profileOperation(options, row));
  }
  const memory = options.skipMemory ? undefined : await benchMemory(options);
  // Formatted with the repository's Prettier settings so `npm run lint` accepts the results file as written.
  const prettier = await import('prettier');
  const markdown = await prettier.format(report(options, header, throughput, profiles, memory), {
    ...(await prettier.resolveConfig(options.out)),
    parser: 'markdown',
  });
  console.log(`\n${markdown}`);
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, markdown);
  console.log(`\nwrote ${path.relative(REPO_ROOT, options.out)}`);
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
