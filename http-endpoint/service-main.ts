import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { createDataConverter } from '../security/data-converter';
import { loadKeyRing } from '../security/encryption-keys';
import { scrubValue } from '../security/scrub-secrets';
import type { ServiceLogEntry } from './http-endpoint';

/** One JSON line on stdout. Error fields may quote IVS or Temporal errors, which may quote tokens: scrubbed. */
export function logJsonLine(entry: ServiceLogEntry): void {
  console.log(JSON.stringify(scrubValue({ time: new Date().toISOString(), ...entry })));
}

/**
 * A Temporal client from TEMPORAL_* (envconfig) whose data converter has the payload codec's keys
 * (SHOWRUNNER_ENCRYPTION_KEYS(_FILE)). Lazy: the service comes up while Temporal is down and answers 503 until it
 * is back.
 */
export function lazyTemporalClient(): { client: Client; connection: Connection; namespace: string } {
  const dataConverter = createDataConverter(loadKeyRing());
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = Connection.lazy(connectionOptions);
  const name = namespace ?? 'default';
  return { client: new Client({ connection, namespace: name, dataConverter }), connection, namespace: name };
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
export function stopSignal(): Promise<string> {
  return new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** Runs a service's `main`: exit 0 when it returns (stopped by a signal), 1 with the error logged when it throws. */
export function runServiceMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      logJsonLine({ level: 'error', msg: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    },
  );
}
