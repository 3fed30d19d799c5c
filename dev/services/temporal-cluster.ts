import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureTemporalServer, ensureTemporalUiServer } from '../tools/ensure-temporal-server';
import { ensureTemporalCli } from '../tools/ensure-temporal-cli';
import { runTemporalCli } from '../tools/temporal-cli-exec';
import { spawnManaged, type ManagedProcess } from '../process/managed-process';
import { getFreePort, isPortFree, LOOPBACK, waitForPort } from '../process/net-utils';
import { pollUntil } from '../process/poll-until';
import { startPostgres, type PostgresServer } from './postgres';
import type { SearchAttributeType } from './search-attributes';
import { ensureSearchAttributes } from './temporal-dev-server';

const execFileAsync = promisify(execFile);

/** The files the native cluster and docker-compose.yml share (test/deploy checks compose mounts these). */
export const DEPLOY_DIR = path.resolve(__dirname, '../../deploy');
export const CLUSTER_FILES = {
  serverConfig: path.join(DEPLOY_DIR, 'temporal-server.yaml'),
  dynamicConfig: path.join(DEPLOY_DIR, 'temporal-dynamicconfig.yaml'),
  schemaSetup: path.join(DEPLOY_DIR, 'temporal-schema-setup.sh'),
  uiConfig: path.join(DEPLOY_DIR, 'temporal-ui.yaml'),
} as const;

/** Closed workflows are kept this long; long enough to inspect a test run, short enough not to pile up. */
const NAMESPACE_RETENTION = '72h';

export interface StartTemporalClusterOptions {
  namespace?: string;
  searchAttributes?: Record<string, SearchAttributeType>;
  /** Start the standalone Web UI server too (built on first use). */
  ui?: boolean;
  uiCodecEndpoint?: string;
  /** Holds the server's and UI's logs and the UI config; default: a temp dir that stop() removes. */
  dir?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  startTimeoutMs?: number;
}

