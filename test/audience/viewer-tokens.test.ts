import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import {
  viewerRequestProblem,
  viewerTokenExpiry,
  viewerTokenRequestSchema,
  type AudiencePrivateJwk,
  type AudienceSigner,
} from '../../contracts/audience';
import { callerAuthenticator } from '../../audience/caller-auth';
import { createRateLimiter } from '../../audience/rate-limiter';
import { viewerTokenSigner } from '../../audience/sign-viewer-token';
import { loadTokenServiceConfig } from '../../audience/token-service-config';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGh1234';
const KEY_ARN = 'arn:aws:ivs:us-east-1:123456789012:public-key/KeyKeyKey123';

function signerWith(overrides: Partial<AudienceSigner> = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const signer: AudienceSigner = {
    showId: 'unit',
    stageArn: STAGE,
    publicKeyArn: KEY_ARN,
    privateKey: privateKey.export({ format: 'jwk' }) as AudiencePrivateJwk,
    endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    maxTokenTtlMs: 60 * 60_000,
    attributes: { maxBytes: 1024 },
    rateLimit: { tokensPerSecond: 10, burst: 10 },
    ...overrides,
  };
  return { signer, publicJwk: publicKey.export({ format: 'jwk' }) as { kty: string } };
}

void describe('audience: viewer tokens', () => {
  void test('a token carries the documented self-signed claims, subscribe only, signed ES384 with kid = key ARN', async () => {
    const { signer, publicJwk } = signerWith();
    const sign = await viewerTokenSigner(signer);
    const now = Date.now();
    const minted = await sign({ userId: 'viewer-1', attributes: { seat: 'A7' } }, now);
    const header = decodeProtectedHeader(minted.token);
    assert.deepEqual(header, { alg: 'ES384', typ: 'JWT', kid: KEY_ARN });
    const { payload } = await jwtVerify(minted.token, await importJWK(publicJwk, 'ES384'), { algorithms: ['ES384'] });
    assert.deepEqual(payload, {
      resource: STAGE,
      topic: 'AbCdEfGh1234',
      events_url: 'wss://global.events.live-video.net',
      whip_url: 'https://abcdefgh1234.global-bm.whip.live-video.net',
      user_id: 'viewer-1',
      attributes: { seat: 'A7' },
      capabilities: { allow_publish: false, allow_subscribe: true },
      version: '1.0',
      jti: minted.participantId,
      iat: Math.floor(now / 1000),
      // The show ends in 30 minutes, before the hour the spec allows.
      exp: Math.floor(Date.parse(signer.endsAt) / 1000),
    });
    assert.ok(minted.participantId.length <= 64);
    assert.equal(minted.expiresAt, new Date(Math.floor(Date.parse(signer.endsAt) / 1000) * 1000).toISOString());
    assert.notEqual((await sign({ userId: 'viewer-1' }, now)).participantId, minted.participantId);
  });

  void test('expiry: the shortest of the requested TTL, the spec maximum and the show end', () => {
    const now = 1_000_000_000_000;
    const signer = { endsAt: new Date(now + 3_600_000).toISOString(), maxTokenTtlMs: 600_000 };
    assert.equal(viewerTokenExpiry(signer, now), now + 600_000);
    assert.equal(viewerTokenExpiry(signer, now, 120), now + 120_000);
    assert.equal(viewerTokenExpiry({ ...signer, maxTokenTtlMs: 7_200_000 }, now), now + 3_600_000);
  });

  void test('requests: the 1 KB attribute rule of participant tokens, then the show’s own limits', () => {
    const bad = viewerTokenRequestSchema.safeParse({ userId: 'v', attributes: { k: 'x'.repeat(1024) } });
    assert.equal(bad.success, false);
    assert.equal(bad.error.issues[0]!.message, 'attributes must total at most 1 KB');
    assert.equal(viewerTokenRequestSchema.safeParse({ userId: '' }).success, false);
    assert.equal(viewerTokenRequestSchema.safeParse({ userId: 'v', capabilities: ['PUBLISH'] }).success, false);
    const limits = { attributes: { maxBytes: 8, allowedKeys: ['seat'] } };
    assert.equal(viewerRequestProblem(limits, { userId: 'v', attributes: { seat: 'A7' } }), undefined);
    assert.equal(
      viewerRequestProblem(limits, { userId: 'v', attributes: { seat: 'A7-long' } }),
      'attributes: 11 bytes, this show allows at most 8',
    );
    assert.match(viewerRequestProblem(limits, { userId: 'v', attributes: { vip: 'y' } })!, /key vip is not allowed/);
  });

  void test('rate limiter: a burst, then the refill rate, per key', () => {
    let t = 0;
    const limiter = createRateLimiter({ now: () => t });
    const limit = { tokensPerSecond: 2, burst: 3 };
    for (let i = 0; i < 3; i++) assert.equal(limiter.take('a', limit).allowed, true);
    assert.deepEqual(limiter.take('a', limit), { allowed: false, retryAfterSeconds: 1 });
    assert.equal(limiter.take('b', limit).allowed, true, 'another caller has its own bucket');
    t += 500;
    assert.equal(limiter.take('a', limit).allowed, true);
    assert.equal(limiter.take('a', limit).allowed, false);
  });

  void test('callers: each bearer token names its caller; anything else names none', () => {
    const who = callerAuthenticator([
      { name: 'web', token: 'web-token-0123456789' },
      { name: 'tv', token: 'tv-token-0123456789' },
    ]);
    assert.equal(who('Bearer web-token-0123456789'), 'web');
    assert.equal(who('bearer tv-token-0123456789'), 'tv');
    assert.equal(who('Bearer web-token-012345678'), undefined);
    assert.equal(who('web-token-0123456789'), undefined);
    assert.equal(who(undefined), undefined);
  });

  void test('settings: callers are name:token pairs; a short token is refused without quoting it', () => {
    const config = loadTokenServiceConfig({ SHOWRUNNER_AUDIENCE_CALLERS: 'web:web-token-0123456789' });
    assert.deepEqual(config, {
      port: 8091,
      host: '127.0.0.1',
      callers: [{ name: 'web', token: 'web-token-0123456789' }],
      signerTtlMs: 2000,
    });
    assert.throws(
      () => loadTokenServiceConfig({ SHOWRUNNER_AUDIENCE_CALLERS: 'web:short-secret' }),
      (e: Error) =>
        /the token of web must be at least 16 characters/.test(e.message) && !e.message.includes('short-secret'),
    );
    assert.throws(() => loadTokenServiceConfig({}), /SHOWRUNNER_AUDIENCE_CALLERS/);
  });
});
