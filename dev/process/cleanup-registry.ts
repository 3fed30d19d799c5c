import fs from 'node:fs';

/**
 * Every process group and temp dir this process started and has not yet stopped or removed, so that a second
 * Ctrl-C (or one during start-up, before any stop function exists) can end them all synchronously. Servers run in
 * process groups of their own (dev/process/managed-process.ts) and never see the terminal's signals themselves.
 */
const groups = new Set<number>();
const dirs = new Set<string>();

export const cleanupRegistry = {
  addGroup: (pid: number) => groups.add(pid),
  removeGroup: (pid: number) => groups.delete(pid),
  addDir: (dir: string) => dirs.add(dir),
  removeDir: (dir: string) => dirs.delete(dir),
  /** SIGKILL to every live group, then every temp dir removed. Synchronous: safe in a signal handler before exit. */
  killEverything(): { groups: number; dirs: number } {
    const counts = { groups: groups.size, dirs: dirs.size };
    for (const pid of groups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    groups.clear();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    dirs.clear();
    return counts;
  },
};
