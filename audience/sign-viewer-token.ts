import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type KeyLike } from 'jose';
import {
  viewerTokenClaims,
  viewerTokenExpiry,
  type AudienceSigner,
  type ViewerTokenRequest,
} from '../contracts/audience';

export interface ViewerToken {
  token: string;
  participantId: string;
  userId: string;
  stageArn: string;
  expiresAt: string;
}

export type SignViewerToken = (request: ViewerTokenRequest, nowMs?: number) => Promise<ViewerToken>;

/**
 * The bare signing function for one show: the private key is imported once (the costly part of a first token), then
 * each token is one ES384 signature over the documented claims. `kid` is the public key's ARN, which is how IVS
 * finds the key to verify with. Validation of the request is the caller's (token-service.ts).
 */
export async function viewerTokenSigner(signer: AudienceSigner): Promise<SignViewerToken> {
  const key = (await importJWK({ ...signer.privateKey }, 'ES384')) as KeyLike;
  return async (request, nowMs = Date.now()) => {
    const participantId = randomUUID();
    const expiresAtMs = viewerTokenExpiry(signer, nowMs, request.ttlSeconds);
    const { jti, iat, exp, ...claims } = viewerTokenClaims({
      stageArn: signer.stageArn,
      userId: request.userId,
      participantId,
      attributes: request.attributes ?? {},
      issuedAtMs: nowMs,
      expiresAtMs,
    });
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: signer.publicKeyArn })
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
    return {
      token,
      participantId,
      userId: request.userId,
      stageArn: signer.stageArn,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  };
}
