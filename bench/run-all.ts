/**
 * `npm run bench [-- --only overhead,index ...]`: Showrunner's benchmark figures, not a test. Each scenario runs in
 * a child process of its own (a fresh stack, a fresh Temporal runtime, memory figures that belong to it alone), writes
 * its report to bench/results/<scenario>.json, and BENCHMARKS.md is rebuilt from the latest report of every scenario,
 * so running one scenario alone refreshes its section and keeps the others.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  machineSnapshot,
  REPO_ROOT,
  RESULTS_DIR,
  DEFAULT_SCENARIO_IDS,
  SCENARIO_IDS,
  type Progress,
  type ScenarioId,
  type ScenarioReport,
} from './bench-support';
import { renderBenchmarks, renderSummaryTable } from './benchmarks-report';
import { PRODUCTION_ALLOCATOR, WORKER_ALLOCATORS } from '../dev/process/worker-allocator';
import { FLEET_TEMPORALS, runFleet } from './fleet-bench';
import { runHistory } from './history-bench';
import { runIndex } from './index-bench';
import { runOverhead } from './overhead-bench';
import { runReaction } from './reaction-bench';
import { runScale } from './scale-bench';
import { runTokens } from './token-bench';

const SELF = path.join(REPO_ROOT, 'bench', 'run-all.ts');
const OUT = path.join(REPO_ROOT, 'BENCHMARKS.md');
const DEFAULT_SCALE_SHOWS = 100;

const OPTIONS = {
  only: { type: 'string' },
  reps: { type: 'string', default: '3' },
  'history-minutes': { type: 'string', default: '2' },
  'index-objects': { type: 'string', default: '100000' },
  'index-runs': { type: 'string', default: '3' },
  'scale-shows': { type: 'string', default: String(DEFAULT_SCALE_SHOWS) },
  'scale-500': { type: 'boolean', default: false },
  'scale-1000': { type: 'boolean', default: false },
  'scale-window': { type: 'string', default: '60' },
  'scale-cache': { type: 'string' },
  'scale-heap': { type: 'string' },
  allocator: { type: 'string', default: PRODUCTION_ALLOCATOR },
  'tokens-reps': { type: 'string', default: '5' },
  'tokens-seconds': { type: 'string', default: '5' },
  'fleet-shows': { type: 'string', default: '900' },
  'fleet-workers': { type: 'string', default: '3' },
  'fleet-rate': { type: 'string', default: '6' },
  'fleet-temporal': { type: 'string', default: 'cluster' },
  'no-write': { type: 'boolean', default: false },
  'report-only': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
  /** Internal: run one scenario in this process and write its report to this file. */
  scenario: { type: 'string' },
  'result-file': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

const HELP = `npm run bench -- [options]
  --only a,b            scenarios to run (${SCENARIO_IDS.join(', ')}); all but fleet by default
  --reps N              repetitions for overhead and reaction (3)
  --history-minutes M   steady window of the history scenario (2)
  --index-objects N     recording objects to index (100000)
  --index-runs N        indexer runs over the same objects; the median time is reported (3)
  --scale-shows N       concurrent shows of the scale scenario (100)
  --scale-500           scale with 500 shows instead
  --scale-1000          scale with 1,000 shows instead
  --scale-window S      seconds of steady monitoring measured (60)
  --scale-cache N       the worker's SHOWRUNNER_MAX_CACHED_WORKFLOWS (the worker's default)
  --scale-heap MB       the worker's --max-old-space-size (Node's default)
  --allocator A         the malloc of the scale and fleet workers: ${WORKER_ALLOCATORS.join(', ')}
                        (${PRODUCTION_ALLOCATOR}, the image's; jemalloc needs Debian's libjemalloc2)
  --tokens-reps N       repetitions of the tokens scenario (5)
  --tokens-seconds S    seconds per rate measured in the tokens scenario (5)
  --fleet-shows N       shows of the fleet scenario (900; not in the default run: --only fleet)
  --fleet-workers N     worker processes of the fleet scenario (3)
  --fleet-rate R        fleet show starts per second over all accounts and regions (6)
  --fleet-temporal T    the server the fleet shares: cluster (Temporal on PostgreSQL, the production topology;
                        built by npm run setup:cluster) or dev (the dev server) (cluster)
  --no-write            a trial run: keep bench/results/ and BENCHMARKS.md, write the reports to a temporary folder
  --report-only         run nothing: rewrite BENCHMARKS.md from bench/results/*.json`;

