import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { ApiError } from '../errors/api-error';

export interface ControlGuardOptions {
  /** Names besides loopback addresses and `localhost` the control API answers to (e.g. a container's name). */
  hosts: readonly string[];
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
}

const READ_ONLY = new Set(['GET', 'HEAD']);

/** The host name of a Host header (`[::1]:4566` → `::1`, `Localhost:80` → `localhost`). */
function hostName(header: string): string {
  const trimmed = header.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']'));
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 || trimmed.indexOf(':') !== colon ? trimmed : trimmed.slice(0, colon);
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The control API can reset the emulator, rewrite its quotas and act as any participant, and it is not signed. A web
 * page the developer happens to visit must not reach it: a cross-site request from a browser either carries an
 * `Origin` (refused), or is a simple request without `Content-Type: application/json` (refused for anything that
 * changes state, so a page must send a preflight, and OPTIONS is refused too), and a DNS-rebinding page arrives with
 * its own Host name (refused unless it is a loopback address or a configured name). An optional bearer token closes
 * the API to everyone else on the network.
 */
export function checkControlRequest(req: IncomingMessage, options: ControlGuardOptions): void {
  const host = req.headers.host;
  if (!host) throw new ApiError('AccessDeniedException', 403, 'The control API needs a Host header');
  const name = hostName(host);
  if (!isLoopback(name) && !options.hosts.includes(name)) {
    throw new ApiError(
      'AccessDeniedException',
      403,
      `The control API answers only requests addressed to a loopback address or a configured --control-host, not '${name.slice(0, 64)}'`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    throw new ApiError('AccessDeniedException', 403, 'The control API refuses cross-origin requests');
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new ApiError('AccessDeniedException', 403, 'The control API refuses cross-site requests');
  }
  if (options.token !== undefined) {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!match || !sameSecret(match[1]!, options.token)) {
      throw new ApiError('UnauthorizedException', 401, 'The control API needs Authorization: Bearer <control token>');
    }
  }
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    throw new ApiError('AccessDeniedException', 403, 'The control API does not answer CORS preflight requests');
  }
  if (!READ_ONLY.has(method)) {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new ApiError(
        'UnsupportedMediaTypeException',
        415,
        `${method} requests to the control API must be sent with Content-Type: application/json`,
      );
    }
  }
}
