import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Client } from '@temporalio/client';
import { viewerRequestProblem, viewerTokenRequestSchema } from '../contracts/audience';
import { SHOW_ID_PATTERN } from '../contracts/ids';
import { fieldIssues, inlineIssues } from '../contracts/issues';
import { callerAuthenticator, type Caller } from './caller-auth';
import { createRateLimiter } from './rate-limiter';
import { createSignerCache } from './signer-cache';
import {
  errorAnswer,
  listenHttp,
  mediaTypeOf,
  readBody,
  RequestError,
  sendJson,
  type ServiceLogEntry,
} from '../http-endpoint/http-endpoint';

export type TokenServiceLogEntry = ServiceLogEntry;

export interface TokenServiceOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host: string;
  /** Who may ask for tokens, each with its own bearer token (and its own rate limit per show). */
  callers: Caller[];
  /** A Temporal client whose data converter has the payload codec: the show's key arrives encrypted. */
  client: Client;
  /** How long a show's signer is reused before the show is asked again (default 2 s). */
  signerTtlMs?: number;
  log?: (entry: TokenServiceLogEntry) => void;
}

export interface TokenService {
  url: string;
  stop(): Promise<void>;
  stats(): { requests: number; issued: number; byStatus: Record<string, number>; queries: number };
}

const MAX_BODY_BYTES = 8 * 1024;
const ROUTE = /^\/shows\/([^/]+)\/viewer-tokens$/;

/**
 * The audience token service: `POST /shows/<id>/viewer-tokens` with `{ userId, attributes?, ttlSeconds? }` answers
 * 201 with a subscribe-only token for that show's stage, signed with the show's own key. Authenticated per caller,
 * rate-limited per caller and show by the show's spec (429 with Retry-After), refused when the show is unknown (404)
 * or not running with an audience (409). No request reaches IVS or the show's history: the show is asked only for
 * its signer, once per few seconds.
 */
export async function startTokenService(options: TokenServiceOptions): Promise<TokenService> {
  const log = options.log ?? (() => undefined);
  const authenticate = callerAuthenticator(options.callers);
  const signers = createSignerCache({ client: options.client, ttlMs: options.signerTtlMs });
  const limiter = createRateLimiter();
  let requests = 0;
  let issued = 0;
  const byStatus: Record<string, number> = {};

  async function handleToken(req: IncomingMessage, showId: string, caller: string) {
    if (mediaTypeOf(req) !== 'application/json')
      throw new RequestError(415, 'UnsupportedMediaType', 'Content-Type must be application/json');
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_BODY_BYTES));
    } catch (e) {
      if (e instanceof RequestError) throw e;
      throw new RequestError(400, 'InvalidRequest', 'The body is not JSON');
    }
    const parsed = viewerTokenRequestSchema.safeParse(body);
    if (!parsed.success)
      throw new RequestError(400, 'InvalidRequest', inlineIssues(fieldIssues(parsed.error.issues, '(body)')));
    const found = await signers.get(showId);
    if (found.kind === 'not-found') throw new RequestError(404, 'ShowNotFound', `No show ${showId}`);
    if (found.kind === 'no-audience')
      throw new RequestError(409, 'NoAudience', `Show ${showId} is not running with an audience`);
    const decision = limiter.take(`${caller}\u0000${showId}`, found.signer.rateLimit);
    if (!decision.allowed)
      throw new RequestError(429, 'TooManyRequests', `Rate limit of ${found.signer.rateLimit.tokensPerSecond}/s`, {
        'retry-after': String(decision.retryAfterSeconds),
      });
    const problem = viewerRequestProblem(found.signer, parsed.data);
    if (problem) throw new RequestError(400, 'InvalidRequest', problem);
    const token = await found.sign(parsed.data);
    issued++;
    return { token, fields: { participantId: token.participantId, expiresAt: token.expiresAt } };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    let status = 201;
    let body: object;
    let fields: object = {};
    let caller: string | undefined;
    try {
      const match = ROUTE.exec(path);
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        status = 200;
        body = { status: 'ok' };
      } else if (!match) throw new RequestError(404, 'NotFound', `No route for ${path}`);
      else if (req.method !== 'POST')
        throw new RequestError(405, 'MethodNotAllowed', 'Tokens are POSTed', { allow: 'POST' });
      else {
        caller = authenticate(req.headers.authorization);
        if (!caller)
          throw new RequestError(401, 'Unauthorized', 'Missing or wrong credentials', { 'www-authenticate': 'Bearer' });
        const showId = decodeURIComponent(match[1]!);
        if (!SHOW_ID_PATTERN.test(showId)) throw new RequestError(404, 'ShowNotFound', 'Not a show ID');
        const result = await handleToken(req, showId, caller);
        body = result.token;
        fields = { showId, ...result.fields };
      }
    } catch (e) {
      // Anything but a refusal: Temporal unreachable or the query timed out, worth retrying.
      ({ status, body, fields } = errorAnswer(e, req, res, {
        status: 503,
        error: 'Unavailable',
        message: 'The show could not be asked for its key; retry',
      }));
    }
    requests++;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    // One line per refusal or failure; successes are counted, not logged one by one (thousands per minute).
    if (status !== 201)
      log({
        level: status >= 500 ? 'error' : 'warn',
        msg: 'request',
        method: req.method,
        path,
        caller,
        status,
        ms: Math.round(performance.now() - started),
        ...('error' in body ? { error: body.error } : {}),
        ...fields,
      });
    sendJson(res, status, body);
  }

  const http = await listenHttp(route, options);
  return {
    url: http.url,
    stop: () => http.stop(),
    stats: () => ({ requests, issued, byStatus: { ...byStatus }, queries: signers.stats().queries }),
  };
}
