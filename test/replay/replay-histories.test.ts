import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowTracingOn } from '../../contracts/workflow-tracing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { tracingOff } from '../../worker/tracing';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';
import { REPLAY_FIXTURE_KEYS } from './fixture-key';

const DIR = path.join(__dirname, 'histories');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json'));

/**
 * The replay gate: recorded histories of representative shows (happy path, restarts, cancellation,
 * continue-as-new) must replay against the current workflow code. A change that alters the commands a
 * recorded history expects fails here, before it can break shows that are running.
 */
void describe('replay gate', () => {
  void test('fixtures cover the representative runs', () => {
    for (const name of [
      'happy-path',
      'destination-failed-restart',
      'cancellation',
      'continue-as-new',
      'audience-and-updates',
      // Runs that chose not to trace their workflow code (contracts/workflow-tracing.ts): without the interceptors an
      // update completes in another order, so the gate holds histories of both kinds.
      'continue-as-new-untraced',
      'audience-and-updates-untraced',
      // The composition monitor's three ways of telling shows of a change, each kept for the monitors that use it.
      'composition-monitor-sequential',
      'composition-monitor-at-once',
      'composition-monitor-from-worker',
    ]) {
      assert.ok(
        fixtures.some((f) => f.startsWith(name)),
        `a ${name} history is recorded (npm run record:histories)`,
      );
    }
  });

  void test('an untraced run says so in its memo, and continue-as-new passes it to every next run', async () => {
    const [codec] = createDataConverter(
      loadKeyRing({ SHOWRUNNER_ENCRYPTION_KEYS: REPLAY_FIXTURE_KEYS }),
    ).payloadCodecs!;
    const memoOf = async (file: string): Promise<Record<string, unknown>> => {
      const { history } = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as { history: unknown };
      const fields = historyFromJSON(history).events?.[0]?.workflowExecutionStartedEventAttributes?.memo?.fields ?? {};
      const entries = await Promise.all(
        Object.entries(fields).map(async ([key, payload]) => {
          const [decoded] = await codec!.decode([payload]);
          return [key, defaultPayloadConverter.fromPayload(decoded!)] as const;
        }),
      );
      return Object.fromEntries(entries);
    };
    const chain = fixtures.filter((f) => f.startsWith('continue-as-new-untraced-run')).sort();
    assert.ok(chain.length >= 2, `the untraced chain has more than one run: ${chain.join(', ')}`);
    for (const file of [...chain, 'audience-and-updates-untraced.json'])
      assert.equal(workflowTracingOn(await memoOf(file)), false, `${file} is untraced`);
    assert.equal(workflowTracingOn(await memoOf('happy-path.json')), true, 'a run recorded before the memo is traced');
  });

  void test('every recorded history replays without nondeterminism', async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Already installed in this process.
    }
    const histories = fixtures.map((file) => {
      const { workflowId, history } = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as {
        workflowId: string;
        history: unknown;
      };
      return { workflowId: `${workflowId}:${file}`, history: historyFromJSON(history) };
    });
    const bundle = await cachedWorkflowBundle();
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        workflowBundle: bundle,
        // The bundle's tracing interceptors call this sink; unregistered, every activation logs an error.
        sinks: tracingOff.sinks,
        dataConverter: createDataConverter(loadKeyRing({ SHOWRUNNER_ENCRYPTION_KEYS: REPLAY_FIXTURE_KEYS })),
      },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    assert.deepEqual(failures, []);
  });
});
