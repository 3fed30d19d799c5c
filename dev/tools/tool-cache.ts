import os from 'node:os';
import path from 'node:path';
import type { ToolSpec } from './tool-versions';

/** Outside the repo so `git clean` or a fresh clone doesn't throw away multi-minute Go builds. */
export function showrunnerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHOWRUNNER_CACHE_DIR) return path.resolve(env.SHOWRUNNER_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(xdg, 'showrunner');
}

export function toolsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(showrunnerCacheDir(env), 'tools');
}

/** The version is in the directory name so a bump never reuses a stale binary. */
export function cachedToolDir(spec: ToolSpec, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(toolsCacheDir(env), `${spec.name}-${spec.version}`);
}

export function cachedToolPath(spec: ToolSpec, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cachedToolDir(spec, env), spec.binary);
}
