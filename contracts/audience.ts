import { z } from 'zod/mini';
import type { AccountRegion } from './aws-scope';
import { ATTRIBUTES, attributesFit, TOKEN_MINUTES, USER_ID_MAX_LENGTH, utf8Length } from './participants';
import type { ShowIdentity } from './tags';
import './zod-english';

/**
 * Audience (viewer) tokens: self-signed, subscribe-only participant tokens. The show imports a public key
 * (ImportPublicKey) and keeps its private key; the token service (audience/) signs tokens with it, so thousands of
 * viewers never touch CreateParticipantToken's 50 TPS nor the show's history. Workflow-safe: types, constants and
 * pure functions only.
 */

const MINUTE = 60_000;

export const AUDIENCE = {
  /** A self-signed token's lifetime: IVS's participant-token bounds (1 minute to 14 days), default one hour. */
  ttlMs: { min: TOKEN_MINUTES.min * MINUTE, max: TOKEN_MINUTES.max * MINUTE, default: 60 * MINUTE },
  attributesMaxBytes: ATTRIBUTES.maxBytes,
  /** Tokens per second per caller of the token service: default 20, at most 10,000. */
  rate: { min: 0.01, max: 10_000, default: 20 },
  burstDefault: 100,
  burstMax: 100_000,
  /** Self-signed token `jti` (the participant ID): IVS documents at most 64 characters. */
  participantIdMaxLength: 64,
} as const;

/** The private half of the show's key pair, as a JWK (P-384). A secret: only ever inside encrypted payloads. */
export interface AudiencePrivateJwk {
  kty: 'EC';
  crv: 'P-384';
  x: string;
  y: string;
  d: string;
}

export interface ImportAudienceKeyInput extends AccountRegion {
  identity: ShowIdentity;
  /** Name prefix of the imported key; the activity appends a fingerprint of the key it generated. */
  name: string;
  tags: Record<string, string>;
}

export interface AudienceKey {
  publicKeyArn: string;
  /** Secret: reaches history only through the payload codec (activity result, continued state). */
  privateKey: AudiencePrivateJwk;
}

export interface AudienceKeyActivities {
  /** Generates an ES384 key pair and imports its public key, tagged as the show's (create-once, see activity). */
  importAudienceKey(input: ImportAudienceKeyInput): Promise<AudienceKey>;
  /** DeletePublicKey: every token the key signed stops working. Already gone is done. */
  deleteAudienceKey(input: AccountRegion & { arn: string }): Promise<{ deleted: boolean }>;
}

/**
 * What the token service needs to sign for a running show (the `audienceSigner` query). Secret (the private key):
 * query results pass the payload codec like every payload, so the wire carries it encrypted.
 */
export interface AudienceSigner {
  showId: string;
  stageArn: string;
  publicKeyArn: string;
  privateKey: AudiencePrivateJwk;
  /** The show's current planned end (ISO): no token outlives it. */
  endsAt: string;
  maxTokenTtlMs: number;
  attributes: { maxBytes: number; allowedKeys?: string[] };
  rateLimit: { tokensPerSecond: number; burst: number };
}

/** What a caller of the token service asks for: a viewer's user ID and attributes, and optionally a shorter TTL. */
export const viewerTokenRequestSchema = z.strictObject({
  userId: z.string().check(z.minLength(1), z.maxLength(USER_ID_MAX_LENGTH)),
  attributes: z.optional(
    z
      .record(z.string().check(z.minLength(1), z.maxLength(ATTRIBUTES.keyMaxLength)), z.string())
      .check(z.refine(attributesFit, ATTRIBUTES.tooLarge)),
  ),
  ttlSeconds: z.optional(z.int().check(z.minimum(60), z.maximum(AUDIENCE.ttlMs.max / 1000))),
});
export type ViewerTokenRequest = z.infer<typeof viewerTokenRequestSchema>;

/** Why a valid request is refused by the show's own limits (attribute size and keys), or undefined. */
export function viewerRequestProblem(signer: Pick<AudienceSigner, 'attributes'>, request: ViewerTokenRequest) {
  const attributes = request.attributes ?? {};
  const bytes = Object.entries(attributes).reduce((n, [k, v]) => n + utf8Length(k) + utf8Length(v), 0);
  if (bytes > signer.attributes.maxBytes)
    return `attributes: ${bytes} bytes, this show allows at most ${signer.attributes.maxBytes}`;
  const allowed = signer.attributes.allowedKeys;
  const stray = allowed ? Object.keys(attributes).filter((k) => !allowed.includes(k)) : [];
  if (stray.length > 0) return `attributes: key ${stray[0]} is not allowed (allowed: ${allowed!.join(', ')})`;
  return undefined;
}

/** When a token minted at `nowMs` expires: the requested TTL, within the show's maximum and never past its end. */
export function viewerTokenExpiry(
  signer: Pick<AudienceSigner, 'endsAt' | 'maxTokenTtlMs'>,
  nowMs: number,
  ttlSeconds?: number,
): number {
  const ttl = Math.min(signer.maxTokenTtlMs, ttlSeconds === undefined ? Infinity : ttlSeconds * 1000);
  return Math.min(nowMs + ttl, Date.parse(signer.endsAt));
}

/** The stage ID of a stage ARN (`arn:aws:ivs:<region>:<account>:stage/<id>`). */
const stageIdOf = (stageArn: string) => stageArn.slice(stageArn.lastIndexOf('/') + 1);

/**
 * The documented claims of a self-signed participant token (IVS "Distribute tokens: self-signed"): `resource` the
 * stage ARN, `topic` its ID, `events_url`, `whip_url`, `user_id`, `attributes`, `capabilities` (subscribe only for
 * viewers), `version` 1.0, `jti` the participant ID, `iat`/`exp` in seconds. Header: ES384, `kid` the public key ARN.
 */
export function viewerTokenClaims(input: {
  stageArn: string;
  userId: string;
  participantId: string;
  attributes: Record<string, string>;
  issuedAtMs: number;
  expiresAtMs: number;
}) {
  const stageId = stageIdOf(input.stageArn);
  return {
    resource: input.stageArn,
    topic: stageId,
    events_url: 'wss://global.events.live-video.net',
    whip_url: `https://${stageId.toLowerCase()}.global-bm.whip.live-video.net`,
    user_id: input.userId,
    attributes: input.attributes,
    capabilities: { allow_publish: false, allow_subscribe: true },
    version: '1.0',
    jti: input.participantId,
    iat: Math.floor(input.issuedAtMs / 1000),
    exp: Math.floor(input.expiresAtMs / 1000),
  };
}
export type ViewerTokenClaims = ReturnType<typeof viewerTokenClaims>;
