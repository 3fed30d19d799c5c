import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { issueTokenArgsSchema } from '../../../contracts/show-messages';
import { parseShowSpec } from '../../../show-spec/parse-show-spec';
import { participantTokenRequest, tokenOverridesProblem } from '../../../workflows/show/tokens';

const spec = parseShowSpec({
  id: 'tokens',
  name: 'Tokens',
  schedule: { duration: '1h' },
  participants: [
    { userId: 'alice', role: 'host', attributes: { displayName: 'Alice' }, tokenDuration: '90m' },
    { userId: 'bob', capabilities: ['SUBSCRIBE'] },
  ],
});

void describe('participant token requests: one function for the first issue and issueToken', () => {
  void test('a re-issued token keeps the spec participant’s role and attributes exactly', () => {
    for (const p of spec.participants) {
      const first = participantTokenRequest(p.userId, p);
      assert.deepEqual(participantTokenRequest(p.userId, p, {}), first);
      assert.equal(first.attributes.role, p.role);
    }
    assert.deepEqual(participantTokenRequest('alice', spec.participants[0]), {
      userId: 'alice',
      attributes: { displayName: 'Alice', role: 'host' },
      capabilities: ['PUBLISH', 'SUBSCRIBE'],
      durationMinutes: 90,
    });
    // A caller may narrow capabilities or change the lifetime; the identity stays the spec's.
    assert.deepEqual(
      participantTokenRequest('bob', spec.participants[1], { capabilities: ['SUBSCRIBE'], durationMinutes: 5 }),
      { userId: 'bob', attributes: { role: 'guest' }, capabilities: ['SUBSCRIBE'], durationMinutes: 5 },
    );
    assert.match(
      tokenOverridesProblem(spec.participants[0], { attributes: { role: 'host' } })!,
      /^attributes: alice is a participant of the spec/,
    );
    assert.equal(tokenOverridesProblem(spec.participants[0], { durationMinutes: 5 }), undefined);
  });

  void test('someone the spec does not name gets the caller’s attributes and the defaults', () => {
    assert.deepEqual(participantTokenRequest('carol', undefined, { attributes: { seat: '3' } }), {
      userId: 'carol',
      attributes: { seat: '3' },
      capabilities: ['PUBLISH', 'SUBSCRIBE'],
      durationMinutes: 720,
    });
    assert.equal(tokenOverridesProblem(undefined, { attributes: { seat: '3' } }), undefined);
  });

  void test('the update enforces the spec’s 1 KB attribute rule (keys and values, UTF-8)', () => {
    // Five values of 300 bytes: each under 1 KB, together far over it.
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 'x'.repeat(300)]));
    const update = issueTokenArgsSchema.safeParse({ userId: 'carol', attributes: many });
    assert.equal(update.success, false);
    assert.match(JSON.stringify(update.error?.issues), /at most 1 KB/);
    assert.throws(
      () => parseShowSpec({ ...spec, id: 'x', participants: [{ userId: 'a', attributes: many }] }),
      /at most 1 KB/,
    );
    // Multi-byte characters count as their UTF-8 bytes in both.
    const wide = { name: 'é'.repeat(511) }; // 4 + 1,022 bytes, though only 515 characters
    assert.equal(issueTokenArgsSchema.safeParse({ userId: 'carol', attributes: wide }).success, false);
    assert.equal(
      issueTokenArgsSchema.safeParse({ userId: 'carol', attributes: { name: 'é'.repeat(500) } }).success,
      true,
    );
  });
});
