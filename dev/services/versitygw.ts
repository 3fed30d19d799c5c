import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureVersitygw } from '../tools/ensure-versitygw';
import { readFileTail } from '../process/output-tail';
import { spawnManaged, type ManagedProcess } from '../process/managed-process';
import { getFreePort, LOOPBACK } from '../process/net-utils';
import { pollUntil } from '../process/poll-until';

export interface StartVersitygwOptions {
  port?: number;
  /**
   * Holds `buckets/` (the posix root), `versitygw.log` and, if needed, `sidecar/`. Created when missing. Without
   * it a temp dir is used and removed by stop().
   */
  dataDir?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  /** Defaults to ensureVersitygw(). */
  binary?: string;
  startTimeoutMs?: number;
}

export interface VersitygwServer {
  endpoint: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  dataDir: string;
  bucketsDir: string;
  logFile: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startVersitygw(options: StartVersitygwOptions = {}): Promise<VersitygwServer> {
  const binary = options.binary ?? (await ensureVersitygw());
  const port = options.port ?? (await getFreePort());
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-s3-'));
  const bucketsDir = path.join(dataDir, 'buckets');
  fs.mkdirSync(bucketsDir, { recursive: true });
  const accessKeyId = options.accessKeyId ?? 'showrunner';
  const secretAccessKey = options.secretAccessKey ?? 'showrunner-secret';
  const region = options.region ?? 'us-east-1';
  const logFile = path.join(dataDir, 'versitygw.log');
  const endpoint = `http://${LOOPBACK}:${port}`;

  const launch = (metadataArgs: string[]) =>
    spawnManaged(
      binary,
      [
        '--access',
        accessKeyId,
        '--secret',
        secretAccessKey,
        '--region',
        region,
        '--port',
        `${LOOPBACK}:${port}`,
        // Per-request logging would grow the log by a line per S3 call for the whole test suite.
        '--quiet',
        'posix',
        ...metadataArgs,
        bucketsDir,
      ],
      { logFile, env: withoutVersitygwEnv(process.env) },
    );

  let server = launch([]);
  try {
    await waitUntilAnswering(server, endpoint, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    // Object metadata (Content-Type, x-amz-meta-*) lives in xattrs by default; filesystems without user xattrs
    // (older tmpfs, some container mounts) make versitygw refuse to start, so fall back to a sidecar directory.
    if (!server.exit || !/xattr/i.test(readFileTail(logFile, 10))) throw error;
    const sidecar = path.join(dataDir, 'sidecar');
    fs.mkdirSync(sidecar, { recursive: true });
    server = launch(['--sidecar', sidecar]);
    await waitUntilAnswering(server, endpoint, options.startTimeoutMs ?? 20_000);
  }

  const running = server;
  return {
    endpoint,
    port,
    accessKeyId,
    secretAccessKey,
    region,
    dataDir,
    bucketsDir,
    logFile,
    pid: running.pid,
    async stop() {
      await running.stop(5_000);
      if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(server: ManagedProcess, endpoint: string, timeoutMs: number): Promise<void> {
  try {
    await pollUntil(
      async () => {
        // Any HTTP status (an unauthenticated request gets 403) proves the S3 API is serving.
        const response = await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        return true;
      },
      {
        timeoutMs,
        description: `versitygw to answer HTTP at ${endpoint}`,
        abortIf: () => server.exitedEarlyError('versitygw'),
      },
    );
  } catch (error) {
    await server.stop(1000);
    throw error;
  }
}

/** Inherited VGW_* / ROOT_* variables would silently reconfigure the gateway (IAM, TLS, extra listeners). */
function withoutVersitygwEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !key.startsWith('VGW_') && !key.startsWith('ROOT_') && key !== 'LOGFILE'),
  );
}
