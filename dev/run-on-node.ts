import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureNodeLine, pinnedNodeLines } from './tools/ensure-node-line';
import { runSetup } from './tools/version-output';

/**
 * `npm run on-node -- <major> <command...>`: runs a command with a pinned Node.js line first on PATH, e.g.
 * `npm run on-node -- 24 npm test -- test/contracts`. CI uses it to run tests on every supported LTS line, not only
 * the machine's own Node.
 */
async function main(): Promise<void> {
  const [major, ...command] = process.argv.slice(2);
  if (!major || command.length === 0)
    throw new Error(`usage: npm run on-node -- <${[...pinnedNodeLines().keys()].join('|')}> <command...>`);
  const node = await ensureNodeLine(major);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  // npm sets npm_node_execpath for its children; left as is, tools that honour it would go back to the old Node.
  delete env.npm_node_execpath;
  delete env.NODE;
  const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 : 1))),
  );
  process.exit(code);
}

runSetup(main);
