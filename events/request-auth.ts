import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestAuthOptions {
  /** The shared secret; undefined disables authentication (allowed on loopback only, see events-endpoint.ts). */
  token?: string;
  /**
   * The header carrying it, as configured on the EventBridge connection. `authorization` (the default) expects
   * `Bearer <token>`; any other name (an API_KEY connection's header) expects the token as the whole value.
   */
  header?: string;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Builds the check for one endpoint. Both sides are hashed before the constant-time comparison, so neither the
 * content nor the length of the expected value leaks through response timing.
 */
export function requestAuthenticator(options: RequestAuthOptions): (headers: IncomingHttpHeaders) => boolean {
  const { token } = options;
  if (token === undefined) return () => true;
  const header = (options.header ?? 'authorization').toLowerCase();
  const expected = digest(token);
  // RFC 9110: the auth scheme is case-insensitive, so `bearer` and `BEARER` are as good as `Bearer`.
  const bearer = /^Bearer[ ]+(\S+)[ ]*$/i;
  return (headers) => {
    const value = headers[header];
    if (typeof value !== 'string') return false;
    const candidate = header === 'authorization' ? bearer.exec(value.trim())?.[1] : value.trim();
    // A malformed header is still hashed and compared, so it costs the same as a wrong token.
    return timingSafeEqual(digest(candidate ?? ''), expected) && candidate !== undefined;
  };
}
