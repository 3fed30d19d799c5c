import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, exportSPKI, generateKeyPair, jwtVerify, SignJWT, type KeyLike } from 'jose';
import type { Clock } from '../clock';
import { parseArn } from '../state/arns';

/**
 * Participant tokens are ES384 JWTs, as the service issues them. Callers must treat them as opaque, but the
 * claims match the documented self-signed token format, so a token an application signs itself with a key
 * registered through ImportPublicKey (its `kid` is the public key's ARN) joins a stage exactly like one from
 * CreateParticipantToken.
 */
export interface TokenClaims {
  participantId: string;
  stageArn: string;
  userId?: string;
  attributes: Record<string, string>;
  capabilities: { publish: boolean; subscribe: boolean };
  expiresAt: number;
  /** The public key ARN when the token is self-signed. */
  signedBy?: string;
}

export class TokenRejected extends Error {}

const EVENTS_URL = 'wss://global.events.live-video.net';

export function stageEndpoints(stageId: string) {
  return {
    events: EVENTS_URL,
    whip: `https://${stageId.toLowerCase()}.global-bm.whip.live-video.net`,
    rtmp: `rtmp://${stageId.toLowerCase()}.global-contribute.live-video.net/app/`,
    rtmps: `rtmps://${stageId.toLowerCase()}.global-contribute.live-video.net:443/app/`,
  };
}

export class ParticipantTokenService {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicKey: KeyLike,
    private readonly clock: Clock,
  ) {}

  static async create(clock: Clock): Promise<ParticipantTokenService> {
    const { privateKey, publicKey } = await generateKeyPair('ES384');
    return new ParticipantTokenService(privateKey, publicKey, clock);
  }

  /** The PEM of the emulator's own signing key, for clients that want to verify tokens. */
  async signingPublicKeyPem(): Promise<string> {
    return exportSPKI(this.publicKey);
  }

  async issue(claims: Omit<TokenClaims, 'signedBy'>): Promise<string> {
    const stageId = parseArn(claims.stageArn)?.resourceId ?? '';
    const endpoints = stageEndpoints(stageId);
    return new SignJWT({
      resource: claims.stageArn,
      topic: stageId,
      events_url: endpoints.events,
      whip_url: endpoints.whip,
      user_id: claims.userId ?? '',
      attributes: claims.attributes,
      capabilities: { allow_publish: claims.capabilities.publish, allow_subscribe: claims.capabilities.subscribe },
      version: '1.0',
    })
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT' })
      .setJti(claims.participantId)
      .setIssuedAt(Math.floor(this.clock.now() / 1000))
      .setExpirationTime(Math.floor(claims.expiresAt / 1000))
      .sign(this.privateKey);
  }

  /**
   * Verifies a token for joining. `publicKeyFor` resolves an imported public key by ARN (self-signed tokens);
   * tokens without `kid` must carry the emulator's own signature.
   */
  async verify(token: string, publicKeyFor: (arn: string) => KeyObject | undefined): Promise<TokenClaims> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new TokenRejected('token is not a JWT');
    }
    let key: KeyLike = this.publicKey;
    if (kid) {
      const imported = publicKeyFor(kid);
      if (!imported) throw new TokenRejected(`token is signed with unknown public key ${kid}`);
      key = imported;
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ['ES384'], currentDate: new Date(this.clock.now()) }));
    } catch (e) {
      throw new TokenRejected(`token rejected: ${(e as Error).message}`);
    }
    const capabilities = (payload.capabilities ?? {}) as { allow_publish?: unknown; allow_subscribe?: unknown };
    const stageArn = payload.resource;
    const participantId = payload.jti;
    if (typeof stageArn !== 'string' || !parseArn(stageArn) || typeof participantId !== 'string' || !participantId) {
      throw new TokenRejected('token lacks a stage ARN (resource) or participant ID (jti)');
    }
    if (kid) {
      // An imported key vouches only for stages of its own account and region: anyone can import a key, so a key of
      // another account must not mint tokens for this one's stages.
      const keyArn = parseArn(kid);
      const stage = parseArn(stageArn)!;
      if (!keyArn || keyArn.accountId !== stage.accountId || keyArn.region !== stage.region) {
        throw new TokenRejected(
          `token is signed with public key ${kid}, which does not belong to the account and region of stage ${stageArn}`,
        );
      }
    }
    return {
      participantId,
      stageArn,
      userId: typeof payload.user_id === 'string' && payload.user_id !== '' ? payload.user_id : undefined,
      attributes: isStringMap(payload.attributes) ? payload.attributes : {},
      capabilities: { publish: capabilities.allow_publish === true, subscribe: capabilities.allow_subscribe === true },
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : 0,
      signedBy: kid,
    };
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