export interface TemporalCluster {
  address: string;
  host: string;
  port: number;
  namespace: string;
  uiUrl: string | undefined;
  cliPath: string;
  serverPath: string;
  logFile: string;
  dir: string;
  postgres: PostgresServer;
  /** The server process's pid (changes on restart). */
  readonly pid: number;
  /**
   * Stops the Temporal server (SIGKILL with `crash`, else SIGTERM) and starts it again on the same ports and
   * database, as a crashed or redeployed server host would.
   */
  restartServer(options?: { crash?: boolean; downMs?: number }): Promise<void>;
  /** Stops PostgreSQL (`immediate`: a crash, recovery on start) and starts it again, the Temporal server running. */
  restartPostgres(options?: { mode?: 'fast' | 'immediate'; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const SERVICE_PORT_VARS = [
  'TEMPORAL_FRONTEND_PORT',
  'TEMPORAL_FRONTEND_HTTP_PORT',
  'TEMPORAL_FRONTEND_MEMBERSHIP_PORT',
  'TEMPORAL_HISTORY_PORT',
  'TEMPORAL_HISTORY_MEMBERSHIP_PORT',
  'TEMPORAL_MATCHING_PORT',
  'TEMPORAL_MATCHING_MEMBERSHIP_PORT',
  'TEMPORAL_WORKER_PORT',
  'TEMPORAL_WORKER_MEMBERSHIP_PORT',
] as const;

/**
 * The production topology on one machine: a private PostgreSQL, Temporal's schemas set up by the server's own schema
 * tool (deploy/temporal-schema-setup.sh, the script compose runs), the real server with deploy/temporal-server.yaml
 * and deploy/temporal-dynamicconfig.yaml, the namespace and search attributes registered with the CLI as an operator
 * would, and optionally the standalone Web UI with deploy/temporal-ui.yaml.
 */
export async function startTemporalCluster(options: StartTemporalClusterOptions = {}): Promise<TemporalCluster> {
  const { server: serverPath, sqlTool } = await ensureTemporalServer();
  const cliPath = await ensureTemporalCli();
  const uiPath = options.ui ? await ensureTemporalUiServer() : undefined;
  const ownsDir = options.dir === undefined;
  const dir = path.resolve(options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-cluster-')));
  fs.mkdirSync(dir, { recursive: true });
  const namespace = options.namespace ?? 'default';
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const logFile = path.join(dir, 'temporal-server.log');

  // A temp dir of its own, not under `dir`: as root the server runs as `postgres`, which cannot enter a private
  // (0700) directory of root's such as the test runner's.
  const postgres = await startPostgres();
  const processes: ManagedProcess[] = [];
  try {
    await setUpSchemas(sqlTool, postgres);
    const ports = await freeServicePorts();
    const port = Number(ports.TEMPORAL_FRONTEND_PORT);
    const address = `${LOOPBACK}:${port}`;
    const serverEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...ports,
      TEMPORAL_BIND_IP: LOOPBACK,
      TEMPORAL_BROADCAST_ADDRESS: LOOPBACK,
      TEMPORAL_DB_HOST: postgres.host,
      TEMPORAL_DB_PORT: String(postgres.port),
      TEMPORAL_DB_USER: postgres.user,
      TEMPORAL_DB_PASSWORD: '',
      TEMPORAL_DYNAMIC_CONFIG_FILE: CLUSTER_FILES.dynamicConfig,
      TEMPORAL_LOG_LEVEL: options.logLevel ?? 'warn',
    };
    const startServer = async () => {
      const server = spawnManaged(
        serverPath,
        ['--config-file', CLUSTER_FILES.serverConfig, '--allow-no-auth', 'start'],
        {
          logFile,
          env: serverEnv,
        },
      );
      processes[0] = server;
      const deadline = Date.now() + timeoutMs;
      const abortIf = () => server.exitedEarlyError('Temporal server');
      await waitForPort(port, { timeoutMs: Math.max(1, deadline - Date.now()), abortIf });
      // The frontend answers before the history shards are owned; a namespace call succeeds once the cluster works.
      await pollUntil(
        async () => {
          await runTemporalCli(cliPath, ['operator', 'cluster', 'health', '--address', address]);
          return true;
        },
        {
          timeoutMs: Math.max(1, deadline - Date.now()),
          intervalMs: 500,
          abortIf,
          description: `Temporal at ${address}`,
        },
      );
      return { deadline, abortIf };
    };
    const { deadline, abortIf } = await startServer();
    await registerNamespace(cliPath, address, namespace, Math.max(1, deadline - Date.now()), abortIf);
    // A new namespace reaches the services' namespace caches some seconds after `describe` sees it; until then the
    // search-attribute calls answer "namespace not found".
    await pollUntil(
      async () => {
        await ensureSearchAttributes(
          { cli: cliPath, namespace, searchAttributes: options.searchAttributes },
          address,
          () => Math.max(1, deadline - Date.now()),
          abortIf,
        );
        return true;
      },
      { timeoutMs: Math.max(1, deadline - Date.now()), intervalMs: 1_000, abortIf, description: 'search attributes' },
    );

    let uiUrl: string | undefined;
    if (uiPath) {
      const uiPort = await getFreePort();
      const uiRoot = path.join(dir, 'ui');
      fs.mkdirSync(path.join(uiRoot, 'config'), { recursive: true });
      fs.copyFileSync(CLUSTER_FILES.uiConfig, path.join(uiRoot, 'config', 'docker.yaml'));
      const ui = spawnManaged(uiPath, ['--root', uiRoot, '--env', 'docker', 'start'], {
        logFile: path.join(dir, 'temporal-ui.log'),
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: address,
          TEMPORAL_UI_PORT: String(uiPort),
          TEMPORAL_DEFAULT_NAMESPACE: namespace,
          TEMPORAL_CORS_ORIGINS: `http://${LOOPBACK}:${uiPort}`,
          TEMPORAL_CODEC_ENDPOINT: options.uiCodecEndpoint ?? '',
        },
      });
      processes[1] = ui;
      await waitForPort(uiPort, { timeoutMs: 30_000, abortIf: () => ui.exitedEarlyError('Temporal UI server') });
      uiUrl = `http://${LOOPBACK}:${uiPort}`;
    }

    return {
      address,
      host: LOOPBACK,
      port,
      namespace,
      uiUrl,
      cliPath,
      serverPath,
      logFile,
      dir,
      postgres,
      get pid() {
        return processes[0]!.pid;
      },
      async restartServer({ crash = false, downMs = 0 } = {}) {
        const server = processes[0]!;
        if (crash) {
          process.kill(-server.pid, 'SIGKILL');
          await server.exited;
        } else {
          await server.stop(10_000);
        }
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        await startServer();
      },
      async restartPostgres({ mode = 'immediate', downMs = 0 } = {}) {
        await postgres.stopServer(mode);
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        await postgres.startServer();
      },
      async stop() {
        await Promise.allSettled(processes.map((p) => p.stop(10_000)));
        await postgres.stop();
        if (ownsDir) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.allSettled(processes.map((p) => p.stop(2_000)));
    await postgres.stop();
    throw error;
  }
}

/**
 * Free ports below the kernel's ephemeral range: the server stores its membership ports in a PostgreSQL smallint
 * (cluster_membership.rpc_port), so a port above 32767 makes it fail at start with "out of range for type smallint".
 */
async function freeServicePorts(): Promise<Record<(typeof SERVICE_PORT_VARS)[number], string>> {
  const chosen = new Set<number>();
  for (let attempts = 0; chosen.size < SERVICE_PORT_VARS.length; attempts++) {
    if (attempts > 1_000) throw new Error('No free ports between 20000 and 32767 for the Temporal services');
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!chosen.has(port) && (await isPortFree(port))) chosen.add(port);
  }
  const list = [...chosen];
  return Object.fromEntries(SERVICE_PORT_VARS.map((name, i) => [name, String(list[i])])) as Record<
    (typeof SERVICE_PORT_VARS)[number],
    string
  >;
}

/** deploy/temporal-schema-setup.sh with the natively built tool, as compose's temporal-schema service runs it. */
async function setUpSchemas(sqlTool: string, postgres: PostgresServer): Promise<void> {
  try {
    await execFileAsync('sh', [CLUSTER_FILES.schemaSetup], {
      timeout: 120_000,
      env: {
        ...process.env,
        TEMPORAL_SQL_TOOL: sqlTool,
        SQL_HOST: postgres.host,
        SQL_PORT: String(postgres.port),
        SQL_USER: postgres.user,
        SQL_PASSWORD: '',
      },
    });
  } catch (error) {
    const e = error as Error & { stderr?: string; stdout?: string };
    throw new Error(`Temporal schema set-up failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** The real server creates no namespace of its own (the dev server and auto-setup did); an operator registers it. */
async function registerNamespace(
  cli: string,
  address: string,
  namespace: string,
  timeoutMs: number,
  abortIf: () => Error | undefined,
): Promise<void> {
  const describe = ['operator', 'namespace', 'describe', '--address', address, '--namespace', namespace];
  const exists = await runTemporalCli(cli, describe).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await runTemporalCli(cli, [
      'operator',
      'namespace',
      'create',
      '--address',
      address,
      '--namespace',
      namespace,
      '--retention',
      NAMESPACE_RETENTION,
    ]);
  }
  // `describe` answers from the frontend's store as soon as the namespace exists; matching and history learn of it
  // at their next namespace-cache refresh (up to 10 s), and until then polls and starts fail "namespace not found".
  // Listing a task queue's partitions asks matching.
  const partitions = ['task-queue', 'list-partition', '--address', address, '--namespace', namespace];
  await pollUntil(
    async () => {
      await runTemporalCli(cli, describe);
      await runTemporalCli(cli, [...partitions, '--task-queue', 'showrunner-readiness-probe']);
      return true;
    },
    { timeoutMs, intervalMs: 500, abortIf, description: `namespace ${namespace} at ${address}` },
  );
}
