import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';
import {
  WORKFLOW_PRELOAD_MODULES,
  workerBundlerOptions,
  workflowBundleOptions,
} from '../../worker/workflow-bundle-options';

const REPO = path.resolve(__dirname, '../..');

/** The webpack module ids the bundle's preloadModules() requires, e.g. ./contracts/zod-english.ts. */
function preloadedIds(code: string): string[] {
  const body = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1];
  assert.ok(body !== undefined, 'the bundle has no preloadModules()');
  return [...body.matchAll(/__webpack_require__\(.*"(\.\/[^"]+)"\);/g)].map((m) => m[1]!);
}

void describe('workflow bundle options', () => {
  // Without the preload every cached show evaluates zod for itself again: ~0.5 MB each (issue 15).
  void test('the prebuilt bundle preloads the listed modules, zod with them', async () => {
    assert.ok(WORKFLOW_PRELOAD_MODULES.length > 0);
    const code = await readFile((await cachedWorkflowBundle()).codePath, 'utf8');
    const ids = preloadedIds(code);
    assert.deepEqual(
      ids,
      WORKFLOW_PRELOAD_MODULES.map((m) => `./${path.relative(REPO, m)}`),
    );
    // zod's modules are reached from the preloaded one only through the bundle, not listed: check one is there.
    assert.match(code, /"\.\/node_modules\/zod\/v4\/core\/schemas\.js"/);
  });

  void test('every way of bundling takes the same list', () => {
    assert.deepEqual(workflowBundleOptions().preloadModules, WORKFLOW_PRELOAD_MODULES);
    assert.deepEqual(workerBundlerOptions({ workflowsPath: path.join(REPO, 'workflows') }), {
      bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES },
    });
    // A prebuilt bundle carries its preload already; the SDK ignores bundler options then.
    assert.deepEqual(workerBundlerOptions({ workflowBundle: { codePath: 'bundle.js' } }), {});
  });
});
