import fs from 'node:fs';
import path from 'node:path';
import { findOnPath, isExecutableFile } from './executables';
import { findGo, goInstallIntoCache } from './go-install';
import { cachedToolPath } from './tool-cache';
import { toolSpec, type ToolName } from './tool-versions';

export type ToolSource = 'env' | 'path' | 'cache' | 'built';

export interface ResolvedTool {
  path: string;
  source: ToolSource;
}

/** Where the tool can be found without building it, or why it can't be. */
export type LocalLookup = ResolvedTool | { missing: true };

/**
 * Precedence: explicit env override, then PATH, then our cache. The env override is strict because a typo there
 * should fail loudly rather than silently fall through to a different binary.
 */
export function findToolLocally(name: ToolName, envVar: string, env: NodeJS.ProcessEnv = process.env): LocalLookup {
  const spec = toolSpec(name);
  const override = env[envVar];
  if (override) {
    const absolute = path.resolve(override);
    if (!fs.existsSync(absolute))
      throw new Error(`${envVar}=${override} does not exist (expected the ${spec.binary} binary)`);
    if (!isExecutableFile(absolute)) throw new Error(`${envVar}=${override} is not an executable file`);
    return { path: absolute, source: 'env' };
  }
  const onPath = findOnPath(spec.binary, env.PATH);
  if (onPath) return { path: onPath, source: 'path' };
  const cached = cachedToolPath(spec, env);
  if (isExecutableFile(cached)) return { path: cached, source: 'cache' };
  return { missing: true };
}

/** Finds the tool or builds it from the Go module proxy; throws if neither is possible. */
export async function ensureTool(name: ToolName, envVar: string): Promise<ResolvedTool> {
  const local = findToolLocally(name, envVar);
  if (!('missing' in local)) return local;
  const spec = toolSpec(name);
  const go = findGo();
  if (!go) {
    throw new Error(
      `${spec.binary} ${spec.version} is not installed and Go is not on PATH to build it. Either install Go ` +
        `(https://go.dev/dl/) and re-run \`npm run setup:tools\`, put ${spec.binary} on PATH, or set ${envVar} ` +
        `to its path (\`go install ${spec.goModule}@v${spec.version}\`).`,
    );
  }
  return { path: await goInstallIntoCache(spec, go, envVar), source: 'built' };
}
