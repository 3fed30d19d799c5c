import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@temporalio/client';
import { EmulatorControlClient, startEmulator, type RunningEmulator } from '../../emulator/src';
import { startTokenService, type TokenService } from '../../audience/token-service';
import { startEventsEndpoint, type EventsEndpoint } from '../../events/events-endpoint';
import { startCodecServer, type RunningCodecServer } from '../../security/codec-server';
import { generateKey, loadKeyRing } from '../../security/encryption-keys';
import { LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_STACK_BUCKET, s3ClientConfig } from '../aws/local-aws';
import { cleanupRegistry } from '../process/cleanup-registry';
import { LOOPBACK } from '../process/net-utils';
import { installQuietRuntime, startInProcessWorkers } from '../services/in-process-workers';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../services/search-attributes';
import { startTemporalDevServer, type TemporalDevServer } from '../services/temporal-dev-server';
import { startVersitygw, type VersitygwServer } from '../services/versitygw';
import { cachedWorkflowBundle } from '../services/workflow-bundle';
import { ensureLocalStackKeyFile } from './stack-key';
import { ANY_FREE_PORTS, resolveStackPorts, type StackPorts } from './stack-ports';

export const LOCAL_TASK_QUEUE = 'showrunner';
export const LOCAL_MONITOR_TASK_QUEUE = 'showrunner-monitor';

export interface LocalStackOptions {
  progress: (line: string) => void;
  /** Overrides of STACK_PORTS; 0 picks a free port. */
  ports?: Partial<StackPorts>;
  /**
   * Keep the dev server's database and the S3 data here, so shows and recordings survive a restart of the stack.
   * Without it everything lives in a temp dir that stop() removes.
   */
  stateDir?: string;
  /** The payload keys (`SHOWRUNNER_ENCRYPTION_KEYS`…); the stable local key file by default. */
  keyRingEnv?: Record<string, string>;
}

export interface LocalStack {
  ports: StackPorts;
  temporal: TemporalDevServer;
  s3Server: VersitygwServer;
  emulator: RunningEmulator;
  /** Decodes payloads for the Web UI, without a token from loopback only (security/codec-server.ts). */
  codec: RunningCodecServer;
  /** Receives the emulator's IVS events and signals the shows, as an EventBridge API destination would. */
  events: EventsEndpoint;
  /** Signs viewer tokens for running shows with an audience; its one caller's token is made per run. */
  audience: TokenService;
  audienceCaller: { name: string; token: string };
  /** The caller's token, mode 0600, for SHOWRUNNER_AUDIENCE_TOKEN_FILE; removed when the stack stops. */
  audienceTokenFile: string;
  client: Client;
  control: EmulatorControlClient;
  ivs: IVSRealTimeClient;
  s3: S3Client;
  taskQueue: string;
  monitorTaskQueue: string;
  /** The key file every later run reads, when the stable key is used, and whether this run made it. */
  keyFile: string | undefined;
  keyCreated: boolean;
  keyRingEnv: Record<string, string>;
  /** Where the logs (and, with `stateDir`, the state) are. */
  dir: string;
  persistent: boolean;
  /**
   * Graceful: workers drained, servers stopped in reverse order, the temp dir removed. Safe to call twice. For a
   * second Ctrl-C, dev/process/cleanup-registry.ts kills what remains at once.
   */
  stop(): Promise<void>;
}

