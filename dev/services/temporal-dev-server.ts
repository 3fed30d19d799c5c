import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli } from '../tools/ensure-temporal-cli';
import { spawnManaged, type ManagedProcess } from '../process/managed-process';
import { getFreePort, LOOPBACK, waitForPort } from '../process/net-utils';
import { pollUntil } from '../process/poll-until';
import type { SearchAttributeType } from './search-attributes';
import { runTemporalCli, temporalCliEnv } from '../tools/temporal-cli-exec';

export interface StartTemporalDevServerOptions {
  port?: number;
  uiPort?: number;
  /** Persistent SQLite file; without it state is in memory and lost on stop. Reuse it to restart with state. */
  dbFile?: string;
  namespace?: string;
  searchAttributes?: Record<string, SearchAttributeType>;
  uiCodecEndpoint?: string;
  headless?: boolean;
  dynamicConfig?: Record<string, unknown>;
  /** Server output is appended here; defaults to a file in a fresh temp dir that stop() removes. */
  logFile?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Defaults to ensureTemporalCli(). */
  cli?: string;
  startTimeoutMs?: number;
  stopGraceMs?: number;
}

export type ResolvedTemporalDevServerOptions = StartTemporalDevServerOptions &
  Required<Pick<StartTemporalDevServerOptions, 'port' | 'namespace' | 'cli'>>;

export interface TemporalDevServer {
  /** host:port of the frontend gRPC service, as clients and `--address` expect it. */
  address: string;
  host: string;
  port: number;
  uiPort: number | undefined;
  uiUrl: string | undefined;
  namespace: string;
  dbFile: string | undefined;
  logFile: string;
  pid: number;
  cliPath: string;
  /** Everything needed to start an identical server again, ports included (a default log file is not reused). */
  options: ResolvedTemporalDevServerOptions;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: StartTemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const resolved: ResolvedTemporalDevServerOptions & { logFile: string } = {
    ...options,
    cli: options.cli ?? (await ensureTemporalCli()),
    port: options.port ?? (await getFreePort()),
    uiPort: options.headless ? undefined : (options.uiPort ?? (await getFreePort())),
    namespace: options.namespace ?? 'default',
    logFile: options.logFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-temporal-')), 'server.log'),
  };
  const ownsLogDir = options.logFile === undefined;
  if (resolved.dbFile) fs.mkdirSync(path.dirname(path.resolve(resolved.dbFile)), { recursive: true });
  const address = `${LOOPBACK}:${resolved.port}`;

  const server = spawnManaged(resolved.cli, ['server', 'start-dev', ...devServerArgs(resolved)], {
    logFile: resolved.logFile,
    env: temporalCliEnv(),
  });
  try {
    await waitUntilReady(server, resolved, address);
  } catch (error) {
    await server.stop(2_000);
    throw error;
  }

  return {
    address,
    host: LOOPBACK,
    port: resolved.port,
    uiPort: resolved.uiPort,
    uiUrl: resolved.uiPort === undefined ? undefined : `http://${LOOPBACK}:${resolved.uiPort}`,
    namespace: resolved.namespace,
    dbFile: resolved.dbFile,
    logFile: resolved.logFile,
    pid: server.pid,
    cliPath: resolved.cli,
    options: { ...resolved, logFile: options.logFile },
    async stop() {
      await server.stop(resolved.stopGraceMs ?? 10_000);
      if (ownsLogDir) fs.rmSync(path.dirname(resolved.logFile), { recursive: true, force: true });
    },
  };
}

/**
 * Stops the server and starts it again on the same ports and database file, as a crash/redeploy would. Without a
 * dbFile the new server starts empty.
 */
export async function restartTemporalDevServer(server: TemporalDevServer): Promise<TemporalDevServer> {
  await server.stop();
  return startTemporalDevServer(server.options);
}

function devServerArgs(options: ResolvedTemporalDevServerOptions): string[] {
  const args = ['--ip', LOOPBACK, '--port', String(options.port)];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) args.push('--db-filename', path.resolve(options.dbFile));
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.logLevel) args.push('--log-level', options.logLevel);
  return args;
}

async function waitUntilReady(
  server: ManagedProcess,
  options: ResolvedTemporalDevServerOptions,
  address: string,
): Promise<void> {
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const remaining = () => Math.max(1, deadline - Date.now());
  const abortIf = () => server.exitedEarlyError('Temporal dev server');
  await waitForPort(options.port, { timeoutMs: remaining(), abortIf });
  // An open port is not enough: the frontend accepts connections before the namespace is registered.
  await pollUntil(
    async () => {
      await runTemporalCli(options.cli, ['operator', 'namespace', 'describe', '--address', address, options.namespace]);
      return true;
    },
    { timeoutMs: remaining(), intervalMs: 200, abortIf, description: `namespace ${options.namespace} at ${address}` },
  );
  await ensureSearchAttributes(options, address, remaining, abortIf);
  if (options.uiPort !== undefined) await waitForPort(options.uiPort, { timeoutMs: remaining(), abortIf });
}

/**
 * `--search-attribute` only applies to namespaces the dev server creates; with an existing dbFile the namespace
 * already exists and attributes added since its creation are silently skipped, so register the missing ones. The
 * cluster (temporal-cluster.ts) registers all of them this way, as README tells operators to.
 */
export async function ensureSearchAttributes(
  options: Pick<ResolvedTemporalDevServerOptions, 'cli' | 'namespace' | 'searchAttributes'>,
  address: string,
  remaining: () => number,
  abortIf: () => Error | undefined,
): Promise<void> {
  const wanted = Object.entries(options.searchAttributes ?? {});
  if (wanted.length === 0) return;
  const target = ['--address', address, '--namespace', options.namespace];
  const missing = async () => {
    const { stdout } = await runTemporalCli(options.cli, [
      'operator',
      'search-attribute',
      'list',
      ...target,
      '-o',
      'json',
    ]);
    const registered = (JSON.parse(stdout) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
    for (const [name, type] of wanted) {
      const actual = registered[name];
      if (actual !== undefined && actual !== indexedValueType(type)) {
        throw new Error(`Search attribute ${name} is registered as ${actual} but ${type} was requested`);
      }
    }
    return wanted.filter(([name]) => !(name in registered));
  };
  for (const [name, type] of await missing()) {
    await runTemporalCli(options.cli, [
      'operator',
      'search-attribute',
      'create',
      ...target,
      '--name',
      name,
      '--type',
      type,
    ]);
  }
  await pollUntil(async () => ((await missing()).length === 0 ? true : undefined), {
    timeoutMs: remaining(),
    intervalMs: 200,
    abortIf,
    description: `search attributes ${wanted.map(([n]) => n).join(', ')} in namespace ${options.namespace}`,
  });
}

/** The CLI's JSON output names types like INDEXED_VALUE_TYPE_KEYWORD_LIST. */
function indexedValueType(type: SearchAttributeType): string {
  return `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}
