import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import {
  ASYNC_CONTEXT_FRAME_FLAG,
  asyncContextFrameActive,
  asyncContextFrameFlags,
  asyncContextWarning,
} from '../../worker/async-context';

/** Enables 300 AsyncLocalStorage instances and prints how many own symbol properties a new promise gets. */
const PROBE = `
const { AsyncLocalStorage } = require('node:async_hooks');
const stores = Array.from({ length: 300 }, () => new AsyncLocalStorage());
stores.forEach((s, i) => s.enterWith(i));
process.stdout.write(String(Object.getOwnPropertySymbols(new Promise(() => {})).length));
`;

void describe('AsyncLocalStorage on AsyncContextFrame: which Node.js has it, and what the worker is started with', () => {
  void test('on by default from 24; on 22.7+ only with the flag; never on 20 or early 22; off when switched off', () => {
    assert.equal(asyncContextFrameActive('24.22.3', []), true);
    assert.equal(asyncContextFrameActive('24.22.3', ['--no-async-context-frame']), false);
    assert.equal(asyncContextFrameActive('22.23.5', []), false);
    assert.equal(asyncContextFrameActive('22.23.5', [ASYNC_CONTEXT_FRAME_FLAG]), true);
    assert.equal(asyncContextFrameActive('22.6.0', [ASYNC_CONTEXT_FRAME_FLAG]), false, 'the flag came in 22.7');
    assert.equal(asyncContextFrameActive('20.20.2', [ASYNC_CONTEXT_FRAME_FLAG]), false);
  });

  void test('a worker is started with the flag only where it turns AsyncContextFrame on', () => {
    assert.deepEqual(asyncContextFrameFlags('22.23.5'), [ASYNC_CONTEXT_FRAME_FLAG]);
    assert.deepEqual(asyncContextFrameFlags('24.22.3'), []);
    assert.deepEqual(asyncContextFrameFlags('20.20.2'), [], 'Node 20 does not know it and would refuse to start');
    for (const version of ['22.23.5', '24.22.3'])
      assert.equal(asyncContextFrameActive(version, asyncContextFrameFlags(version)), true, version);
  });

  void test('the start-up warning names the fix that works on that version, and is silent when on', () => {
    assert.equal(asyncContextWarning('24.22.3', []), undefined);
    assert.equal(asyncContextWarning('22.23.5', [ASYNC_CONTEXT_FRAME_FLAG]), undefined);
    assert.match(asyncContextWarning('22.23.5', [])!, new RegExp(`start it with ${ASYNC_CONTEXT_FRAME_FLAG}`));
    assert.match(asyncContextWarning('20.20.2', [])!, /run it on Node\.js 24/);
  });

  void test('on this Node.js, started as a worker is, a promise carries no property per AsyncLocalStorage — or, where AsyncContextFrame is missing, one each', () => {
    const flags = asyncContextFrameFlags();
    const symbols = Number(execFileSync(process.execPath, [...flags, '-e', PROBE], { encoding: 'utf8' }));
    if (asyncContextFrameActive(process.versions.node, flags)) assert.equal(symbols, 0);
    // Node 20: the cost this module exists to avoid, one property per enabled instance.
    else assert.ok(symbols >= 300, `${symbols} symbol properties`);
  });
});
