import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CompositionSnapshot } from '../../contracts/composition';
import type { SignalOutcome } from '../../contracts/monitor-messages';
import { signalOutcomeOf, watchesToDrop, type ChangedWatch } from '../../workflows/monitor-decisions';

const changed = (n: number, state: CompositionSnapshot['state'] = 'ACTIVE'): ChangedWatch => ({
  compositionArn: `arn:c${n}`,
  showWorkflowId: `show-${n}`,
  snapshot: { arn: `arn:c${n}`, state, destinations: [] },
});
const ok: SignalOutcome = { reached: true };
const failed = (error: string): SignalOutcome => ({ reached: false, error });

void describe('what the monitor stops watching after signalling', () => {
  void test('shows reached keep their watch', () => {
    assert.deepEqual(watchesToDrop([changed(1), changed(2)], [ok, ok]), []);
  });

  void test('a show the signal cannot reach is gone: only its watch is dropped, with the reason', () => {
    assert.deepEqual(watchesToDrop([changed(1), changed(2), changed(3)], [ok, failed('workflow not found'), ok]), [
      { compositionArn: 'arn:c2', showWorkflowId: 'show-2', reason: 'show-gone', error: 'workflow not found' },
    ]);
  });

  void test('a purged composition is dropped once its show heard of it', () => {
    assert.deepEqual(watchesToDrop([changed(1, 'GONE'), changed(2, 'STOPPED')], [ok, ok]), [
      { compositionArn: 'arn:c1', showWorkflowId: 'show-1', reason: 'purged' },
    ]);
  });

  void test('a purged composition of a gone show is dropped once, as gone', () => {
    assert.deepEqual(watchesToDrop([changed(1, 'GONE')], [failed('not found')]), [
      { compositionArn: 'arn:c1', showWorkflowId: 'show-1', reason: 'show-gone', error: 'not found' },
    ]);
  });
});

void describe('a signal-external result as a signal outcome', () => {
  void test('a delivered signal reached its show', () => {
    assert.deepEqual(signalOutcomeOf({ status: 'fulfilled', value: undefined }), { reached: true });
  });

  void test('a rejected signal did not, and says why', () => {
    assert.deepEqual(signalOutcomeOf({ status: 'rejected', reason: new Error('workflow not found') }), {
      reached: false,
      error: 'workflow not found',
    });
    assert.deepEqual(signalOutcomeOf({ status: 'rejected', reason: 'gone' }), { reached: false, error: 'gone' });
  });
});
