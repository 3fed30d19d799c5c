import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValueError, type PayloadCodec } from '@temporalio/common';
import { createCodecAuthenticator, type CodecJwtOptions } from './codec-auth';
import { isLoopbackHost } from './loopback-host';
import { DEFAULT_CODEC_HOST, DEFAULT_MAX_BODY_BYTES } from './codec-server-config';
import { EncryptionCodec } from './encryption-codec';
import type { KeyRing } from './encryption-keys';
import { payloadsFromJson, payloadToJson } from './payload-json';

/**
 * The codec server the Temporal Web UI and CLI call to show encrypted payloads to operators, following Temporal's
 * codec server protocol: POST .../decode and .../encode with `{ payloads: [...] }` in proto3 JSON, routed on the
 * last path segment only (so it can be mounted under any prefix, e.g. `/{namespace}/decode` for the CLI), and the
 * `X-Namespace` header. Decoding hands out plaintext, so every request needs a bearer token; the browser UI also
 * needs CORS for its origin. Nothing here logs payloads, tokens or keys: one line per request with its outcome.
 */
export interface CodecServerOptions {
  keyRing: KeyRing;
  /** Accepted `Authorization: Bearer` tokens. Tokens, `jwt`, both, or `loopbackWithoutToken`. */
  tokens?: readonly string[];
  /** Also accept JWTs from this OIDC issuer (what the Temporal UI forwards with pass-access-token). */
  jwt?: CodecJwtOptions;
  /** Origins (scheme://host[:port]) allowed to call from a browser, e.g. the Temporal UI's. None by default. */
  corsOrigins?: readonly string[];
  /** Send `Access-Control-Allow-Credentials: true` (the UI's TEMPORAL_CODEC_INCLUDE_CREDENTIALS). */
  corsAllowCredentials?: boolean;
  /**
   * For the local stack's Web UI, which cannot send a token (the dev server's UI has no codec credential setting):
   * a request without a valid token is still served when it comes from this machine — peer address, `Host` header
   * (against DNS rebinding) and `Origin` (absent, or one of `corsOrigins`) all loopback/allowed. Only allowed when
   * the server listens on a loopback address; tokens keep working. Every non-loopback use needs a token or a JWT.
   */
  loopbackWithoutToken?: boolean;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0: a free port, reported in `url`. */
  port?: number;
  maxBodyBytes?: number;
  /** One line per request; defaults to silence. */
  log?: (line: string) => void;
}

export interface RunningCodecServer {
  /** Base URL without a trailing slash: POST `${url}/decode`. */
  url: string;
  stop(): Promise<void>;
}

