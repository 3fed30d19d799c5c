/**
 * The `tokens` scenario of `npm run bench`: viewer tokens per second from one token-service process, against
 * CreateParticipantToken's documented 50 TPS per account and against bare ES384 signing on the same core.
 *
 * Three rates, each repeated (medians with min-max spread), each on core 0 when taskset exists:
 * 1. bare `crypto.sign` ES384 (P-384, IEEE P1363 signature) over a token-sized message: the ceiling;
 * 2. the service's signing function (`viewerTokenSigner`: claims, jose SignJWT, base64url), one token after another;
 * 3. the HTTP service (`startTokenService`, the real server: bearer auth, rate limiter, body validation) in its own
 *    process, loaded by autocannon from another process on core 1.
 * The service's one Temporal query per show per 2 s is answered by a stub here: it is not per token, and leaving it
 * out keeps a Temporal server and worker off the two cores being measured.
 *
 * The same file is every child (hidden `--role`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import type { AudiencePrivateJwk, AudienceSigner } from '../contracts/audience';
import { viewerTokenSigner } from '../audience/sign-viewer-token';
import { startTokenService } from '../audience/token-service';
import {
  markdownTable,
  median,
  REPO_ROOT,
  type Progress,
  type ScenarioReport,
  startScenarioRun,
  type SummaryRow,
} from './bench-support';

const SELF = path.join(REPO_ROOT, 'bench', 'token-bench.ts');
const signAsync = promisify(sign);
/** CreateParticipantToken: 50 TPS per account and region (IVS Real-Time service quotas). */
const CREATE_PARTICIPANT_TOKEN_TPS = 50;
const CALLER = { name: 'bench', token: 'bench-caller-token-0123456789' };

export interface TokenBenchOptions {
  reps: number;
  /** Seconds per rate measurement. */
  seconds: number;
  connections: number;
}

