import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endReasonOf, failureCause, shownDestinationState } from '../../../workflows/show/decisions';
import { currentDetailsMarkdown } from '../../../workflows/show/details';
import { buildStatus } from '../../../workflows/show/reports';
import type { ShowState } from '../../../workflows/show/state';
import { COMPOSITION, specOf, STAGE, stateOf } from './fixtures';

/** What the status and the Web UI's details say about a show that has ended (issue 13 item 4). */
const INGEST = 'arn:aws:ivs:us-east-1:123456789012:ingest-configuration/AbCdEfGhIjKl';
const STORAGE = 'arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEfGhIjKl';
const LEFTOVER = 'arn:aws:ivs:us-east-1:123456789012:stage/LeftOver1234';

function endedState(patch: Partial<ShowState> = {}): ShowState {
  return stateOf({
    phase: 'COMPLETED',
    stageArn: STAGE,
    stageId: 'AbCdEfGhIjKl',
    ingestConfigurationArn: INGEST,
    compositions: [
      {
        arn: COMPOSITION,
        state: 'STOPPED',
        // As the monitor last saw them, before the stop.
        destinations: [
          { id: 'd1', kind: 'channel', state: 'ACTIVE' },
          { id: 'd2', kind: 's3', state: 'ACTIVE' },
        ],
      },
    ],
    made: [
      { kind: 'storage-configuration', arn: STORAGE, shared: true },
      { kind: 'stage', arn: STAGE },
      { kind: 'ingest-configuration', arn: INGEST },
      { kind: 'composition', arn: COMPOSITION },
    ],
    removed: [
      { kind: 'composition', arn: COMPOSITION },
      { kind: 'ingest-configuration', arn: INGEST },
      { kind: 'stage', arn: STAGE },
    ],
    swept: [{ kind: 'stage', arn: LEFTOVER }],
    sweptAt: '2030-01-01T11:00:05.000Z',
    outcome: 'COMPLETED',
    endReason: 'ended on request: test over',
    recordingsIndexUri: 's3://rec/AbCdEfGhIjKl/index.json',
    ivsEvents: { received: 9, acted: 4 },
    ...patch,
  });
}

void describe('how an ended show is reported', () => {
  void test('why it ended, for every outcome', () => {
    const state = stateOf();
    assert.equal(endReasonOf('COMPLETED', state), 'the planned end came');
    assert.equal(
      endReasonOf('COMPLETED', stateOf({ endRequested: { at: 'x', reason: 'test over' } })),
      'ended on request: test over',
    );
    assert.equal(endReasonOf('CANCELLED', state), 'the workflow was cancelled');
    assert.equal(endReasonOf('FAILED', state, 'preparing: boom'), 'preparing: boom');
    const noPublisher = stateOf({
      incidents: [{ at: 'x', kind: 'NO_PUBLISHER', detail: 'nobody published within 600 s' }],
    });
    assert.equal(endReasonOf('NO_PUBLISHER', noPublisher), 'nobody published within 600 s');
    assert.match(endReasonOf('ENDED_BEFORE_START', stateOf({ endRequested: { at: 'x', reason: 'off' } })), /off/);
  });

  void test('a failure names the phase, the activity and the innermost cause', () => {
    const bucket = Object.assign(
      new Error("Value 'missing' at 's3.bucketName' failed to satisfy constraint: The S3 bucket must exist"),
      { type: 'ValidationException' },
    );
    const activityFailure = Object.assign(new Error('Activity task failed'), {
      activityType: 'ensureStorageConfiguration',
      cause: bucket,
    });
    assert.equal(
      failureCause(activityFailure, 'PREPARING'),
      "preparing (ensureStorageConfiguration): Value 'missing' at 's3.bucketName' failed to satisfy constraint: The S3 bucket must exist",
    );
    assert.equal(failureCause(new Error('limit reached'), 'RECOVERING'), 'recovering: limit reached');
  });

  void test('a stopped composition has no active destination', () => {
    const stopped = endedState().compositions[0]!;
    assert.equal(shownDestinationState(stopped, 'ACTIVE'), 'STOPPED');
    assert.equal(shownDestinationState(stopped, 'FAILED'), 'FAILED');
    assert.equal(shownDestinationState({ ...stopped, state: 'ACTIVE' }, 'RECONNECTING'), 'RECONNECTING');
  });

  void test('the status lists no deleted resource as current, and says how the show ended', () => {
    const status = buildStatus(specOf(), endedState(), undefined);
    assert.equal(status.resources.stageArn, undefined);
    assert.equal(status.resources.ingestConfigurationArn, undefined);
    assert.equal(status.resources.compositionArn, undefined);
    assert.deepEqual(
      status.composition?.destinations.map((d) => d.state),
      ['STOPPED', 'STOPPED'],
    );
    assert.deepEqual(status.ending, {
      outcome: 'COMPLETED',
      reason: 'ended on request: test over',
      removed: endedState().removed,
      kept: [],
      swept: [{ kind: 'stage', arn: LEFTOVER }],
      recordingsIndex: 's3://rec/AbCdEfGhIjKl/index.json',
    });
    // A live show: everything it holds is listed, and nothing says it ended.
    const live = buildStatus(
      specOf(),
      endedState({ phase: 'LIVE', removed: [], swept: [], outcome: undefined }),
      undefined,
    );
    assert.equal(live.resources.stageArn, STAGE);
    assert.equal(live.ending, undefined);
  });

  void test('the final details: outcome, what was removed and kept, the sweep, the recordings index', () => {
    const md = currentDetailsMarkdown(specOf(), endedState({ kept: [{ kind: 'stage', arn: STAGE }] }));
    assert.match(md, /\| Outcome \| COMPLETED: ended on request: test over \|/);
    assert.match(md, new RegExp(`\\| Stage \\| ${STAGE} \\(deleted\\) \\|`));
    assert.match(md, /\(STOPPED; channel STOPPED, s3 STOPPED\)/);
    assert.doesNotMatch(md, /(channel|s3) ACTIVE/);
    assert.match(
      md,
      new RegExp(`\\| Removed \\| composition ${COMPOSITION}, ingest configuration ${INGEST}, stage ${STAGE} \\|`),
    );
    assert.match(md, new RegExp(`\\| Kept \\| stage ${STAGE} \\|`));
    assert.match(md, new RegExp(`\\| Shared, left in place \\| storage configuration ${STORAGE} \\|`));
    assert.match(md, new RegExp(`\\| Sweep of the run tag \\| also removed stage ${LEFTOVER} \\|`));
    assert.match(md, /\| Recordings index \| s3:\/\/rec\/AbCdEfGhIjKl\/index\.json \|/);
    assert.doesNotMatch(md, /\| Next \|/);
    assert.match(md, /\| IVS events \| 9 received, 4 acted on \|/);

    const failed = currentDetailsMarkdown(
      specOf(),
      endedState({
        phase: 'FAILED',
        outcome: 'FAILED',
        endReason: 'preparing (ensureStorageConfiguration): The S3 bucket must exist',
        failure: 'preparing (ensureStorageConfiguration): The S3 bucket must exist',
        swept: [],
        recordingsIndexUri: undefined,
      }),
    );
    assert.match(failed, /\| Outcome \| FAILED: preparing \(ensureStorageConfiguration\): The S3 bucket must exist \|/);
    assert.match(failed, /\| Sweep of the run tag \| nothing else was left \|/);
    assert.match(failed, /\| Recordings index \| none \|/);
  });
});
