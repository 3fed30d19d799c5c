import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>` against a fixed set of tokens in constant time. Both sides are hashed first
 * so timingSafeEqual always compares 32 bytes (a plain comparison would leak a token's length, and an early exit its
 * prefix), and every token is compared on every request, so the time does not say which one matched either.
 */
export function createBearerTokenCheck(tokens: readonly string[]): (authorization: string | undefined) => boolean {
  if (tokens.length === 0) throw new Error('At least one bearer token is required');
  const digests = tokens.map(sha256);
  return (authorization) => {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? '');
    // A missing header is still hashed and compared, so it costs the same as a wrong token.
    const candidate = sha256(match?.[1] ?? '');
    let ok = false;
    for (const digest of digests) ok = timingSafeEqual(digest, candidate) || ok;
    return ok && match !== null;
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
