import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findOnPath } from './executables';
import { withFileLock } from './file-lock';
import { indent, OutputTail } from '../process/output-tail';
import { cachedToolDir, cachedToolPath, toolsCacheDir } from './tool-cache';
import type { ToolSpec } from './tool-versions';

export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath('go', env.PATH);
}

/**
 * Builds the pinned tool into the cache with `go install` and returns the binary's path.
 * Concurrent callers (parallel test runs, two terminals) serialise on a lock; the binary is built into a private
 * GOBIN and renamed into place, so a reader never sees a half-written executable.
 */
export async function goInstallIntoCache(spec: ToolSpec, goBinary: string, envVar: string): Promise<string> {
  const finalPath = cachedToolPath(spec);
  fs.mkdirSync(toolsCacheDir(), { recursive: true });
  const lockDir = path.join(toolsCacheDir(), `.${spec.name}-${spec.version}.lock`);
  return withFileLock(
    lockDir,
    async () => {
      // Another process may have finished the build while we waited for the lock.
      if (fs.existsSync(finalPath)) return finalPath;
      const stagingDir = path.join(toolsCacheDir(), `.build-${spec.name}-${spec.version}-${process.pid}`);
      fs.rmSync(stagingDir, { recursive: true, force: true });
      fs.mkdirSync(stagingDir, { recursive: true });
      try {
        await runGoInstall(spec, goBinary, stagingDir, envVar);
        const built = path.join(stagingDir, spec.binary);
        if (!fs.existsSync(built)) {
          throw new Error(`go install of ${spec.goModule}@v${spec.version} succeeded but produced no ${built}`);
        }
        fs.mkdirSync(cachedToolDir(spec), { recursive: true });
        fs.renameSync(built, finalPath);
        return finalPath;
      } finally {
        fs.rmSync(stagingDir, { recursive: true, force: true });
      }
    },
    { onWait: (pid) => log(`waiting for another process (pid ${pid ?? '?'}) that is building ${spec.name}…`) },
  );
}

const goInstallArgs = (spec: ToolSpec) => [
  'install',
  ...(spec.ldflags ? ['-ldflags', spec.ldflags] : []),
  `${spec.goModule}@v${spec.version}`,
];

/** The first run's notice: what is built, how long it takes, and how to skip it with a binary of one's own. */
export function firstBuildNotice(spec: ToolSpec, envVar: string): string {
  return (
    `${spec.what} ${spec.version} is not installed: building it from source, once, into ${cachedToolDir(spec)} ` +
    `with \`${spec.goToolchain ? `GOTOOLCHAIN=${spec.goToolchain} ` : ''}go ${goInstallArgs(spec).join(' ')}\`. This takes about ${spec.buildMinutes} minutes on two cores. ` +
    `To skip it, stop here (Ctrl-C) and set ${envVar}=/path/to/${spec.binary}, or put a ${spec.binary} binary on PATH.`
  );
}

async function runGoInstall(spec: ToolSpec, goBinary: string, gobin: string, envVar: string): Promise<void> {
  const args = goInstallArgs(spec);
  log(firstBuildNotice(spec, envVar));
  const started = Date.now();
  const tail = new OutputTail(30);
  const toolchain = spec.goToolchain ? { GOTOOLCHAIN: spec.goToolchain } : {};
  const child = spawn(goBinary, args, {
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', ...toolchain },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    tail.push(chunk);
    process.stderr.write(indent(chunk.toString().trimEnd(), `[${spec.name} build] `) + '\n');
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  // Compilation itself prints nothing for minutes; a heartbeat shows the build is alive.
  const heartbeat = setInterval(() => log(`still building ${spec.name}… ${elapsed(started)}`), 30_000);
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('close', (c, s) => resolve({ code: c, signal: s }));
      },
    );
    if (code !== 0) {
      throw new Error(
        `Building ${spec.name} failed: \`go ${args.join(' ')}\` (GOBIN=${gobin}, CGO_ENABLED=0` +
          `${spec.goToolchain ? `, GOTOOLCHAIN=${spec.goToolchain}` : ''}) ` +
          `exited with ${code ?? signal} after ${elapsed(started)}. Last output:\n${indent(tail.text() || '(none)')}`,
      );
    }
  } finally {
    clearInterval(heartbeat);
  }
  log(`built ${spec.name} ${spec.version} in ${elapsed(started)}`);
}

function elapsed(since: number): string {
  return `${Math.round((Date.now() - since) / 1000)}s`;
}

function log(message: string): void {
  process.stderr.write(`[showrunner tools] ${message}\n`);
}
