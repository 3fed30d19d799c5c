import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getFreePort, isPortFree } from '../../dev/process/net-utils';
import { STACK_PORTS, portOption, type StackService } from '../../dev/stack/stack-ports';
import { ensureVersitygw } from '../../dev/tools/ensure-versitygw';
import { testTemporalEnv } from '../support/test-env';
import { sleep, waitFor } from '../support/wait-for';

const REPO = path.resolve(__dirname, '../..');

/** Every process below `root`, from /proc: the stack's servers run in process groups of their own. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone while reading.
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Alive and not a zombie waiting for its parent. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function killAll(pids: number[]): void {
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

interface RunningStack {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ports: number[];
  logsDir: string;
  processes: number[];
}

/**
 * `npm run stack` as a user starts it in a terminal: npm, sh, tsx and the stack in one process group of their own
 * (the terminal's foreground group), on free ports, with a cache dir of its own so the user's key and env file
 * are not touched.
 */
void describe('npm run stack: Ctrl-C stops every process it started and removes its temp dir', () => {
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-stack-test-'));
    env = {
      ...process.env,
      SHOWRUNNER_CACHE_DIR: cacheDir,
      // The tools are found through these, not the (empty) cache dir above.
      TEMPORAL_CLI: testTemporalEnv().cliPath,
      VERSITYGW: await ensureVersitygw(),
    };
    delete env.NODE_TEST_CONTEXT;
  });
  after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  async function startStack(): Promise<RunningStack> {
    const ports: number[] = [];
    const args = ['run', 'stack', '--'];
    for (const service of Object.keys(STACK_PORTS) as StackService[]) {
      const port = await getFreePort();
      ports.push(port);
      args.push(portOption(service), String(port));
    }
    const child = spawn('npm', args, { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      // Generous: the first start on a fresh clone may bundle the workflows, and on a loaded two-core machine the
      // whole stack coming up took over 120 s once (a CI run while other work ran).
      await waitFor(() => text.includes('Ctrl-C stops it all.'), 240_000, {
        intervalMs: 200,
        description: () => `the stack to come up; output so far:\n${text}`,
      });
    } catch (e) {
      killAll(descendants(child.pid!));
      throw e;
    }
    const logsDir = /^ {2}logs +(\S+)$/m.exec(text)?.[1];
    const processes = descendants(child.pid!);
    const commands = processes.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    if (!logsDir || !commands.some((c) => c.includes('start-dev')) || !commands.some((c) => c.includes('versitygw'))) {
      killAll(processes);
      assert.fail(
        `the summary names its temp dir, and the dev server and versitygw run:\n${commands.join('\n')}\n${text}`,
      );
    }
    return { child, output: () => text, exit, ports, logsDir, processes };
  }

  async function assertAllGone(stack: RunningStack, within: number): Promise<void> {
    try {
      const exited = await Promise.race([stack.exit, sleep(within).then(() => undefined)]);
      assert.ok(exited, `the stack exited within ${within / 1000} s:\n${stack.output()}`);
      await waitFor(() => stack.processes.every((pid) => !alive(pid)), 5_000, {
        intervalMs: 100,
        description: `no process left: ${stack.processes.filter(alive).join(' ')}`,
      });
      assert.ok(!fs.existsSync(stack.logsDir), `${stack.logsDir} removed`);
      for (const port of stack.ports) assert.ok(await isPortFree(port), `port ${port} free again`);
      assert.ok(!fs.existsSync(path.join(cacheDir, 'local-stack', 'stack.env')), 'the env file removed');
    } finally {
      // A failed check must not leave its servers running for the rest of the suite.
      killAll(stack.processes);
      fs.rmSync(stack.logsDir, { recursive: true, force: true });
    }
  }

  void test('one SIGINT to the process group (a terminal’s Ctrl-C): an orderly stop', async () => {
    const stack = await startStack();
    assert.ok(fs.existsSync(path.join(cacheDir, 'local-stack', 'stack.env')), 'the env file is written');
    // The audience caller token is a secret: in a file only the user can read, named in the output, never printed.
    const tokenFile = path.join(stack.logsDir, 'audience-token');
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    assert.ok(token.length >= 32 && !stack.output().includes(token), 'the token is not printed');
    assert.ok(stack.output().includes(`SHOWRUNNER_AUDIENCE_TOKEN_FILE=${tokenFile}`));
    process.kill(-stack.child.pid!, 'SIGINT');
    await assertAllGone(stack, 40_000);
    assert.match(stack.output(), /SIGINT: stopping the local stack/);
    assert.match(stack.output(), /stopped/);
  });

  void test('two SIGINTs in a row: stopped at once, still nothing left behind', async () => {
    const stack = await startStack();
    process.kill(-stack.child.pid!, 'SIGINT');
    // As a person presses it again while the orderly stop runs (a repeat within 0.5 s counts as the same press).
    await sleep(800);
    process.kill(-stack.child.pid!, 'SIGINT');
    await assertAllGone(stack, 15_000);
    assert.match(stack.output(), /stopped at once \(\d+ process groups killed, 1 temp dirs removed\)/);
  });

  void test('Ctrl-C when the output pipe is gone too (`npm run stack | tee log`): still nothing left behind', async () => {
    const stack = await startStack();
    // The reader of the pipe (tee) dies with the same Ctrl-C: every later write of the stack gets EPIPE.
    stack.child.stdout!.destroy();
    stack.child.stderr!.destroy();
    process.kill(-stack.child.pid!, 'SIGINT');
    await assertAllGone(stack, 40_000);
  });

  void test('a port in use is named before anything starts', async () => {
    const ports = await Promise.all((Object.keys(STACK_PORTS) as StackService[]).map(() => getFreePort()));
    const blocker = (await import('node:net')).createServer();
    await new Promise<void>((resolve) => blocker.listen(ports[0], '127.0.0.1', resolve));
    try {
      const args = ['--import', 'tsx', path.join(REPO, 'dev/stack/run-stack.ts')];
      (Object.keys(STACK_PORTS) as StackService[]).forEach((s, i) => args.push(portOption(s), String(ports[i])));
      const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1);
      assert.match(
        text,
        new RegExp(`port ${ports[0]} \\(Temporal gRPC\\) is already in use .*--temporal-port`),
        'names the port, what it is for and the option that moves it',
      );
      assert.doesNotMatch(text, /starting the Temporal dev server/);
    } finally {
      blocker.close();
    }
  });
});
