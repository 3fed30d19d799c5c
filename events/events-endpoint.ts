import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import type { Client } from '@temporalio/client';
import { createEventDispatcher, type DispatcherStats, type EventOutcome } from './event-dispatcher';
import { parseEventsBody } from './ivs-event-schema';
import { isLoopbackHost } from '../security/loopback-host';
import { requestAuthenticator } from './request-auth';
import { createShowLookup, type ShowLookupStats } from './show-lookup';

export interface EventsLogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

export interface EventsEndpointOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host: string;
  /**
   * The secret EventBridge's connection sends. Without one the endpoint accepts anything, which is allowed only
   * on a loopback host (the local emulator's webhooks send no credentials); it warns at startup.
   */
  token?: string;
  /** Header carrying the token; `authorization` (default) expects `Bearer <token>`, others the bare token. */
  authHeader?: string;
  /** The IVS client for a region, to read a resource's tags. */
  ivs: (region: string) => IVSRealTimeClient;
  /** A Temporal client whose data converter has the payload codec (shows decode their signals with it). */
  client: Client;
  log?: (entry: EventsLogEntry) => void;
  lookupCache?: { maxEntries?: number; ttlMs?: number };
  dedupe?: { maxEntries?: number; ttlMs?: number };
  lookupTimeoutMs?: number;
  signalTimeoutMs?: number;
}

export interface EventsEndpointStats extends DispatcherStats {
  requests: number;
  byStatus: Record<string, number>;
  lookup: ShowLookupStats;
}

export interface EventsEndpoint {
  /** Base URL; events go to `${url}/events` (or `${url}/`). */
  url: string;
  stop(): Promise<void>;
  stats(): EventsEndpointStats;
}

/** One IVS event is at most 256 KB in EventBridge; a test batch of them stays well under this. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Events of one batch handled at once: enough to overlap lookups and signals without flooding either. */
const BATCH_CONCURRENCY = 8;

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      reject(new RequestError(413, 'PayloadTooLarge', `The body exceeds ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RequestError(413, 'PayloadTooLarge', `The body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The HTTP target of an EventBridge API destination for IVS events: authenticates the request, validates the
 * event(s), finds each event's show from its resource tags and signals it. It answers 200 whenever retrying
 * cannot help (not Showrunner's resource, show finished, duplicate) and 503 only when Temporal did not take a
 * signal, so that EventBridge retries exactly the deliveries that matter.
 */
export async function startEventsEndpoint(options: EventsEndpointOptions): Promise<EventsEndpoint> {
  const log = options.log ?? (() => undefined);
  if (options.token === undefined) {
    if (!isLoopbackHost(options.host))
      throw new Error(`An events token is required when listening on ${options.host} (only loopback may go without)`);
    log({
      level: 'warn',
      msg: 'events endpoint has no token: it accepts unauthenticated events (loopback only, for the local emulator)',
    });
  } else if (options.token.length === 0) throw new Error('The events token must not be empty');
  const authenticate = requestAuthenticator({ token: options.token, header: options.authHeader });
  const lookup = createShowLookup({
    ivs: options.ivs,
    maxEntries: options.lookupCache?.maxEntries,
    ttlMs: options.lookupCache?.ttlMs,
    timeoutMs: options.lookupTimeoutMs,
  });
  const dispatcher = createEventDispatcher({
    lookup,
    client: options.client,
    dedupe: options.dedupe,
    signalTimeoutMs: options.signalTimeoutMs,
  });
  let requests = 0;
  const byStatus: Record<string, number> = {};

  async function handleEvents(req: IncomingMessage): Promise<{ status: number; body: object; fields: object }> {
    if (!authenticate(req.headers)) throw new RequestError(401, 'Unauthorized', 'Missing or wrong credentials');
    const parsed = parseEventsBody(await readBody(req));
    if (!parsed.ok) throw new RequestError(400, parsed.error, parsed.message);
    const outcomes: EventOutcome[] = await mapLimited(parsed.events, BATCH_CONCURRENCY, (e) => dispatcher.dispatch(e));
    const counts = {
      received: outcomes.length,
      signalled: outcomes.filter((o) => o.kind === 'signalled').length,
      ignored: outcomes.filter((o) => o.kind === 'ignored').length,
    };
    const failed = outcomes.filter((o) => o.kind === 'failed');
    const fields = {
      ...counts,
      failed: failed.length,
      events: outcomes.map((o, i) => ({
        id: parsed.events[i]!.id,
        detailType: parsed.events[i]!['detail-type'],
        eventName: parsed.events[i]!.detail.event_name,
        outcome: o.kind === 'ignored' ? o.reason : o.kind,
        ...('workflowId' in o && o.workflowId ? { workflowId: o.workflowId } : {}),
        ...('error' in o && o.error ? { error: o.error } : {}),
      })),
    };
    if (failed.length > 0) {
      const body = { error: 'TemporalUnavailable', message: 'Temporal did not accept a signal; retry', ...counts };
      return { status: 503, body: { ...body, failed: failed.length }, fields };
    }
    return { status: 200, body: counts, fields };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    let status: number;
    let body: object;
    let fields: object = {};
    try {
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        status = 200;
        body = { status: 'ok' };
      } else if (path !== '/events' && path !== '/') {
        throw new RequestError(404, 'NotFound', `No route for ${path}`);
      } else if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new RequestError(405, 'MethodNotAllowed', 'Events are POSTed');
      } else ({ status, body, fields } = await handleEvents(req));
    } catch (e) {
      if (e instanceof RequestError) {
        status = e.status;
        body = { error: e.code, message: e.message };
      } else {
        status = 500;
        body = { error: 'InternalError', message: 'Unexpected error' };
        fields = { error: e instanceof Error ? e.message : String(e) };
      }
      if (status === 401 && (options.authHeader ?? 'authorization').toLowerCase() === 'authorization')
        res.setHeader('www-authenticate', 'Bearer');
      // An unread body would otherwise stall the keep-alive connection; a rejected one is not worth reading.
      if (!req.complete) res.setHeader('connection', 'close');
    }
    requests++;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    log({
      level,
      msg: 'request',
      method: req.method,
      path,
      status,
      ms: Math.round(performance.now() - started),
      ...('error' in body && status < 500 ? { error: body.error } : {}),
      ...fields,
    });
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  const server: Server = createServer((req, res) => {
    void route(req, res);
  });
  // Slow or stalled clients must not hold sockets: EventBridge itself gives up after 5 s.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests in progress get a moment to finish (their signals may already be on the way).
        setTimeout(() => server.closeAllConnections(), 3_000).unref();
      }),
    stats: () => ({ requests, byStatus: { ...byStatus }, ...dispatcher.stats(), lookup: lookup.stats() }),
  };
}
