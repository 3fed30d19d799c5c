import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { S3Client } from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createAwsClients } from '../../activities/aws-clients';
import { EmulatorControlClient, startEmulator, type RunningEmulator } from '../../emulator/src';
import { startEventsEndpoint, type EventsEndpoint } from '../../events/events-endpoint';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../../dev/services/search-attributes';
import { startTemporalDevServer, type TemporalDevServer } from '../../dev/services/temporal-dev-server';
import { startVersitygw, type VersitygwServer } from '../../dev/services/versitygw';
import { createDataConverter } from '../../security/data-converter';
import { generateKey, loadKeyRing } from '../../security/encryption-keys';
import { createWorkers, type ShowrunnerWorkers } from '../../worker/create-workers';
import type { WorkerConfig } from '../../worker/worker-config';

export interface LocalStack {
  temporal: TemporalDevServer;
  s3Server: VersitygwServer;
  emulator: RunningEmulator;
  client: Client;
  control: EmulatorControlClient;
  /** Receives the emulator's IVS events and signals the shows (as an EventBridge API destination would). */
  events: EventsEndpoint;
  ivs: IVSRealTimeClient;
  s3: S3Client;
  taskQueue: string;
  monitorTaskQueue: string;
  stop(): Promise<void>;
}

const DEMO_REGION = 'us-east-1';
const DEMO_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Everything a show needs, on this machine: the Temporal dev server with its Web UI, versitygw as S3, the
 * IVS Real-Time emulator writing recordings to it, and Showrunner's worker. Each piece is the real program;
 * only IVS is emulated.
 */
export async function startLocalStack(
  progress: (line: string) => void,
  options: { encryptionKeys?: string } = {},
): Promise<LocalStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    progress('starting the Temporal dev server (Web UI included; the CLI is built once from the Go module proxy)…');
    const temporal = await startTemporalDevServer({
      searchAttributes: { ...SHOWRUNNER_SEARCH_ATTRIBUTES },
      headless: false,
      logLevel: 'error',
    });
    stops.push(() => temporal.stop());
    progress('starting the S3 server (versitygw)…');
    // The worker's AWS credentials (test/test) must be valid for S3 too, as one credential chain serves both in AWS.
    const s3Server = await startVersitygw({
      accessKeyId: DEMO_CREDENTIALS.accessKeyId,
      secretAccessKey: DEMO_CREDENTIALS.secretAccessKey,
    });
    stops.push(() => s3Server.stop());
    const s3Config = {
      endpoint: s3Server.endpoint,
      region: s3Server.region,
      accessKeyId: s3Server.accessKeyId,
      secretAccessKey: s3Server.secretAccessKey,
    };
    progress('starting the IVS Real-Time emulator…');
    const emulator = await startEmulator(
      {
        s3: s3Config,
        rateLimits: true,
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

    // A fresh key per run: the demo's history is readable only by this process (and by nobody after it).
    const dataConverter = createDataConverter(
      loadKeyRing({ SHOWRUNNER_ENCRYPTION_KEYS: options.encryptionKeys ?? `demo:${generateKey()}` }),
    );
    const clientConnection = await Connection.connect({ address: temporal.address });
    stops.push(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: temporal.namespace, dataConverter });
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    stops.push(() => workerConnection.close());
    const config: WorkerConfig = {
      taskQueue: 'showrunner',
      monitorTaskQueue: 'showrunner-monitor',
      monitorActivitiesPerSecond: 4,
      region: DEMO_REGION,
      ivsEndpoint: emulator.endpoint,
      s3Endpoint: s3Server.endpoint,
      s3ForcePathStyle: true,
    };
    const aws = createAwsClients({
      defaultRegion: DEMO_REGION,
      ivsEndpoint: emulator.endpoint,
      s3Endpoint: s3Server.endpoint,
      s3ForcePathStyle: true,
      credentials: DEMO_CREDENTIALS,
    });
    progress('starting the Showrunner worker (bundling the workflows)…');
    const workers: ShowrunnerWorkers = await createWorkers({
      config,
      connection: workerConnection,
      client,
      namespace: temporal.namespace,
      dataConverter,
      workflows: { workflowsPath: require.resolve('../../workflows') },
      aws,
    });
    const running = workers.run();
    stops.push(async () => {
      workers.shutdown();
      await running;
      aws.destroy();
    });
    const ivs = new IVSRealTimeClient({
      endpoint: emulator.endpoint,
      region: DEMO_REGION,
      credentials: DEMO_CREDENTIALS,
    });
    const s3 = new S3Client({
      endpoint: s3Server.endpoint,
      region: s3Server.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3Server.accessKeyId, secretAccessKey: s3Server.secretAccessKey },
    });
    stops.push(async () => {
      ivs.destroy();
      s3.destroy();
    });
    progress('starting the events endpoint and subscribing it to the emulator’s IVS events…');
    // Token-less is allowed on loopback only: the emulator's webhooks carry no credentials. One region here.
    const events = await startEventsEndpoint({ port: 0, host: '127.0.0.1', ivs: () => ivs, client });
    stops.push(() => events.stop());
    const control = new EmulatorControlClient(emulator.endpoint);
    await control.subscribe({ url: `${events.url}/events` });
    return {
      temporal,
      s3Server,
      emulator,
      client,
      control,
      events,
      ivs,
      s3,
      taskQueue: config.taskQueue,
      monitorTaskQueue: config.monitorTaskQueue,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
