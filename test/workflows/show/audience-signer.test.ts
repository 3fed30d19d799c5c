import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AudiencePrivateJwk } from '../../../contracts/audience';
import { dedupe } from '../../../contracts/show-resources';
import { audienceSigner } from '../../../workflows/show/audience-signer';
import { recordedResources } from '../../../workflows/show/decisions';
import { HOUR, STAGE, specOf, stateOf, T0 } from './fixtures';

const KEY = 'arn:aws:ivs:us-east-1:123456789012:public-key/KeyKeyKey123';
const audience = {
  publicKeyArn: KEY,
  privateKey: { kty: 'EC', crv: 'P-384', x: 'x', y: 'y', d: 'd' } as AudiencePrivateJwk,
};

void describe('show: the audience signer', () => {
  void test('answers only while the show has an audience, a stage and a key, and is not ending', () => {
    const spec = specOf({ audience: { attributes: { maxBytes: 100 } } });
    const ready = stateOf({ phase: 'LIVE', stageArn: STAGE, audience, endAt: T0 + HOUR });
    assert.deepEqual(audienceSigner(spec, ready), {
      showId: 'unit',
      stageArn: STAGE,
      publicKeyArn: KEY,
      privateKey: audience.privateKey,
      endsAt: new Date(T0 + HOUR).toISOString(),
      maxTokenTtlMs: HOUR,
      attributes: { maxBytes: 100 },
      rateLimit: { tokensPerSecond: 20, burst: 100 },
    });
    assert.equal(audienceSigner(specOf(), ready), undefined, 'no audience in the spec');
    assert.equal(audienceSigner(specOf({ audience: { enabled: false } }), ready), undefined);
    assert.equal(audienceSigner(spec, { ...ready, audience: undefined }), undefined, 'not prepared yet');
    for (const phase of ['ENDING', 'TIDYING', 'COMPLETED'] as const)
      assert.equal(audienceSigner(spec, { ...ready, phase }), undefined, phase);
  });

  void test('the recorded key is kept by dedupe; another key under the run tag is a duplicate', () => {
    const state = stateOf({ stageArn: STAGE, audience });
    const stray = 'arn:aws:ivs:us-east-1:123456789012:public-key/StrayStray12';
    const { keep, remove } = dedupe(
      [
        { kind: 'stage', arn: STAGE },
        { kind: 'publicKey', arn: KEY },
        { kind: 'publicKey', arn: stray },
      ],
      recordedResources(state),
    );
    assert.deepEqual(
      keep.map((r) => r.arn),
      [STAGE, KEY],
    );
    assert.deepEqual(
      remove.map((r) => r.arn),
      [stray],
    );
  });
});
