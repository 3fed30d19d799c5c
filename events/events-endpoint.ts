import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Client } from '@temporalio/client';
import { createEventDispatcher, type DispatcherStats, type EventOutcome } from './event-dispatcher';
import { parseEventsBody } from './ivs-event-schema';
import { isLoopbackHost } from '../security/loopback-host';
import { requestAuthenticator } from './request-auth';
import { createShowLookup, type ShowLookupOptions, type ShowLookupStats } from './show-lookup';
import {
  errorAnswer,
  listenHttp,
  mediaTypeOf,
  readBody,
  RequestError,
  sendJson,
  type ServiceLogEntry,
} from '../http-endpoint/http-endpoint';

export type EventsLogEntry = ServiceLogEntry;

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
  /** The IVS client for a region and account, to read a resource's tags (see ShowLookupOptions). */
  ivs: ShowLookupOptions['ivs'];
  /** The only regions whose resources are looked up (SHOWRUNNER_EVENTS_REGIONS); others are ignored unasked. */
  regions?: string[];
  /** Accounts reached through a role (SHOWRUNNER_AWS_ACCOUNTS): their ARNs are looked up there. */
  accounts?: string[];
  /** Per show and event kind, at most one signal per window (2 s by default). */
  coalesce?: { windowMs?: number; maxKeys?: number };
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
    regions: options.regions,
    accounts: options.accounts,
    maxEntries: options.lookupCache?.maxEntries,
    ttlMs: options.lookupCache?.ttlMs,
    timeoutMs: options.lookupTimeoutMs,
  });
  const dispatcher = createEventDispatcher({
    lookup,
    client: options.client,
    dedupe: options.dedupe,
    coalesce: options.coalesce,
    signalTimeoutMs: options.signalTimeoutMs,
  });
  let requests = 0;
  const byStatus: Record<string, number> = {};

  async function handleEvents(req: IncomingMessage): Promise<{ status: number; body: object; fields: object }> {
    if (!authenticate(req.headers)) throw new RequestError(401, 'Unauthorized', 'Missing or wrong credentials');
    // EventBridge API destinations send JSON as application/json; anything else is not an event delivery (and a
    // form or text/plain POST is what a browser may send cross-site without a preflight).
    if (mediaTypeOf(req) !== 'application/json')
      throw new RequestError(415, 'UnsupportedMediaType', 'Content-Type must be application/json');
    const parsed = parseEventsBody(await readBody(req, MAX_BODY_BYTES));
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
        throw new RequestError(405, 'MethodNotAllowed', 'Events are POSTed', { allow: 'POST' });
      } else ({ status, body, fields } = await handleEvents(req));
    } catch (e) {
      ({ status, body, fields } = errorAnswer(e, req, res, {
        status: 500,
        error: 'InternalError',
        message: 'Unexpected error',
      }));
      if (status === 401 && (options.authHeader ?? 'authorization').toLowerCase() === 'authorization')
        res.setHeader('www-authenticate', 'Bearer');
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
    sendJson(res, status, body);
  }

  const http = await listenHttp(route, options);
  return {
    url: http.url,
    stop: () => {
      // Requests in progress keep their 3 s to finish (their signals may already be on the way).
      dispatcher.stop();
      return http.stop();
    },
    stats: () => ({ requests, byStatus: { ...byStatus }, ...dispatcher.stats(), lookup: lookup.stats() }),
  };
}
