import fs from 'node:fs';
import path from 'node:path';
import { isExecutableFile } from './executables';
import { findGo, goInstallIntoCache } from './go-install';
import type { ResolvedTool } from './resolve-tool';
import { cachedToolPath } from './tool-cache';
import { toolSpec, type ToolName } from './tool-versions';

/** Overrides, like TEMPORAL_CLI: a path to a binary built elsewhere (e.g. from a release archive). */
export const TEMPORAL_SERVER_ENV_VARS = {
  'temporal-server': 'TEMPORAL_SERVER',
  'temporal-sql-tool': 'TEMPORAL_SQL_TOOL',
  'temporal-ui-server': 'TEMPORAL_UI_SERVER',
} as const satisfies Partial<Record<ToolName, string>>;

export type TemporalServerTool = keyof typeof TEMPORAL_SERVER_ENV_VARS;

/**
 * The override, else the cache, else `go install` into the cache. Unlike the CLI there is no PATH lookup: the
 * binaries are called `server` and `sql`, names too generic to trust on PATH.
 */
export async function resolveTemporalServerTool(name: TemporalServerTool): Promise<ResolvedTool> {
  const spec = toolSpec(name);
  const envVar = TEMPORAL_SERVER_ENV_VARS[name];
  const override = process.env[envVar];
  if (override) {
    const absolute = path.resolve(override);
    if (!fs.existsSync(absolute)) throw new Error(`${envVar}=${override} does not exist (expected ${spec.goModule})`);
    if (!isExecutableFile(absolute)) throw new Error(`${envVar}=${override} is not an executable file`);
    return { path: absolute, source: 'env' };
  }
  const cached = cachedToolPath(spec);
  if (isExecutableFile(cached)) return { path: cached, source: 'cache' };
  const go = findGo();
  if (!go) {
    throw new Error(
      `${name} ${spec.version} is not built and Go is not on PATH to build it. Install Go (https://go.dev/dl/) ` +
        `and re-run, or set ${envVar} to a binary built with \`GOTOOLCHAIN=${spec.goToolchain ?? 'local'} ` +
        `go install ${spec.goModule}@v${spec.version}\`.`,
    );
  }
  return { path: await goInstallIntoCache(spec, go, envVar), source: 'built' };
}

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

/**
 * The Temporal server and its SQL schema tool at the pinned version. The first build takes minutes (about 13 on a
 * busy two-core machine); the schema tool then reuses most of the server's compiled packages. Sequential on purpose:
 * two Go builds at once would fight over the cores.
 */
export async function ensureTemporalServer(): Promise<TemporalServerBinaries> {
  const server = await resolveTemporalServerTool('temporal-server');
  const sqlTool = await resolveTemporalServerTool('temporal-sql-tool');
  return { server: server.path, sqlTool: sqlTool.path };
}

/** The standalone Temporal Web UI server, same version as compose's temporalio/ui image. */
export async function ensureTemporalUiServer(): Promise<string> {
  return (await resolveTemporalServerTool('temporal-ui-server')).path;
}
