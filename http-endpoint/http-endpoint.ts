import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One JSON line of a service's log: the services print them on stdout, tests collect them. */
export interface ServiceLogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

/** A refusal the route answers as `{ error: code, message }` with this status and these extra headers. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Reads a request body as UTF-8, refusing (413) one that declares or streams more than `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new RequestError(413, 'PayloadTooLarge', `The body exceeds ${maxBytes} bytes`);
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(tooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The media type of a request's Content-Type, without parameters, lower case ('' when absent). */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function sendJson(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export interface HttpEndpoint {
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string;
  /** Stops accepting connections; requests in progress get 3 s to finish before their connections are cut. */
  stop(): Promise<void>;
}

/**
 * Listens with `route` on `host:port` (0 picks a free port) and resolves once listening, or rejects when the
 * port cannot be had. Slow or stalled clients must not hold sockets: a request gets 15 s, its headers 10 s.
 */
export async function listenHttp(
  route: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  at: { port: number; host: string },
): Promise<HttpEndpoint> {
  const server = createServer((req, res) => void route(req, res));
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
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
        setTimeout(() => server.closeAllConnections(), 3_000).unref();
      }),
  };
}

/**
 * What to answer when handling a request threw: a RequestError's own status, code and headers; anything else
 * `unexpected`, its message kept for the log (`fields.error`) and never returned. An unread body would otherwise
 * stall the keep-alive connection, and a refused one is not worth reading: the connection is closed.
 */
export function errorAnswer(
  e: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  unexpected: { status: number; error: string; message: string },
): { status: number; body: { error: string; message: string }; fields: object } {
  if (!req.complete) res.setHeader('connection', 'close');
  if (e instanceof RequestError) {
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    return { status: e.status, body: { error: e.code, message: e.message }, fields: {} };
  }
  return {
    status: unexpected.status,
    body: { error: unexpected.error, message: unexpected.message },
    fields: { error: e instanceof Error ? e.message : String(e) },
  };
}