/**
 * Everything a show needs, on this machine, each piece the real program (only IVS is emulated): the Temporal dev
 * server with its Web UI pointed at a codec server, versitygw as S3, the IVS Real-Time emulator writing recordings
 * to it, an events endpoint subscribed to the emulator's events, and Showrunner's workers in this process. What
 * `npm run stack`, `npm run demo` and the history recorder run.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { progress } = options;
  const ports = await resolveStackPorts(options.ports);
  installQuietRuntime('ERROR', { ownSignals: true });
  const persistent = options.stateDir !== undefined;
  const dir = persistent
    ? path.resolve(options.stateDir!)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-stack-'));
  fs.mkdirSync(dir, { recursive: true });
  const key = options.keyRingEnv ? undefined : ensureLocalStackKeyFile();
  const keyRingEnv = options.keyRingEnv ?? { SHOWRUNNER_ENCRYPTION_KEY_FILE: key!.file };

  if (!persistent) cleanupRegistry.addDir(dir);
  const stops: (() => Promise<unknown>)[] = [];
  const removeTempDir = () => {
    if (persistent) return;
    fs.rmSync(dir, { recursive: true, force: true });
    cleanupRegistry.removeDir(dir);
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
      removeTempDir();
    })());

  try {
    const codecUrl = `http://${LOOPBACK}:${ports.codec}`;
    progress('starting the Temporal dev server with its Web UI…');
    const temporal = await startTemporalDevServer({
      port: ports.temporal,
      uiPort: ports.ui,
      searchAttributes: { ...SHOWRUNNER_SEARCH_ATTRIBUTES },
      uiCodecEndpoint: codecUrl,
      logLevel: 'error',
      logFile: path.join(dir, 'temporal.log'),
      // As deploy/temporal-dynamicconfig.yaml sets for the monitor queue: matching splits a task queue's
      // maxTaskQueueActivitiesPerSecond over its partitions (4 by default), so the monitor queue's 4/s became 1/s
      // per partition, and a poll landing on a partition used in the last second waited up to 1 s to start. The
      // dev server takes no per-queue constraint on the command line, so every queue of the local stack gets one.
      dynamicConfig: { 'matching.numTaskqueueReadPartitions': 1, 'matching.numTaskqueueWritePartitions': 1 },
      ...(persistent ? { dbFile: path.join(dir, 'temporal.db') } : {}),
    });
    stops.push(() => temporal.stop());

    progress('starting the S3 server (versitygw)…');
    // The worker's AWS credentials must be valid for S3 too, as one credential chain serves both on AWS.
    const s3Server = await startVersitygw({ port: ports.s3, dataDir: path.join(dir, 's3'), ...LOCAL_CREDENTIALS });
    stops.push(() => s3Server.stop());
    const s3 = new S3Client(s3ClientConfig(s3Server));
    stops.push(async () => s3.destroy());
    await s3.send(new CreateBucketCommand({ Bucket: LOCAL_STACK_BUCKET })).catch((e: Error) => {
      if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
    });

    progress('starting the IVS Real-Time emulator…');
    const emulator = await startEmulator(
      {
        port: ports.emulator,
        s3: s3Server,
        rateLimits: true,
        // Quicker than IVS so a local show moves along; the rules themselves are IVS's.
        timings: {
          compositionStartMs: 2_000,
          compositionStopMs: 1_000,
          idleStopAfterLastLeftMs: 20_000,
          idleStopWithoutParticipantsMs: 30_000,
        },
      },
      () => undefined,
    );
    stops.push(() => emulator.stop());

    progress('starting the codec server (loopback only, for the Web UI)…');
    const uiOrigins = [`http://${LOOPBACK}:${ports.ui}`, `http://localhost:${ports.ui}`];
    const codec = await startCodecServer({
      keyRing: loadKeyRing(keyRingEnv),
      port: ports.codec,
      loopbackWithoutToken: true,
      corsOrigins: uiOrigins,
    });
    stops.push(() => codec.stop());

    progress('starting the Showrunner worker…');
    const workers = await startInProcessWorkers({
      temporal,
      keyRingEnv,
      config: {
        taskQueue: LOCAL_TASK_QUEUE,
        monitorTaskQueue: LOCAL_MONITOR_TASK_QUEUE,
        monitorActivitiesPerSecond: 4,
        region: LOCAL_REGION,
        ivsEndpoint: emulator.endpoint,
        s3Endpoint: s3Server.endpoint,
        s3ForcePathStyle: true,
        stsEndpoint: emulator.endpoint,
      },
      credentials: LOCAL_CREDENTIALS,
      workflows: { workflowBundle: await cachedWorkflowBundle() },
    });
    stops.push(() => workers.stop());
    const ivs = new IVSRealTimeClient({
      endpoint: emulator.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => ivs.destroy());

    progress('starting the events endpoint and subscribing it to the emulator’s IVS events…');
    // Token-less is allowed on loopback only: the emulator's webhooks carry no credentials. One region here.
    const events = await startEventsEndpoint({
      port: ports.events,
      host: LOOPBACK,
      ivs: () => ivs,
      client: workers.client,
    });
    stops.push(() => events.stop());
    const control = new EmulatorControlClient(emulator.endpoint);
    await control.subscribe({ url: `${events.url}/events` });

    progress('starting the audience token service…');
    // A fresh caller token each run: it is a ticket to every running show's stage. It is never printed; the CLI
    // reads it from a file only its user can read, which lives as long as the stack.
    const audienceCaller = { name: 'local', token: randomBytes(24).toString('hex') };
    const audienceTokenFile = writeSecretFile(path.join(dir, 'audience-token'), audienceCaller.token);
    stops.push(async () => fs.rmSync(audienceTokenFile, { force: true }));
    const audience = await startTokenService({
      port: ports.audience,
      host: LOOPBACK,
      callers: [audienceCaller],
      client: workers.client,
    });
    stops.push(() => audience.stop());

    return {
      ports,
      temporal,
      s3Server,
      emulator,
      codec,
      events,
      audience,
      audienceCaller,
      audienceTokenFile,
      client: workers.client,
      control,
      ivs,
      s3,
      taskQueue: LOCAL_TASK_QUEUE,
      monitorTaskQueue: LOCAL_MONITOR_TASK_QUEUE,
      keyFile: key?.file,
      keyCreated: key?.created ?? false,
      keyRingEnv,
      dir,
      persistent,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A stack for one run of a program, beside any other stack or test run: free ports, state thrown away, and a key
 * of its own (a fresh one unless given), so its histories are readable by this process only. Benches and the
 * history recorder use it.
 */
export function startPrivateLocalStack(
  progress: (line: string) => void,
  keyRingEnv: Record<string, string> = { SHOWRUNNER_ENCRYPTION_KEYS: `private:${generateKey()}` },
): Promise<LocalStack> {
  return startLocalStack({ progress, ports: ANY_FREE_PORTS, keyRingEnv });
}

/**
 * Writes a secret readable by this user only. An earlier file (a persistent state dir after a crash) is removed
 * first: the mode given to writeFileSync applies only to a file it creates.
 */
function writeSecretFile(file: string, secret: string): string {
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
  return file;
}
