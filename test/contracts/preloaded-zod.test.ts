import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WORKFLOW_PRELOAD_MODULES } from '../../worker/workflow-preload-modules';
import { assertUpdateArgumentRefusals, rejected } from '../support/update-argument-refusals';

/**
 * What the SDK does to preloaded modules (worker/workflow-preload-modules.ts), in this process (node --test runs a
 * file per process): evaluate them before anything else, then deep-freeze everything they loaded and the globals
 * they set, as @temporalio/worker's reusable-vm.js does. The update validators must then work as before: zod must
 * not write to what its modules export (its config, caches) after loading. The workflow-level check, on the real
 * bundle, is in test/workflows/show-cancellation-and-messages.test.ts.
 */
function deepFreeze(object: unknown, visited = new WeakSet<object>()): void {
  if (object === null || (typeof object !== 'object' && typeof object !== 'function')) return;
  if (visited.has(object) || Object.isFrozen(object)) return;
  visited.add(object);
  if (typeof object === 'object')
    for (const name of [...Object.getOwnPropertyNames(object), ...Object.getOwnPropertySymbols(object)]) {
      try {
        deepFreeze((object as Record<PropertyKey, unknown>)[name], visited);
      } catch {
        // As the SDK: some objects (typed arrays) cannot be frozen.
      }
    }
  Object.freeze(object);
}

const loadedBefore = new Set(Object.keys(require.cache));
const globalsBefore = new Set(Reflect.ownKeys(globalThis));
for (const m of WORKFLOW_PRELOAD_MODULES) require(m); // eslint-disable-line @typescript-eslint/no-require-imports
const preloaded = Object.keys(require.cache).filter((k) => !loadedBefore.has(k));
for (const k of preloaded) deepFreeze(require.cache[k]!.exports);
for (const k of Reflect.ownKeys(globalThis))
  if (!globalsBefore.has(k)) deepFreeze((globalThis as Record<PropertyKey, unknown>)[k]);

// Loaded after the freeze, as every workflow loads them.
/* eslint-disable @typescript-eslint/no-require-imports */
const messages = require('../../contracts/show-messages') as typeof import('../../contracts/show-messages');
const audience = require('../../contracts/audience') as typeof import('../../contracts/audience');
/* eslint-enable @typescript-eslint/no-require-imports */

void describe('zod preloaded and frozen, as the workflow sandbox shares it', () => {
  void test('the preload froze zod itself, its global config included', () => {
    assert.ok(
      preloaded.some((k) => /[\\/]node_modules[\\/]zod[\\/]v4[\\/]core[\\/]/.test(k)),
      preloaded.join('\n'),
    );
    const { z } = require('zod/mini') as typeof import('zod/mini'); // eslint-disable-line @typescript-eslint/no-require-imports
    assert.ok(Object.isFrozen(z.config()));
    assert.ok(z.config().localeError, 'English messages set before the freeze');
  });

  // Twice: the second round is another workflow building and using its schemas after the first.
  for (const round of [1, 2])
    void test(`update arguments are accepted and rejected with the field and rule named (round ${round})`, () => {
      const { validateArgs, endArgsSchema, extendArgsSchema, issueTokenArgsSchema } = messages;
      assert.deepEqual(validateArgs(endArgsSchema, { reason: 'done' }), { reason: 'done' });
      assert.deepEqual(validateArgs(extendArgsSchema, { endAt: '2030-01-01T10:00:00Z' }), {
        endAt: '2030-01-01T10:00:00Z',
      });
      assert.deepEqual(
        validateArgs(issueTokenArgsSchema, { userId: 'a', capabilities: ['PUBLISH'], attributes: { k: 'v' } }),
        { userId: 'a', capabilities: ['PUBLISH'], attributes: { k: 'v' } },
      );
      assertUpdateArgumentRefusals(messages);
      assert.equal(
        rejected(() => validateArgs(issueTokenArgsSchema, { userId: '', durationMinutes: 1.5 })),
        'Invalid arguments: userId: Too small: expected string to have >=1 characters; durationMinutes: Invalid input: expected int, received number',
      );
      // Shared with every workflow (workflows/shared-modules.ts): warmed, frozen, and it still parses.
      const shared = require('../../workflows/shared-modules') as typeof import('../../workflows/shared-modules'); // eslint-disable-line @typescript-eslint/no-require-imports
      assert.ok(shared.WARMED_SCHEMAS > 1, `${shared.WARMED_SCHEMAS} schemas warmed`);
      assert.ok(Object.isFrozen(audience.viewerTokenRequestSchema));
      assert.ok(!audience.viewerTokenRequestSchema.safeParse({ userId: 'v', ttlSeconds: 1 }).success);
      assert.equal(
        audience.viewerTokenRequestSchema.safeParse({ userId: '', attributes: { '': 'x' }, extra: 1 }).error?.issues
          .length,
        3,
      );
      assert.ok(audience.viewerTokenRequestSchema.safeParse({ userId: 'v', ttlSeconds: 600 }).success);
    });
});
