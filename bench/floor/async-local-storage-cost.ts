/**
 * `npx tsx bench/floor/async-local-storage-cost.ts`: what a pending promise weighs with N enabled AsyncLocalStorage
 * instances, on this Node.js and on each pinned line (22 with and without AsyncContextFrame, 24), each in a fresh
 * process. A cached workflow enables about three (worker/async-context.ts says why this matters); the figures are
 * the median of 3 runs with their spread, live heap after a full GC, over 20,000 promises.
 */
import { execFileSync } from 'node:child_process';
import { ASYNC_CONTEXT_FRAME_FLAG } from '../../worker/async-context';
import { ensureNodeLine, pinnedNodeLines } from '../../dev/tools/ensure-node-line';

const PROBE = `
const { AsyncLocalStorage } = require('node:async_hooks');
const n = Number(process.argv[1]);
const stores = Array.from({ length: n }, () => new AsyncLocalStorage());
stores.forEach((s, i) => s.enterWith(i));
const keep = [];
gc(); gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 20000; i++) keep.push(new Promise(() => {}));
gc(); gc();
process.stdout.write(String((process.memoryUsage().heapUsed - before) / keep.length));
`;
const COUNTS = [10, 300, 1000, 3000];
const RUNS = 3;

function bytesPerPromise(node: string, flags: string[], n: number): number {
  return Number(execFileSync(node, [...flags, '--expose-gc', '-e', PROBE, String(n)], { encoding: 'utf8' }));
}

async function main(): Promise<void> {
  const lines: { label: string; node: string; flags: string[] }[] = [
    { label: `${process.versions.node} (this Node.js)`, node: process.execPath, flags: [] },
  ];
  for (const [major, version] of pinnedNodeLines()) {
    const node = await ensureNodeLine(major);
    lines.push({ label: version, node, flags: [] });
    if (Number(major) < 24)
      lines.push({ label: `${version} ${ASYNC_CONTEXT_FRAME_FLAG}`, node, flags: [ASYNC_CONTEXT_FRAME_FLAG] });
  }
  console.log(`| Node.js | ${COUNTS.map((n) => `${n} stores`).join(' | ')} |`);
  console.log(`|---|${COUNTS.map(() => '---').join('|')}|`);
  for (const line of lines) {
    const cells = COUNTS.map((n) => {
      const runs = Array.from({ length: RUNS }, () => bytesPerPromise(line.node, line.flags, n)).sort((a, b) => a - b);
      const median = runs[Math.floor(RUNS / 2)]!;
      return `${Math.round(median).toLocaleString('en')} B (${Math.round(runs[0]!)}–${Math.round(runs[RUNS - 1]!)})`;
    });
    console.log(`| ${line.label} | ${cells.join(' | ')} |`);
  }
  console.log('\nBytes of live heap per pending promise, median of 3 runs (min–max).');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
