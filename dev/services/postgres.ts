import { execFile, type ExecFileOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getFreePort, LOOPBACK } from '../process/net-utils';

const execFileAsync = promisify(execFile);

/** Debian's server packages (`apt-get install postgresql`) put the binaries here, off PATH. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';
export const POSTGRES_BIN_ENV_VAR = 'SHOWRUNNER_POSTGRES_BIN';

export interface StartPostgresOptions {
  /** Keeps the data directory here (and across stop/start); default: a fresh temp dir that stop() removes. */
  dir?: string;
  port?: number;
  /** The superuser initdb creates; local connections are trusted, so it needs no password. */
  user?: string;
  startTimeoutMs?: number;
}

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  /** Holds data/, the Unix socket and postgres.log. */
  dir: string;
  logFile: string;
  binDir: string;
  /** Stops the server (mode "immediate" is a crash: no checkpoint, recovery on the next start). */
  stopServer(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data, as a restarted database host would. */
  startServer(): Promise<void>;
  /** Stops the server and removes a temp dir it created. */
  stop(): Promise<void>;
}

/** The newest PostgreSQL major under /usr/lib/postgresql that has initdb and pg_ctl, or $SHOWRUNNER_POSTGRES_BIN. */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[POSTGRES_BIN_ENV_VAR];
  const candidates = override
    ? [path.resolve(override)]
    : fs.existsSync(DEBIAN_PG_ROOT)
      ? fs
          .readdirSync(DEBIAN_PG_ROOT)
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => path.join(DEBIAN_PG_ROOT, v, 'bin'))
      : [];
  const found = candidates.find((dir) =>
    ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b))),
  );
  if (!found) {
    throw new Error(
      override
        ? `${POSTGRES_BIN_ENV_VAR}=${override} has no initdb, pg_ctl and postgres`
        : `PostgreSQL's server binaries are not installed (no initdb/pg_ctl under ${DEBIAN_PG_ROOT}/*/bin). ` +
            `On Debian/Ubuntu: \`apt-get install -y postgresql\`, or set ${POSTGRES_BIN_ENV_VAR} to a bin directory.`,
    );
  }
  return found;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as Debian's `postgres` user and owns the directory.
 * Any other user runs it as itself.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n');
  const entry = passwd.map((line) => line.split(':')).find((fields) => fields[0] === 'postgres');
  if (!entry) throw new Error('Running as root needs the `postgres` user (created by `apt-get install postgresql`)');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/**
 * A private PostgreSQL cluster: initdb into a temp dir, listening on 127.0.0.1 at a free port and on a Unix socket in
 * the same dir (never the system's /var/run/postgresql), trust authentication for local connections only.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const owner = serverUser();
  const ownsDir = options.dir === undefined;
  const dir = path.resolve(options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-postgres-')));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const port = options.port ?? (await getFreePort());
  const user = options.user ?? 'temporal';
  fs.mkdirSync(dir, { recursive: true });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);

  const run = async (binary: string, args: string[], timeoutMs = 60_000) => {
    const execOptions: ExecFileOptions = { timeout: timeoutMs, cwd: dir, ...(owner ?? {}), env: pgEnv() };
    try {
      return await execFileAsync(path.join(binDir, binary), args, execOptions);
    } catch (error) {
      const e = error as Error & { stderr?: string; stdout?: string };
      throw new Error(`${binary} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`);
    }
  };

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await run('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync']);
  }
  const serverArgs = [
    `-p ${port}`,
    `-h ${LOOPBACK}`,
    `-k ${dir}`,
    // A test cluster: skip fsync for speed (a crash of the machine loses it anyway) but keep crash recovery real.
    '-c fsync=off',
    '-c max_connections=200',
  ].join(' ');
  const startServer = async () => {
    await run('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      serverArgs,
      '-w',
      '-t',
      String(Math.ceil((options.startTimeoutMs ?? 60_000) / 1000)),
      'start',
    ]);
  };
  const stopServer = async (mode: 'fast' | 'immediate' = 'fast') => {
    await run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  };
  await startServer();
  return {
    host: LOOPBACK,
    port,
    user,
    dir,
    logFile,
    binDir,
    stopServer,
    startServer,
    async stop() {
      if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
        await stopServer('fast').catch(() => stopServer('immediate'));
      }
      if (ownsDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server must not inherit a caller's PG* settings (PGPORT, PGDATA, ...) that would contradict our flags. */
function pgEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  env.LANG = 'C.UTF-8';
  env.LC_ALL = 'C.UTF-8';
  return env;
}
