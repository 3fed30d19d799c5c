import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { tracedBundlePath, workflowBundleFor } from '../../worker/workflow-bundles';

/** Which prebuilt bundle a worker loads, with tracing off and on (worker/workflow-bundles.ts). */
void describe('workflow bundles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-bundles-'));
  const plain = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(plain, '/* no interceptors */');

  void test('the traced bundle sits beside the plain one', () => {
    assert.equal(tracedBundlePath(plain), path.join(dir, 'workflow-bundle.tracing.js'));
  });

  void test('tracing off loads the given bundle', () => {
    assert.equal(workflowBundleFor(plain, false), plain);
  });

  void test('tracing on without a traced bundle is refused, naming the fix', () => {
    assert.throws(() => workflowBundleFor(plain, true), /npm run build:workflows/);
  });

  void test('tracing on loads the traced bundle beside it, or a bundle that carries the interceptors itself', () => {
    const old = path.join(dir, 'old-bundle.js');
    fs.writeFileSync(old, '"./node_modules/@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js"');
    assert.equal(workflowBundleFor(old, true), old);
    fs.writeFileSync(tracedBundlePath(plain), '/* traced */');
    assert.equal(workflowBundleFor(plain, true), tracedBundlePath(plain));
  });
});
