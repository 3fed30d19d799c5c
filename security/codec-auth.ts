import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createBearerTokenCheck } from './bearer-tokens';

/**
 * Who may call the codec server: `Authorization: Bearer <token>` holding one of the configured static tokens (for the
 * CLI, scripts and proxies), or, when an OIDC issuer is configured, a JWT it signed for the configured audience. The
 * second is what the Temporal UI sends with TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true: the logged-in operator's access
 * token, which no static list could contain.
 */
export interface CodecJwtOptions {
  /** The issuer's JWKS document, e.g. https://login.example.com/.well-known/jwks.json. */
  jwksUrl: string;
  issuer: string;
  audience: string;
}

export interface CodecAuthOptions {
  tokens?: readonly string[];
  jwt?: CodecJwtOptions;
}

export function createCodecAuthenticator(
  options: CodecAuthOptions,
): (authorization: string | undefined) => Promise<boolean> {
  const tokens = options.tokens ?? [];
  if (tokens.length === 0 && !options.jwt) {
    throw new Error('The codec server needs at least one bearer token or a JWT issuer: it never runs unauthenticated');
  }
  const staticCheck = tokens.length > 0 ? createBearerTokenCheck(tokens) : () => false;
  const jwt = options.jwt;
  // Fetched on first use and cached; refetched when a token names a key id it has not seen (key rotation).
  const keys = jwt ? createRemoteJWKSet(new URL(jwt.jwksUrl)) : undefined;
  return async (authorization) => {
    if (staticCheck(authorization)) return true;
    if (!jwt || !keys) return false;
    const token = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? '')?.[1];
    // Three dot-separated parts or it is no JWT; skip the verifier's work for static-token typos.
    if (!token || token.split('.').length !== 3) return false;
    try {
      // jwtVerify checks signature, exp/nbf, issuer and audience; alg "none" is never accepted.
      await jwtVerify(token, keys, { issuer: jwt.issuer, audience: jwt.audience, clockTolerance: '30s' });
      return true;
    } catch {
      return false;
    }
  };
}
