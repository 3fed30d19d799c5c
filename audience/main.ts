import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { createDataConverter } from '../security/data-converter';
import { loadKeyRing } from '../security/encryption-keys';
import { scrubValue } from '../security/scrub-secrets';
import { loadTokenServiceConfig } from './token-service-config';
import { startTokenService, type TokenServiceLogEntry } from './token-service';

/** Errors may quote what they were given: scrubbed (JWTs, bearer credentials, private keys; scrub-secrets.ts). */
const log = (entry: TokenServiceLogEntry) =>
  console.log(JSON.stringify(scrubValue({ time: new Date().toISOString(), ...entry })));

/**
 * `npm run audience`: the audience token service. Settings: SHOWRUNNER_AUDIENCE_* (token-service-config.ts),
 * TEMPORAL_* through envconfig, the payload codec's keys from SHOWRUNNER_ENCRYPTION_KEYS(_FILE) (the shows' keys
 * arrive encrypted). SIGINT/SIGTERM stop it after in-flight requests.
 */
async function main(): Promise<void> {
  const config = loadTokenServiceConfig();
  const dataConverter = createDataConverter(loadKeyRing());
  const { connectionOptions, namespace } = loadClientConnectConfig();
  // Lazy: the service comes up while Temporal is down and answers 503 until it is back.
  const connection = Connection.lazy(connectionOptions);
  const client = new Client({ connection, namespace: namespace ?? 'default', dataConverter });
  const service = await startTokenService({ ...config, client, log });
  log({
    level: 'info',
    msg: 'listening',
    url: `${service.url}/shows/<id>/viewer-tokens`,
    namespace: namespace ?? 'default',
    callers: config.callers.map((c) => c.name),
  });
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log({ level: 'info', msg: 'stopping', signal, stats: service.stats() });
  await service.stop();
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log({ level: 'error', msg: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
