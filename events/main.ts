import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { createAwsClients } from '../activities/aws-clients';
import { IVS_TIMING } from '../contracts/ivs-timing';
import { createDataConverter } from '../security/data-converter';
import { loadKeyRing } from '../security/encryption-keys';
import { scrubValue } from '../security/scrub-secrets';
import { loadEventsConfig } from './events-config';
import { startEventsEndpoint, type EventsLogEntry } from './events-endpoint';

/** Error fields may quote IVS or Temporal errors, which may quote tokens: scrubbed (see scrub-secrets.ts). */
const log = (entry: EventsLogEntry) =>
  console.log(JSON.stringify(scrubValue({ time: new Date().toISOString(), ...entry })));

/**
 * `npm run events`: the EventBridge API destination target that turns IVS events into show signals. Settings:
 * SHOWRUNNER_EVENTS_* and the IVS ones (see events-config.ts), TEMPORAL_* through envconfig, the payload codec's
 * keys from SHOWRUNNER_ENCRYPTION_KEYS(_FILE), AWS credentials from the default chain. One JSON line per request
 * on stdout. SIGINT/SIGTERM stop it after in-flight requests.
 */
async function main(): Promise<void> {
  const config = loadEventsConfig();
  const dataConverter = createDataConverter(loadKeyRing());
  const { connectionOptions, namespace } = loadClientConnectConfig();
  // Lazy: the endpoint comes up while Temporal is down and answers 503 until it is back, so EventBridge retries.
  const connection = Connection.lazy(connectionOptions);
  const client = new Client({ connection, namespace: namespace ?? 'default', dataConverter });
  // Two attempts: the SDK's backoff must fit in EventBridge's 5 s request timeout together with the signal.
  const aws = createAwsClients({
    defaultRegion: config.defaultRegion,
    ivsEndpoint: config.ivsEndpoint,
    stsEndpoint: config.stsEndpoint,
    accounts: config.accounts,
    maxAttempts: 2,
    timing: { ...IVS_TIMING, sdkMaxAttempts: 2 },
  });
  const endpoint = await startEventsEndpoint({
    port: config.port,
    host: config.host,
    token: config.token,
    authHeader: config.authHeader,
    // Clients are made only for configured regions and accounts, so the client cache stays this small.
    ivs: (scope) => aws.ivs(scope),
    regions: config.regions,
    accounts: Object.keys(config.accounts),
    coalesce: { windowMs: config.coalesceWindowMs },
    client,
    log,
  });
  log({
    level: 'info',
    msg: 'listening',
    url: `${endpoint.url}/events`,
    namespace: namespace ?? 'default',
    authHeader: config.token ? config.authHeader : null,
    ivsEndpoint: config.ivsEndpoint ?? 'AWS',
    regions: config.regions,
    accounts: Object.keys(config.accounts),
  });
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log({ level: 'info', msg: 'stopping', signal, stats: endpoint.stats() });
  await endpoint.stop();
  aws.destroy();
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log({ level: 'error', msg: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
