import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseShowSpec, ShowSpecError } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';

const base = (audience: unknown, extra: Partial<ShowSpecInput> = {}): unknown => ({
  id: 'audience-spec',
  name: 'Audience',
  schedule: { duration: '2h' },
  audience,
  ...extra,
});

/** The field and rule of each failure, as the CLI prints them. */
function issuesOf(input: unknown): string[] {
  try {
    parseShowSpec(input);
  } catch (e) {
    assert.ok(e instanceof ShowSpecError, String(e));
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('the spec was accepted');
}

void describe('show spec: audience', () => {
  void test('defaults: enabled, no TTL of its own (one hour at most), 1 KB of attributes, 20 tokens/s with a burst of 100; the key is deleted', () => {
    const spec = parseShowSpec(base({}));
    assert.deepEqual(spec.audience, {
      enabled: true,
      attributes: { maxBytes: 1024 },
      rateLimit: { tokensPerSecond: 20, burst: 100 },
    });
    assert.equal(spec.policies.keep.publicKey, false);
    assert.equal(parseShowSpec(base(undefined)).audience, undefined);
  });

  void test('every field parses as written', () => {
    const spec = parseShowSpec(
      base(
        {
          maxTokenTtl: '30m',
          attributes: { maxBytes: 200, allowedKeys: ['seat', 'tier'] },
          rateLimit: { tokensPerSecond: 500, burst: 1000 },
        },
        { policies: { keep: { publicKey: true } } },
      ),
    );
    assert.equal(spec.audience!.maxTokenTtl, 30 * 60_000);
    assert.deepEqual(spec.audience!.attributes, { maxBytes: 200, allowedKeys: ['seat', 'tier'] });
    assert.equal(spec.policies.keep.publicKey, true);
  });

  void test('bad input names the field and the rule', () => {
    assert.deepEqual(issuesOf(base({ maxTokenTtl: '3h' })), [
      'audience.maxTokenTtl: must not be longer than the show (a viewer token never outlives the show)',
    ]);
    assert.match(issuesOf(base({ maxTokenTtl: '10s' }))[0]!, /^audience\.maxTokenTtl: /);
    assert.match(issuesOf(base({ maxTokenTtl: '15d' }))[0]!, /^audience\.maxTokenTtl: must be between 1m and 14d/);
    assert.match(issuesOf(base({ attributes: { maxBytes: 2048 } }))[0]!, /^audience\.attributes\.maxBytes: Too big/);
    assert.match(
      issuesOf(base({ rateLimit: { tokensPerSecond: 0 } }))[0]!,
      /^audience\.rateLimit\.tokensPerSecond: Too small/,
    );
    assert.match(issuesOf(base({ rateLimit: { burst: 1.5 } }))[0]!, /^audience\.rateLimit\.burst: /);
    assert.match(issuesOf(base({ capabilities: ['PUBLISH'] }))[0]!, /^audience: Unrecognized key: "capabilities"/);
    assert.match(issuesOf(base({ attributes: { allowedKeys: [''] } }))[0]!, /^audience\.attributes\.allowedKeys\.0: /);
  });

  void test('a disabled audience is not held to the show length', () => {
    assert.equal(parseShowSpec(base({ enabled: false, maxTokenTtl: '3h' })).audience!.enabled, false);
  });
});