function positive(values: Values, name: keyof Values): number {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

function oneOf<T extends string>(values: Values, name: keyof Values, choices: readonly T[]): T {
  const value = values[name];
  if (!choices.includes(value as T))
    throw new Error(`--${name} must be one of ${choices.join(', ')}, not ${String(value)}`);
  return value as T;
}

/** The command that reproduces one scenario, as BENCHMARKS.md shows it. */
function scenarioCommand(id: ScenarioId, argv: string[]): string {
  const passed = argv.filter((a, i) => !['--only', '--no-write'].includes(a) && argv[i - 1] !== '--only');
  return `npm run bench -- --only ${id}${passed.length ? ` ${passed.join(' ')}` : ''}`;
}

async function runScenario(id: ScenarioId, values: Values, command: string, progress: Progress) {
  const reps = Math.round(positive(values, 'reps'));
  switch (id) {
    case 'overhead': {
      // Status queries every 25 ms: the script is timed by its own clock, so the show's side should not carry a coarse
      // query interval (at 100 ms it added ~50 ms on average to each of start, join and end).
      return runOverhead({ reps, latenciesMs: [0, 50], pollMs: 1_000, statusPollMs: 25 }, progress, command);
    }
    case 'history': {
      return runHistory({ steadyMinutes: positive(values, 'history-minutes') }, progress, command);
    }
    case 'reaction': {
      return runReaction({ reps, statusPollMs: 100 }, progress, command);
    }
    case 'index': {
      return runIndex(
        { objects: Math.round(positive(values, 'index-objects')), runs: Math.round(positive(values, 'index-runs')) },
        progress,
        command,
      );
    }
    case 'scale': {
      return runScale(
        {
          shows: scaleShows(values),
          windowSeconds: positive(values, 'scale-window'),
          maxCachedWorkflows:
            values['scale-cache'] === undefined ? undefined : Math.round(positive(values, 'scale-cache')),
          heapLimitMb: values['scale-heap'] === undefined ? undefined : Math.round(positive(values, 'scale-heap')),
          allocator: oneOf(values, 'allocator', WORKER_ALLOCATORS),
        },
        progress,
        command,
      );
    }
    case 'tokens': {
      return runTokens(
        {
          reps: Math.max(5, Math.round(positive(values, 'tokens-reps'))),
          seconds: positive(values, 'tokens-seconds'),
          connections: 20,
        },
        progress,
        command,
      );
    }
    case 'fleet': {
      return runFleet(
        {
          shows: Math.round(positive(values, 'fleet-shows')),
          workers: Math.round(positive(values, 'fleet-workers')),
          perSecond: positive(values, 'fleet-rate'),
          windowSeconds: 30,
          temporal: oneOf(values, 'fleet-temporal', FLEET_TEMPORALS),
          allocator: oneOf(values, 'allocator', WORKER_ALLOCATORS),
        },
        progress,
        command,
      );
    }
  }
}

/** Child side: one scenario, its report as JSON. */
async function child(values: Values): Promise<void> {
  const id = values.scenario as ScenarioId;
  if (!SCENARIO_IDS.includes(id)) throw new Error(`unknown scenario ${id}`);
  const argv = JSON.parse(process.env.BENCH_ARGV ?? '[]') as string[];
  const progress: Progress = (line) => process.stderr.write(`  [${id}] ${line}\n`);
  const report = await runScenario(id, values, scenarioCommand(id, argv), progress);
  const prettier = await import('prettier');
  fs.writeFileSync(values['result-file']!, await prettier.format(JSON.stringify(report), { parser: 'json' }));
}

/** Scale runs with another show count keep their own results file, so the default run's figures stay. */
function scaleShows(values: Values): number {
  return values['scale-1000'] ? 1000 : values['scale-500'] ? 500 : Math.round(positive(values, 'scale-shows'));
}

function resultKey(id: ScenarioId, values: Values): string {
  return id === 'scale' && scaleShows(values) !== DEFAULT_SCALE_SHOWS ? `scale-${scaleShows(values)}` : id;
}

function runChild(id: ScenarioId, argv: string[], values: Values, resultsDir: string): Promise<ScenarioReport | Error> {
  const resultFile = path.join(resultsDir, `${resultKey(id, values)}.json`);
  const started = Date.now();
  const before = fs.existsSync(resultFile) ? fs.statSync(resultFile).mtimeMs : 0;
  const args = ['--import', 'tsx', SELF, ...argv, '--scenario', id, '--result-file', resultFile];
  const proc = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_ARGV: JSON.stringify(argv) },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-8000);
    // Progress lines only: the SDKs' start-up warnings would bury them.
    for (const line of text.split('\n')) if (line.startsWith('  [')) process.stderr.write(`${line}\n`);
  });
  return new Promise((resolve) => {
    proc.on('exit', (code) => {
      const fresh = fs.existsSync(resultFile) && fs.statSync(resultFile).mtimeMs > before;
      if (code === 0 && fresh) resolve(JSON.parse(fs.readFileSync(resultFile, 'utf8')) as ScenarioReport);
      else
        resolve(
          new Error(`${id} failed (exit ${code}) after ${Math.round((Date.now() - started) / 1000)} s:\n${stderr}`),
        );
    });
  });
}

