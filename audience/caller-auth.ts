import { createHash, timingSafeEqual } from 'node:crypto';

/** A caller of the token service (an application backend), known by name, proving itself with a bearer token. */
export interface Caller {
  name: string;
  token: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Which caller an `Authorization: Bearer <token>` header names, or undefined. Each caller has its own token, so the
 * rate limit is per caller and one can be revoked alone. Every token is compared every time, on hashes, in
 * constant time: the response time says neither which caller matched nor how much of a token was right.
 */
export function callerAuthenticator(
  callers: readonly Caller[],
): (authorization: string | undefined) => string | undefined {
  if (callers.length === 0) throw new Error('At least one caller is required');
  const digests = callers.map((c) => ({ name: c.name, digest: sha256(c.token) }));
  return (authorization) => {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? '');
    const candidate = sha256(match?.[1] ?? '');
    let found: string | undefined;
    for (const { name, digest } of digests) if (timingSafeEqual(digest, candidate) && match) found ??= name;
    return found;
  };
}
