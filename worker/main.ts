import { Client } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { Runtime } from '@temporalio/worker';
import { createDataConverter } from '../security/data-converter';
import { loadKeyRing } from '../security/encryption-keys';
import { asyncContextWarning } from './async-context';
import { connectToTemporal } from './connect-temporal';
import { createWorkers } from './create-workers';
import { ensureConfiguredJanitor } from './janitor-config';
import { installRuntime } from './observability';
import { installTracing } from './tracing';
import { loadWorkerConfig } from './worker-config';

/**
 * `npm run worker`. Settings: TEMPORAL_* (address, namespace, TLS, API key, profile) through envconfig, AWS
 * region and credentials from the default chain, Showrunner's own from SHOWRUNNER_* (see worker-config.ts).
 * SIGINT/SIGTERM shut the workers down gracefully (the SDK's runtime handles the signals). Tracing: SHOWRUNNER_OTEL_*
 * and OTEL_* (see tracing.ts). A worker started while Temporal is unreachable waits for it, with backoff, logging
 * each failed attempt; SIGINT/SIGTERM meanwhile end the wait and the process (exit code 0).
 */
/** The signals the SDK's runtime shuts workers down on (its default shutdownSignals). */
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'] as const;

async function main(): Promise<void> {
  const { metricsAddress } = installRuntime();
  const slowContext = asyncContextWarning();
  if (slowContext) Runtime.instance().logger.warn(slowContext);
  const tracing = installTracing();
  const config = loadWorkerConfig();
  const keyRing = loadKeyRing();
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const dataConverter = createDataConverter(keyRing);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, onSignal);
  const connections = await connectToTemporal(connectionOptions, {
    signal: stop.signal,
    warn: (message, meta) => {
      Runtime.instance().logger.warn(message, meta);
    },
  });
  for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
  if (!connections) {
    Runtime.instance().logger.info('Stopped before Temporal could be reached');
    await tracing.shutdown();
    // A backoff timer may still be pending: nothing else is left to finish.
    process.exit(0);
  }
  const { native: connection, client: clientConnection } = connections;
  try {
    const client = new Client({
      connection: clientConnection,
      namespace: namespace ?? 'default',
      dataConverter,
      interceptors: { workflow: tracing.clientInterceptors },
    });
    const workers = await createWorkers({
      config,
      connection,
      client,
      namespace: namespace ?? 'default',
      dataConverter,
      workflows: config.workflowBundlePath
        ? { workflowBundle: { codePath: config.workflowBundlePath } }
        : { workflowsPath: require.resolve('../workflows') },
      tracing,
    });
    const janitor = await ensureConfiguredJanitor(
      client,
      config.taskQueue,
      config.region,
      process.env,
      tracing.enabled,
    );
    if (janitor) console.log(`Janitor Schedule ${janitor} ensured (SHOWRUNNER_JANITOR_*)`);
    console.log(
      `Showrunner worker polling ${config.taskQueue} and ${config.monitorTaskQueue} (monitor budget ${config.monitorActivitiesPerSecond}/s${metricsAddress ? `, metrics on ${metricsAddress}/metrics` : ''})`,
    );
    await workers.run();
  } finally {
    await clientConnection.close();
    await connection.close();
    // After the workers: their last workflow and activity spans are flushed with the rest.
    await tracing.shutdown();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
