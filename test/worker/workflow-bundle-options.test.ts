import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import type { WorkflowInfo } from '@temporalio/workflow';
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

  // Listed is not enough: the preload evaluates only what the listed modules use, and zod's schema modules were once
  // left out that way (contracts/zod-english.ts). The SDK's own reusable context (an internal module: what a worker
  // thread runs) creates workflows from the bundle; none may evaluate a zod module of its own.
  void test('no workflow evaluates zod itself: every zod module is shared', async () => {
    const { codePath } = await cachedWorkflowBundle();
    const code = await readFile(codePath, 'utf8');
    const creator = await ReusableVMWorkflowCreator.create(
      { code, filename: codePath, sourceMap: { version: 3, file: codePath, sources: [], names: [], mappings: '' } },
      5_000,
      new Set(),
    );
    try {
      const perWorkflow = [];
      for (const runId of ['run-1', 'run-2']) {
        const now = new Date();
        const workflow = await creator.createWorkflow({
          info: {
            workflowType: 'showWorkflow',
            workflowId: `show-${runId}`,
            runId,
            firstExecutionRunId: runId,
            namespace: 'default',
            taskQueue: 'test',
            attempt: 1,
            searchAttributes: {},
            typedSearchAttributes: [],
            memo: {},
            historyLength: 1,
            historySize: 0,
            continueAsNewSuggested: false,
            startTime: now,
            runStartTime: now,
            unsafe: { isReplaying: false, now: () => now.getTime() },
          } as unknown as WorkflowInfo,
          randomnessSeed: [1, 2],
          now: now.getTime(),
          showStackTraceSources: false,
        });
        const { moduleCache } = (workflow as unknown as { activator: { moduleCache: Map<string, unknown> } }).activator;
        perWorkflow.push([...moduleCache.keys()]);
        await workflow.dispose();
      }
      for (const ids of perWorkflow) {
        // The workflows themselves are evaluated per workflow: the check would be vacuous otherwise.
        assert.ok(
          ids.some((id) => id.startsWith('./workflows/')),
          ids.join(', '),
        );
        assert.deepEqual(
          ids.filter((id) => id.includes('/node_modules/zod/') || id.startsWith('./contracts/zod-english')),
          [],
        );
        // Showrunner's own modules are shared too (workflows/shared-modules.ts), but for those that cannot be: the
        // message definitions (they load the SDK's index) and the update arguments (a string-format check writes
        // to its frozen pattern). A new contract or timeline module must be shared or added here, knowingly.
        assert.deepEqual(ids.filter((id) => /^\.\/(contracts|timeline|show-spec)\//.test(id)).sort(), [
          './contracts/monitor-messages.ts',
          './contracts/show-message-args.ts',
          './contracts/show-messages.ts',
        ]);
        assert.ok(!ids.includes('./workflows/show/decisions.ts'), "the show's decisions are shared");
        // The preload must not share what the SDK keeps per workflow: its index (logger, sinks, metrics).
        assert.ok(ids.includes('./node_modules/@temporalio/workflow/lib/index.js'), ids.join(', '));
      }
    } finally {
      await creator.destroy();
    }
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
