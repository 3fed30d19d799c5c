import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ShowResource } from '../../../contracts/show-resources';
import { addCalls, recordedResources, refOf, sweepPlan } from '../../../workflows/show/decisions';
import { COMPOSITION, STAGE, stateOf } from './fixtures';

/** What tidy-up's sweep removes, and how it reports it: plain functions of what IVS held and what the show recorded. */

const OTHER_STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/ZzZzZzZzZzZz';
const INGEST = 'arn:aws:ivs:us-east-1:123456789012:ingest-configuration/AbCdEfGhIjKl';

void describe('show sweep decisions', () => {
  void test('the sweep removes everything still there under the run tag except what the policy keeps', () => {
    const found: ShowResource[] = [
      { kind: 'stage', arn: STAGE },
      { kind: 'stage', arn: OTHER_STAGE },
      { kind: 'ingestConfiguration', arn: INGEST, stageArn: STAGE },
      { kind: 'composition', arn: COMPOSITION, state: 'STOPPED', stageArn: STAGE },
    ];
    const state = stateOf({
      made: [
        { kind: 'stage', arn: STAGE },
        { kind: 'ingest-configuration', arn: INGEST },
      ],
      kept: [{ kind: 'ingest-configuration', arn: INGEST }],
    });
    const { remove, unrecorded } = sweepPlan(found, state);
    // The stopped composition needs nothing; the kept ingest configuration stays; the recorded stage that tidy-up
    // failed to delete is retried; the unrecorded stage is removed and reported.
    assert.deepEqual(
      remove.map((r) => r.arn),
      [STAGE, OTHER_STAGE],
    );
    assert.deepEqual(
      unrecorded.map((r) => r.arn),
      [OTHER_STAGE],
    );
  });

  void test('a live composition the show never recorded is stopped and reported', () => {
    const { remove, unrecorded } = sweepPlan(
      [{ kind: 'composition', arn: COMPOSITION, state: 'STARTING', stageArn: STAGE }],
      stateOf(),
    );
    assert.deepEqual(remove, unrecorded);
    assert.equal(remove.length, 1);
  });

  void test('kinds are reported in the show’s own names; recorded resources feed the dedupe decision', () => {
    assert.deepEqual(refOf({ kind: 'ingestConfiguration', arn: INGEST }), {
      kind: 'ingest-configuration',
      arn: INGEST,
    });
    assert.equal(refOf({ kind: 'publicKey', arn: 'k' }).kind, 'public-key');
    const state = stateOf({ stageArn: STAGE, ingestConfigurationArn: INGEST });
    state.compositions.push({ arn: COMPOSITION, state: 'ACTIVE', destinations: [] });
    assert.deepEqual(recordedResources(state), {
      stageArn: STAGE,
      ingestConfigurationArn: INGEST,
      compositionArns: [COMPOSITION],
    });
  });

  void test('sweep calls add up by operation without changing the running total', () => {
    const total = { ListStages: 1 };
    assert.deepEqual(addCalls(total, { ListStages: 2, ListTagsForResource: 1 }), {
      ListStages: 3,
      ListTagsForResource: 1,
    });
    assert.deepEqual(total, { ListStages: 1 });
  });
});