/** The latest report of every scenario, and of every scale run with another show count. */
function loadReports(): ScenarioReport[] {
  const known = new RegExp(`^(${SCENARIO_IDS.join('|')}|scale-\\d+)\\.json$`);
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => known.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as ScenarioReport);
}

async function writeBenchmarks(): Promise<void> {
  const prettier = await import('prettier');
  const markdown = await prettier.format(renderBenchmarks(loadReports()), { parser: 'markdown', printWidth: 120 });
  fs.writeFileSync(OUT, markdown);
  console.log(`wrote ${path.relative(REPO_ROOT, OUT)}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({ args: argv, options: OPTIONS });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (values.scenario) {
    await child(values);
    // The Temporal runtime and SDK clients keep handles open; the report is written, so this child is done.
    process.exit(0);
  }

  if (values['report-only']) return writeBenchmarks();

  const only = values.only ? values.only.split(',').map((s) => s.trim()) : DEFAULT_SCENARIO_IDS;
  for (const id of only) if (!SCENARIO_IDS.includes(id as ScenarioId)) throw new Error(`unknown scenario ${id}`);
  const machine = machineSnapshot();
  console.error(
    `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average ${machine.loadAverage.join(' / ')}`,
  );
  // A trial run leaves the recorded figures alone: its reports go to a folder of their own.
  const resultsDir = values['no-write'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-bench-')) : RESULTS_DIR;
  fs.mkdirSync(resultsDir, { recursive: true });
  const started = Date.now();
  const failures: string[] = [];
  const ran: ScenarioReport[] = [];
  for (const id of only as ScenarioId[]) {
    console.error(`\n▶ ${id} (load average ${machineSnapshot().loadAverage.join(' / ')})`);
    const result = await runChild(id, argv, values, resultsDir);
    if (result instanceof Error) {
      failures.push(result.message);
      console.error(result.message);
    } else {
      ran.push(result);
      console.error(`  ${id} done in ${result.durationSeconds} s`);
    }
  }
  console.log(`\n${renderSummaryTable(ran)}\n`);
  console.log(
    `Total ${Math.round((Date.now() - started) / 1000)} s; load average now ${machineSnapshot().loadAverage.join(' / ')}`,
  );
  if (values['no-write']) console.log(`reports kept in ${resultsDir}`);
  else await writeBenchmarks();
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
