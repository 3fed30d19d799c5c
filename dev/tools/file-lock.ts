import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileLockOptions {
  timeoutMs?: number;
  pollMs?: number;
  /** Called once when we start waiting, so a multi-minute wait is not silent. */
  onWait?: (holderPid: number | undefined) => void;
}

/**
 * Cross-process mutual exclusion via `mkdir`, which is atomic on every local filesystem and needs no native module.
 * A lock left behind by a crashed process is detected through the pid it recorded and taken over.
 */
export async function withFileLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const { timeoutMs = 60 * 60 * 1000, pollMs = 500, onWait } = options;
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    if (tryAcquire(lockDir)) break;
    const holder = readHolderPid(lockDir);
    if (holder === undefined ? isOlderThan(lockDir, 60_000) : !isProcessAlive(holder)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for lock ${lockDir} (held by pid ${holder ?? 'unknown'})`,
      );
    }
    if (!announced) {
      announced = true;
      onWait?.(holder);
    }
    await sleep(pollMs);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function tryAcquire(lockDir: string): boolean {
  try {
    fs.mkdirSync(lockDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  fs.writeFileSync(`${lockDir}/pid`, String(process.pid));
  return true;
}

function readHolderPid(lockDir: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(`${lockDir}/pid`, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    // The holder may be between mkdir and writing its pid; the caller falls back to the lock's age.
    return undefined;
  }
}

function isOlderThan(file: string, ageMs: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ageMs;
  } catch {
    return false;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
