import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanupRegistry } from './cleanup-registry';
import { indent, readFileTail } from './output-tail';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  pid: number;
  command: string;
  args: readonly string[];
  logFile: string;
  /** Set once the process has exited. */
  exit: ProcessExit | undefined;
  exited: Promise<ProcessExit>;
  /** An error quoting the log tail if the process has already exited, for use while waiting for readiness. */
  exitedEarlyError(what: string): Error | undefined;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

export interface SpawnManagedOptions {
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Spawns a long-running server in its own process group with stdout/stderr appended to `logFile`, so the test
 * output stays clean and a failure can quote what the server said.
 */
export function spawnManaged(command: string, args: readonly string[], options: SpawnManagedOptions): ManagedProcess {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logFd = fs.openSync(options.logFile, 'a');
  fs.writeSync(logFd, `\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = (() => {
    try {
      return spawn(command, args, {
        // A separate process group lets stop() signal anything the server forks, and keeps the terminal's Ctrl-C
        // from killing it before the runner's own cleanup gets to stop it in order.
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: options.env ?? process.env,
        cwd: options.cwd,
      });
    } finally {
      fs.closeSync(logFd);
    }
  })();
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', (error) => {
      fs.appendFileSync(options.logFile, `spawn error: ${error.message}\n`);
      exit = { code: null, signal: null };
      resolve(exit);
    });
  });
  if (child.pid === undefined) throw new Error(`Failed to spawn ${command}; see ${options.logFile}`);
  const pid = child.pid;
  cleanupRegistry.addGroup(pid);

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };

  return {
    pid,
    command,
    args,
    logFile: options.logFile,
    get exit() {
      return exit;
    },
    exited,
    exitedEarlyError(what) {
      if (!exit) return undefined;
      return new Error(
        `${what} exited early (${exit.code === null ? `signal ${exit.signal ?? '?'}` : `code ${exit.code}`}). ` +
          `Command: ${command} ${args.join(' ')}\nLast lines of ${options.logFile}:\n` +
          indent(readFileTail(options.logFile, 30)),
      );
    },
    async stop(graceMs = 10_000) {
      if (exit) {
        // The leader is gone but children in its group may linger.
        signalGroup('SIGKILL');
        cleanupRegistry.removeGroup(pid);
        return exit;
      }
      signalGroup('SIGTERM');
      // Cancelled once the process exits, so a quick stop doesn't leave a timer holding the event loop open.
      const graceTimer = new AbortController();
      const graceOver = sleep(graceMs, undefined, { signal: graceTimer.signal }).catch(() => undefined);
      await Promise.race([exited, graceOver]);
      graceTimer.abort();
      signalGroup('SIGKILL');
      cleanupRegistry.removeGroup(pid);
      return exited;
    },
  };
}