// Authorization-Extras: the UI adds the operator's ID token there when it passes the access token.
const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization, Authorization-Extras';
const ALLOWED_METHODS = 'POST, OPTIONS';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const host = options.host ?? DEFAULT_CODEC_HOST;
  const loopbackOnly = options.loopbackWithoutToken ?? false;
  if (loopbackOnly && !isLoopbackHost(host))
    throw new Error(`The codec server may go without a token only on a loopback address, not on ${host}`);
  const tokenCheck =
    loopbackOnly && !options.tokens?.length && !options.jwt
      ? async () => false
      : createCodecAuthenticator({ tokens: options.tokens, jwt: options.jwt });
  const authorized = async (req: IncomingMessage) =>
    (await tokenCheck(header(req, 'authorization'))) || (loopbackOnly && isFromThisMachine(req, corsOrigins));
  const codec: PayloadCodec = new EncryptionCodec(options.keyRing);
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => undefined);

  const server = createServer((req, res) => {
    const started = Date.now();
    const path = safePath(req.url);
    const namespace = logSafe(header(req, 'x-namespace'));
    let payloadCount: number | undefined;
    let detail: string | undefined;
    const finish = () => {
      const parts = [`${req.method ?? '?'} ${path} ${res.statusCode}`];
      if (namespace) parts.push(`namespace=${namespace}`);
      if (payloadCount !== undefined) parts.push(`payloads=${payloadCount}`);
      if (detail) parts.push(`(${detail})`);
      parts.push(`${Date.now() - started}ms`);
      log(parts.join(' '));
    };
    res.once('finish', finish);

    applyCors(req, res, corsOrigins, options.corsAllowCredentials ?? false);
    handle(req, res, path, (count) => (payloadCount = count)).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      // HttpError messages are ours or the codec's (key ids at most); anything else may quote internals.
      const message = error instanceof HttpError ? error.message : 'internal error';
      detail = error instanceof HttpError ? error.message : `${(error as Error)?.name ?? 'error'}`;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, status, { error: message }, error instanceof HttpError ? error.headers : {});
    });
  });

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    countPayloads: (n: number) => void,
  ): Promise<void> {
    // Preflight requests carry no credentials by design, so they are answered before the token check.
    if (req.method === 'OPTIONS') {
      const origin = header(req, 'origin');
      if (origin !== undefined && !corsOrigins.has(origin)) throw new HttpError(403, 'origin not allowed');
      res.writeHead(204, {
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    // For container health checks: says nothing but "up".
    if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (!(await authorized(req))) {
      req.resume();
      throw new HttpError(401, 'a valid "Authorization: Bearer <token>" header is required', {
        'WWW-Authenticate': 'Bearer realm="showrunner-codec"',
      });
    }
    const action = path.split('/').filter(Boolean).at(-1);
    if (action !== 'encode' && action !== 'decode') {
      req.resume();
      throw new HttpError(404, 'not found: POST .../encode or .../decode');
    }
    if (req.method !== 'POST') {
      req.resume();
      throw new HttpError(405, `${action} takes POST`, { Allow: ALLOWED_METHODS });
    }
    const contentType = header(req, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      req.resume();
      throw new HttpError(415, 'Content-Type must be application/json');
    }
    const text = await readBody(req, maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'request body is not valid JSON');
    }
    const parsed = payloadsFromJson(body);
    if (!parsed.ok) {
      throw new HttpError(400, `request body is not { payloads: [{ metadata, data }] }: ${parsed.problems.join('; ')}`);
    }
    countPayloads(parsed.payloads.length);
    let result;
    try {
      result = action === 'decode' ? await codec.decode(parsed.payloads) : await codec.encode(parsed.payloads);
    } catch (error) {
      // ValueError: a payload this key ring cannot open (unknown key id, failed authentication). The protocol asks
      // for a 400; the message names the key id at most.
      if (error instanceof ValueError) throw new HttpError(400, error.message);
      throw error;
    }
    sendJson(res, 200, { payloads: result.map(payloadToJson) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A slow or stalled client must not hold a connection (and a half-read body) forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Whether a request comes from a browser or program on this machine, as far as HTTP can tell: the peer is a
 * loopback address, the `Host` it asked for is a loopback name (a DNS-rebinding page would send its own host
 * name) and a browser's `Origin`, if any, is one the server allows (any other web page the user has open could
 * otherwise POST to the port).
 */
function isFromThisMachine(req: IncomingMessage, origins: ReadonlySet<string>): boolean {
  const peer = req.socket.remoteAddress ?? '';
  if (!isLoopbackHost(peer)) return false;
  const hostHeader = header(req, 'host');
  if (hostHeader === undefined) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return false;
  }
  if (!isLoopbackHost(hostname)) return false;
  const origin = header(req, 'origin');
  return origin === undefined || origins.has(origin);
}

function applyCors(req: IncomingMessage, res: ServerResponse, origins: ReadonlySet<string>, credentials: boolean) {
  if (origins.size === 0) return;
  // Caches must not hand one origin's answer to another.
  res.setHeader('Vary', 'Origin');
  const origin = header(req, 'origin');
  if (origin === undefined || !origins.has(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    // Decoded payloads are secrets: no browser or proxy cache may keep them.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, `request body is larger than ${limit} bytes`, {
      // The connection may still carry unread body bytes: it cannot be reused.
      Connection: 'close',
    });
  const declared = Number(header(req, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    // Drained, not destroyed: destroying the request would drop the socket before the 413 reaches the client.
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (chunks.length > 0) chunks.length = 0;
      // A client that keeps streaming long past the limit is cut off rather than drained forever.
      if (size > limit * 4) req.destroy();
    });
    req.once('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new HttpError(400, 'request body was cut off'));
    });
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The path without the query string, for routing and logs. */
function safePath(url: string | undefined): string {
  try {
    return logSafe(new URL(url ?? '/', 'http://codec.invalid').pathname) ?? '/';
  } catch {
    return '/';
  }
}

/** Keeps request-supplied text from forging log lines. */
function logSafe(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.replace(/[^\x21-\x7e]/g, '?').slice(0, 128);
}
