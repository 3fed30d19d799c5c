/**
 * BENCHMARKS.md from the scenarios' reports: the machine, the commands, one summary table, then each scenario's
 * method and detailed figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  markdownTable,
  SCENARIO_IDS,
  type MachineSnapshot,
  type ScenarioReport,
  type SummaryRow,
} from './bench-support';

const ON_PAPER = path.join(__dirname, 'on-paper.md');

const load = (m: MachineSnapshot) => m.loadAverage.map((l) => l.toFixed(2)).join(' / ');
const label = (r: ScenarioReport) => (r.scaleShows ? `${r.id} (${r.scaleShows.toLocaleString('en-US')})` : r.id);

/** Scale sizes behind flags; when no run of them is on record, the summary says why. */
const SCALE_SIZES: Record<number, { flag: string; reason: string }> = {
  500: {
    flag: '--scale-500',
    reason:
      'not part of the default run, which must stay under ~15 min on two shared cores: starting the shows alone ' +
      'takes 500 / 4 per second ≈ 2 min (CreateStage and StartComposition are rate-limited to 5 TPS per account).',
  },
  1000: {
    flag: '--scale-1000',
    reason:
      'with 500 shows one worker on these two shared cores is already saturated while the shows start ' +
      '(see scale (500): seconds of workflow task schedule-to-start at p99, throttled IVS calls) and one change on ' +
      'every composition takes about a minute to reach every show; 1,000 needs over 4 min of starts within the 5 TPS ' +
      'rates and about twice the worker memory, a run of ~15 min that would load cores other people are using.',
  },
};

function ordered(reports: ScenarioReport[]): ScenarioReport[] {
  return [...reports].sort(
    (a, b) => SCENARIO_IDS.indexOf(a.id) - SCENARIO_IDS.indexOf(b.id) || (a.scaleShows ?? 0) - (b.scaleShows ?? 0),
  );
}

function notRunRows(reports: ScenarioReport[]): [string, SummaryRow][] {
  if (!reports.some((r) => r.id === 'scale')) return [];
  return Object.entries(SCALE_SIZES)
    .filter(([n]) => !reports.some((r) => r.scaleShows === Number(n)))
    .map(([n, { flag, reason }]) => [
      `scale (${Number(n).toLocaleString('en-US')})`,
      {
        figure: `${Number(n).toLocaleString('en-US')} shows (\`${flag}\`)`,
        value: '—',
        verdict: 'not run',
        note: reason,
      },
    ]);
}

export function renderSummaryTable(reports: ScenarioReport[]): string {
  const rows: [string, SummaryRow][] = [
    ...ordered(reports).flatMap((r) => r.rows.map((row): [string, SummaryRow] => [label(r), row])),
    ...notRunRows(reports),
  ];
  return markdownTable(
    ['scenario', 'figure', 'value', 'target', 'verdict'],
    rows.map(([scenario, row]) => [
      scenario,
      row.figure,
      row.value,
      row.target ?? '',
      row.verdict === 'missed' ? '**missed**' : (row.verdict ?? ''),
    ]),
  );
}

export function renderBenchmarks(reports: ScenarioReport[]): string {
  const all = ordered(reports);
  const machine = all[0]?.machineBefore;
  const out: string[] = [
    '# Showrunner benchmarks',
    '',
    'Figures from `npm run bench` (bench/run-all.ts), written by the run itself. Each scenario also runs alone ' +
      '(`npm run bench -- --only <scenario>`) and then replaces only its own section. Benchmarks print figures: ' +
      'they are not tests and fail nothing.',
    '',
  ];
  if (machine) {
    out.push(
      '## Machine and commands',
      '',
      `- CPU: ${machine.cpu}, ${machine.cores} cores`,
      `- Node ${machine.node}, ${machine.platform}, ${machine.memoryGb} GB RAM`,
      '- The cores are shared with other work: the load average (1 / 5 / 15 min) before and after each scenario is ' +
        'part of its figures.',
      `- Full run: \`npm run bench\` (every scenario, scale at 100 shows; the scenarios below took ` +
        `${Math.round(all.filter((r) => !r.scaleShows || r.scaleShows === 100).reduce((t, r) => t + r.durationSeconds, 0) / 60)} min ` +
        'in all). One scenario: `npm run bench -- --only <scenario>`; options: `npm run bench -- --help`.',
      '',
      markdownTable(
        ['scenario', 'run at (UTC)', 'took s', 'load before', 'load after', 'command'],
        all.map((r) => [
          label(r),
          r.startedAt.replace('T', ' ').slice(0, 19),
          String(r.durationSeconds),
          load(r.machineBefore),
          load(r.machineAfter),
          `\`${r.command}\``,
        ]),
      ),
      '',
    );
  }
  out.push('## Summary', '', renderSummaryTable(all), '');
  const missing = SCENARIO_IDS.filter((id) => !all.some((r) => r.id === id));
  if (missing.length > 0) out.push(`Not run yet: ${missing.join(', ')}.`, '');
  const noted = [
    ...all.flatMap((r) => r.rows.filter((row) => row.note).map((row): [string, SummaryRow] => [label(r), row])),
    ...notRunRows(all),
  ];
  const bullet = ([scenario, row]: [string, SummaryRow]) =>
    `- **${scenario}: ${row.figure}**${row.verdict ? ` (${row.verdict})` : ''}: ${row.note}`;
  // A met target's note explains a figure; it does not belong among the reasons for misses.
  const misses = noted.filter(([, row]) => row.verdict === 'missed' || row.verdict === 'not run').map(bullet);
  const others = noted.filter(([, row]) => row.verdict !== 'missed' && row.verdict !== 'not run').map(bullet);
  if (misses.length > 0) out.push('Targets missed and figures not run, with the reason:', '', ...misses, '');
  if (others.length > 0) out.push('Notes on the other figures:', '', ...others, '');
  for (const r of all) {
    out.push(`## ${r.title}`, '', `Command: \`${r.command}\` (run at ${r.startedAt}, ${r.durationSeconds} s).`, '');
    out.push(...r.details, '');
  }
  // Written by hand from the figures above (not by a run): what grows with shows, and sizing beyond one machine.
  out.push(fs.readFileSync(ON_PAPER, 'utf8').trim(), '');
  return out.join('\n');
}
