import { createAwsClients } from '../activities/aws-clients';
import { IVS_TIMING } from '../contracts/ivs-timing';
import { lazyTemporalClient, logJsonLine as log, runServiceMain, stopSignal } from '../http-endpoint/service-main';
import { loadEventsConfig } from './events-config';
import { startEventsEndpoint } from './events-endpoint';

/**
 * `npm run events`: the EventBridge API destination target that turns IVS events into show signals. Settings:
 * SHOWRUNNER_EVENTS_* and the IVS ones (see events-config.ts), TEMPORAL_* through envconfig, the payload codec's
 * keys from SHOWRUNNER_ENCRYPTION_KEYS(_FILE), AWS credentials from the default chain. One JSON line per request
 * on stdout, scrubbed (error fields may quote IVS or Temporal errors, which may quote tokens). SIGINT/SIGTERM stop
 * it after in-flight requests.
 */
async function main(): Promise<void> {
  const config = loadEventsConfig();
  // Lazy: the endpoint comes up while Temporal is down and answers 503 until it is back, so EventBridge retries.
  const { client, connection, namespace } = lazyTemporalClient();
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
    namespace,
    authHeader: config.token ? config.authHeader : null,
    ivsEndpoint: config.ivsEndpoint ?? 'AWS',
    regions: config.regions,
    accounts: Object.keys(config.accounts),
  });
  const signal = await stopSignal();
  log({ level: 'info', msg: 'stopping', signal, stats: endpoint.stats() });
  await endpoint.stop();
  aws.destroy();
  await connection.close();
}

runServiceMain(main);