function benchSigner(): AudienceSigner {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return {
    showId: 'bench',
    stageArn: 'arn:aws:ivs:us-east-1:123456789012:stage/BenchStage01',
    publicKeyArn: 'arn:aws:ivs:us-east-1:123456789012:public-key/BenchKey0001',
    privateKey: privateKey.export({ format: 'jwk' }) as AudiencePrivateJwk,
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    maxTokenTtlMs: 3_600_000,
    attributes: { maxBytes: 1024 },
    rateLimit: { tokensPerSecond: 10_000, burst: 100_000 },
  };
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

function spawnRole(core: number, role: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const args = ['--import', 'tsx', SELF, '--role', role];
  const command = hasTaskset ? 'taskset' : process.execPath;
  if (hasTaskset) args.unshift('-c', String(core), process.execPath);
  return spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onExit = (code: number | null) => reject(new Error(`${what} exited (${code}):\n${stderr.slice(-2000)}`));
    child.once('exit', onExit);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = pattern.exec(stdout);
      if (m) {
        child.off('exit', onExit);
        resolve(m);
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// Role: bare signing. Both loops run for BENCH_SECONDS each; prints tokens per second of each.
async function roleSign(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? '3');
  const signer = benchSigner();
  const signOne = await viewerTokenSigner(signer);
  const sample = await signOne({ userId: 'viewer-000001', attributes: { seat: 'A7' } });
  // The same bytes a token's signature covers: header.payload.
  const message = Buffer.from(sample.token.slice(0, sample.token.lastIndexOf('.')));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const key = { key: privateKey, dsaEncoding: 'ieee-p1363' } as const;
  let i = 0;
  const contenders: Record<'bare' | 'bareAsync' | 'fn', () => unknown> = {
    bare: () => sign('sha384', message, key),
    // What jose does underneath: the one-shot sign on libuv's thread pool, awaited one after another.
    bareAsync: () => signAsync('sha384', message, key),
    fn: () => signOne({ userId: `viewer-${i++}`, attributes: { seat: 'A7' } }),
  };
  // Interleaved in 250 ms slices: on a shared machine the load swings within seconds, and each contender must see
  // the same swings for the ratios to mean anything.
  const counts = { bare: 0, bareAsync: 0, fn: 0 };
  const busyMs = { bare: 0, bareAsync: 0, fn: 0 };
  const deadline = performance.now() + seconds * 3000;
  while (performance.now() < deadline) {
    for (const name of ['bare', 'bareAsync', 'fn'] as const) {
      const start = performance.now();
      const end = start + 250;
      while (performance.now() < end) {
        for (let k = 0; k < 10; k++) await contenders[name]();
        counts[name] += 10;
      }
      busyMs[name] += performance.now() - start;
    }
  }
  const perSecond = (name: keyof typeof counts) => counts[name] / (busyMs[name] / 1000);
  console.log(
    `RESULT ${JSON.stringify({ bare: perSecond('bare'), bareAsync: perSecond('bareAsync'), fn: perSecond('fn') })}`,
  );
}

// Role: the HTTP service, with a stub in place of Temporal (see the file comment).
async function roleService(): Promise<void> {
  const signer = benchSigner();
  const client = { workflow: { getHandle: () => ({ query: () => Promise.resolve(signer) }) } } as unknown as Client;
  const service = await startTokenService({ port: 0, host: '127.0.0.1', callers: [CALLER], client });
  console.log(`LISTENING ${service.url}`);
  process.once('SIGTERM', () => void service.stop().then(() => process.exit(0)));
}

// Role: load generator.
async function roleLoad(): Promise<void> {
  const { default: autocannon } = await import('autocannon');
  const spec = JSON.parse(process.env.BENCH_LOAD ?? '{}') as { url: string; seconds: number; connections: number };
  const run = (duration: number) =>
    autocannon({
      url: spec.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLER.token}` },
      body: JSON.stringify({ userId: 'viewer-000001', attributes: { seat: 'A7' } }),
      connections: spec.connections,
      duration,
    });
  await run(1);
  const r = await run(spec.seconds);
  console.log(
    `RESULT ${JSON.stringify({ perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors })}`,
  );
}

interface Rep {
  bare: number;
  bareAsync: number;
  fn: number;
  http: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function oneRep(o: TokenBenchOptions): Promise<Rep> {
  const signing = spawnRole(0, 'sign', { BENCH_SECONDS: String(o.seconds) });
  const { bare, bareAsync, fn } = JSON.parse((await waitForLine(signing, /RESULT (\{.*\})\n/, 'signing'))[1]!) as Rep;
  await stopChild(signing);
  const service = spawnRole(0, 'service');
  try {
    const url = (await waitForLine(service, /LISTENING (\S+)\n/, 'token service'))[1]!;
    const load = spawnRole(1, 'load', {
      BENCH_LOAD: JSON.stringify({
        url: `${url}/shows/bench/viewer-tokens`,
        seconds: o.seconds,
        connections: o.connections,
      }),
    });
    const r = JSON.parse((await waitForLine(load, /RESULT (\{.*\})\n/, 'load'))[1]!) as {
      perSecond: number;
      p50: number;
      p99: number;
      non2xx: number;
    };
    await stopChild(load);
    return { bare, bareAsync, fn, http: r.perSecond, p50: r.p50, p99: r.p99, non2xx: r.non2xx };
  } finally {
    await stopChild(service);
  }
}

const spread = (values: number[]) =>
  `${Math.round(median(values)).toLocaleString('en-US')} (${Math.round(Math.min(...values)).toLocaleString('en-US')}–${Math.round(Math.max(...values)).toLocaleString('en-US')})`;

/** Whether the figures were taken with the cores already busy, said in so many words. */
function loadNote(machine: ScenarioReport['machineBefore']): string {
  const load1 = Math.round((machine.loadAverage[0] ?? Number.NaN) * 10) / 10;
  return Number.isFinite(load1) && load1 > machine.cores
    ? `Taken on a loaded machine: load average ${load1} on ${machine.cores} cores before the run (other engineers' ` +
        'tests), so every process got a fraction of its core and the absolute rates are far below an idle core’s; ' +
        'the ratios (measured side by side) say more than the rates.'
    : `Load average before the run: ${String(load1)} on ${machine.cores} cores.`;
}

export async function runTokens(o: TokenBenchOptions, progress: Progress, command: string): Promise<ScenarioReport> {
  const run = startScenarioRun();
  const { machineBefore } = run;
  const reps: Rep[] = [];
  for (let i = 0; i < o.reps; i++) {
    progress(`tokens: repetition ${i + 1}/${o.reps}…`);
    reps.push(await oneRep(o));
  }
  const col = (pick: (r: Rep) => number) => reps.map(pick);
  const httpVsApi = median(col((r) => r.http)) / CREATE_PARTICIPANT_TOKEN_TPS;
  const ratio = (a: (r: Rep) => number, b: (r: Rep) => number) => (median(col(a)) / median(col(b))).toFixed(2);
  const rows: SummaryRow[] = [
    {
      figure: 'Viewer tokens/s, one token-service process over HTTP (median, min–max)',
      value: spread(col((r) => r.http)),
      target: `> ${CREATE_PARTICIPANT_TOKEN_TPS} (CreateParticipantToken quota)`,
      verdict: httpVsApi > 1 ? 'met' : 'missed',
      note: `${httpVsApi.toFixed(0)}× the CreateParticipantToken quota`,
    },
    { figure: 'Viewer tokens/s, the bare signing function (jose)', value: spread(col((r) => r.fn)) },
    { figure: 'ES384 signatures/s, bare crypto.sign on the same core', value: spread(col((r) => r.bare)) },
    {
      figure: 'ES384 signatures/s, bare crypto.sign with a callback (thread pool), same core',
      value: spread(col((r) => r.bareAsync)),
    },
  ];
  const details = [
    `Method: ${o.reps} repetitions; each measures bare \`crypto.sign\` (ES384, P-384, IEEE P1363) and the signing ` +
      `function for ${o.seconds} s each in one process (interleaved in 250 ms slices, so load swings hit all three ` +
      `alike), then the HTTP service in a fresh process loaded by autocannon ` +
      `(${o.connections} connections, ${o.seconds} s after 1 s of warm-up) from another. ` +
      (hasTaskset
        ? 'Signing and the service on core 0, autocannon on core 1 (taskset).'
        : 'taskset not found: processes NOT pinned.') +
      ' The machine is shared with other work (see the load averages), so rates swing between repetitions: the ' +
      'spread says by how much. The service asks the show for its key once per 2 s; a stub answers here.',
    '',
    markdownTable(
      [
        'rep',
        'crypto.sign/s',
        'crypto.sign callback/s',
        'signing function/s',
        'HTTP tokens/s',
        'HTTP p50 ms',
        'HTTP p99 ms',
        'non-2xx',
      ],
      reps.map((r, i) => [
        String(i + 1),
        Math.round(r.bare).toLocaleString('en-US'),
        Math.round(r.bareAsync).toLocaleString('en-US'),
        Math.round(r.fn).toLocaleString('en-US'),
        Math.round(r.http).toLocaleString('en-US'),
        String(r.p50),
        String(r.p99),
        String(r.non2xx),
      ]),
    ),
    '',
    `Ratios of the medians: signing function ${ratio(
      (r) => r.fn,
      (r) => r.bareAsync,
    )}× bare crypto.sign with a ` +
      `callback (what jose calls) and ${ratio(
        (r) => r.fn,
        (r) => r.bare,
      )}× synchronous crypto.sign; HTTP ` +
      `${ratio(
        (r) => r.http,
        (r) => r.bareAsync,
      )}× and ${ratio(
        (r) => r.http,
        (r) => r.bare,
      )}× of them; HTTP ` +
      `${httpVsApi.toFixed(0)}× CreateParticipantToken's ${CREATE_PARTICIPANT_TOKEN_TPS} TPS per account.`,
    '',
    loadNote(machineBefore),
  ];
  return run.report({ id: 'tokens', title: 'Audience tokens: one token-service process', command, rows, details });
}

if (require.main === module) {
  const { values } = parseArgs({ options: { role: { type: 'string' } }, strict: false });
  const roles: Record<string, () => Promise<void>> = { sign: roleSign, service: roleService, load: roleLoad };
  const role = roles[String(values.role)];
  if (!role) throw new Error('token-bench.ts runs as part of `npm run bench -- --only tokens`');
  role().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
