import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { SigV4Verifier } from './auth/sigv4-verifier';
import { ScaledClock } from './clock';
import { parseEmulatorConfig, type EmulatorConfig, type EmulatorConfigInput } from './config';
import { domainEventPublisher } from './domain/domain-event-publisher';
import { IvsDomain } from './domain/ivs-domain';
import { ParticipantTokenService } from './domain/participant-tokens';
import { EventBus } from './events/event-bus';
import { serviceMetadata, serviceRegions } from './model/constraints';
import { handleApiRequest } from './protocol/api-request-handler';
import { ApiMetrics } from './usage/api-metrics';
import { RateLimiter } from './usage/rate-limiter';
import { createS3RecordingWriterFactory } from './recording/s3-recording-writer';
import { CONTROL_PREFIX, createControlApi } from './simulation/control-api';
import { FaultInjector } from './simulation/fault-injector';
import { StateStore } from './state/region-state';
import { AssumableRoles } from './sts/assumable-roles';
import { SessionCredentialStore } from './sts/session-credentials';
import { handleStsRequest, isStsRequest, STS_SIGNING_NAME } from './sts/sts-request-handler';

export interface RunningEmulator {
  /** Base URL for the SDK's `endpoint` option, e.g. http://127.0.0.1:4566. */
  readonly endpoint: string;
  readonly port: number;
  readonly config: EmulatorConfig;
  readonly domain: IvsDomain;
  readonly events: EventBus;
  readonly faults: FaultInjector;
  readonly metrics: ApiMetrics;
  /** With `selfCheck`, every answer that broke the model (see protocol/self-check.ts); empty otherwise. */
  selfCheckFailures(): string[];
  /** Forgets every resource, fault, subscription and issued STS credential; waits for recordings in flight. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the emulator in this process. Used by `npm run emulator` and by tests. */
export async function startEmulator(
  input: EmulatorConfigInput = {},
  log: (message: string) => void = (m) => console.error(`[ivs-emulator] ${m}`),
): Promise<RunningEmulator> {
  const config = parseEmulatorConfig(input);
  const clock = new ScaledClock(config.clockScale);
  const s3 = config.s3
    ? new S3Client({
        endpoint: config.s3.endpoint,
        region: config.s3.region,
        forcePathStyle: config.s3.forcePathStyle,
        credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
      })
    : undefined;
  const recordings = s3 ? createS3RecordingWriterFactory({ s3, clock, log }) : undefined;
  if (!recordings) log('no S3 server configured: participant and composite recordings will not be written');
  const events = new EventBus({ clock, log });
  const domain = new IvsDomain({
    config,
    clock,
    store: new StateStore(),
    tokens: await ParticipantTokenService.create(clock),
    recordings,
    events: domainEventPublisher(events, clock),
    log,
  });
  const faults = new FaultInjector();
  const metrics = new ApiMetrics();
  const rateLimiter = new RateLimiter(config.rateLimits);
  const sessions = new SessionCredentialStore(clock);
  const verifier = new SigV4Verifier({
    credentials: config.credentials,
    verify: config.verifySignatures,
    signingName: serviceMetadata.signingName,
    temporary: sessions,
    accountKeyShortcut: config.accountKeyShortcut,
    regions: new Set(serviceRegions.ivsRealtime),
  });

  const reset = async () => {
    domain.reset();
    sessions.reset();
    faults.clear();
    metrics.reset();
    rateLimiter.reset();
    for (const s of events.listSubscriptions()) events.unsubscribe(s.id);
    await recordings?.drain();
    // After the drain: recordings the reset ended announce it while they settle, and that belongs to the old history.
    events.forgetHistory();
  };
  // A specific listen address is a name the control API may be called by, as loopback addresses always are.
  const listenHost = /^(0\.0\.0\.0|::|\[::\])$/.test(config.host) ? [] : [config.host.replace(/^\[|\]$/g, '')];
  const control = createControlApi({
    domain,
    events,
    faults,
    metrics,
    rateLimiter,
    reset,
    hasS3: !!recordings,
    guard: { hosts: [...config.controlHosts, ...listenHost].map((h) => h.toLowerCase()), token: config.controlToken },
  });
  const selfCheckFailures: string[] = [];
  const api = {
    selfCheck: config.selfCheck
      ? (failure: string) => {
          log(`self-check failed: ${failure}`);
          selfCheckFailures.push(failure);
        }
      : undefined,
    domain,
    verifier,
    rateLimiter,
    faults,
    metrics,
    maxBodyBytes: config.maxBodyBytes,
    log,
    logRequests: config.logRequests,
  };
  const sts = {
    verifier: new SigV4Verifier({
      credentials: config.credentials,
      verify: config.verifySignatures,
      signingName: STS_SIGNING_NAME,
      temporary: sessions,
      accountKeyShortcut: config.accountKeyShortcut,
      regions: new Set(serviceRegions.sts),
    }),
    sessions,
    assumableRoles: new AssumableRoles(config.assumableRoles),
    metrics,
    maxBodyBytes: config.maxBodyBytes,
    log,
    logRequests: config.logRequests,
  };

  // Slow or stuck clients must not tie the server up. Node only looks for overdue requests every
  // connectionsCheckingInterval (30 s by default), which would stretch the timeouts well past their values.
  const requestTimeoutMs = config.requestTimeoutMs;
  const server: Server = createServer(
    { connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(requestTimeoutMs / 4))) },
    (req, res) => {
      const isControl = config.controlApi && req.url?.startsWith(CONTROL_PREFIX);
      // The IVS API (nearly every request) catches what escapes it itself, without a promise: see handleApiRequest.
      if (!isControl && !isStsRequest(req)) return handleApiRequest(req, res, api);
      const handler = isControl ? control(req, res) : handleStsRequest(req, res, sts);
      handler.catch((e: unknown) => {
        log(`unhandled error: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
  );
  // headersTimeout may not exceed requestTimeout.
  server.headersTimeout = Math.min(10_000, requestTimeoutMs);
  server.requestTimeout = requestTimeoutMs;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    endpoint: `http://${host}:${port}`,
    port,
    config,
    domain,
    events,
    faults,
    metrics,
    reset,
    selfCheckFailures: () => [...selfCheckFailures],
    async stop() {
      events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      domain.reset();
      await recordings?.drain();
      s3?.destroy();
    },
  };
}
