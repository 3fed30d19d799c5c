import { createRemoteJWKSet, jwtVerify } from 'jose';
import { isLoopbackHost } from './loopback-host';
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

/**
 * The signing keys decide who may decode every payload, so they are fetched only over https: over plain http anyone
 * on the path could serve their own keys and mint accepted tokens. A loopback host (a local identity provider, a
 * test) is the one exception. Returns the problem, or undefined.
 */
export function jwksUrlProblem(jwksUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol === 'https:') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:' && isLoopbackHost(host)) return undefined;
  return 'must be an https URL (plain http only on a loopback host): the keys it serves decide who may decode';
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
  const problem = jwt && jwksUrlProblem(jwt.jwksUrl);
  if (problem) throw new Error(`The JWKS URL ${problem}`);
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
