import { lazyTemporalClient, logJsonLine as log, runServiceMain, stopSignal } from '../http-endpoint/service-main';
import { loadTokenServiceConfig } from './token-service-config';
import { startTokenService } from './token-service';

/**
 * `npm run audience`: the audience token service. Settings: SHOWRUNNER_AUDIENCE_* (token-service-config.ts),
 * TEMPORAL_* through envconfig, the payload codec's keys from SHOWRUNNER_ENCRYPTION_KEYS(_FILE) (the shows' keys
 * arrive encrypted). One JSON line per refusal on stdout, scrubbed. SIGINT/SIGTERM stop it after in-flight requests.
 */
async function main(): Promise<void> {
  const config = loadTokenServiceConfig();
  const { client, connection, namespace } = lazyTemporalClient();
  const service = await startTokenService({ ...config, client, log });
  log({
    level: 'info',
    msg: 'listening',
    url: `${service.url}/shows/<id>/viewer-tokens`,
    namespace,
    callers: config.callers.map((c) => c.name),
  });
  const signal = await stopSignal();
  log({ level: 'info', msg: 'stopping', signal, stats: service.stats() });
  await service.stop();
  await connection.close();
}

runServiceMain(main);
