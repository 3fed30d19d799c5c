import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endRefusal, extendRefusal, issueTokenRefusal, restartRefusal } from '../../../workflows/show/message-rules';
import { recordingsIndexInput } from '../../../workflows/show/plan';
import type { CompositionRun } from '../../../workflows/show/state';
import { preparedTokenRequests, requestedToken } from '../../../workflows/show/tokens';
import { COMPOSITION, HOUR, specOf, STAGE, stateOf, T0 } from './fixtures';

/** When the show refuses an update, and how it turns its spec into requests: no server needed. */

const liveRun: CompositionRun = { arn: COMPOSITION, state: 'ACTIVE', destinations: [] };

void describe('update refusals', () => {
  void test('end: refused once the show is ending', () => {
    assert.equal(endRefusal(stateOf({ phase: 'LIVE' })), undefined);
    assert.equal(endRefusal(stateOf({ phase: 'SCHEDULED' })), undefined, 'a show may be ended before it starts');
    assert.equal(endRefusal(stateOf({ phase: 'TIDYING' })), 'The show is already TIDYING');
  });

  void test('extend: only forward, within 24 hours of the start, and not once an end was asked for', () => {
    const live = stateOf({ phase: 'LIVE', startAt: T0 });
    assert.equal(extendRefusal(live, T0 + 2 * HOUR, T0 + HOUR), undefined);
    assert.equal(extendRefusal(live, T0 + 24 * HOUR, T0 + HOUR), undefined, 'exactly 24 hours is allowed');
    assert.equal(extendRefusal(live, T0 + HOUR, T0 + HOUR), 'endAt: must be in the future');
    assert.equal(
      extendRefusal(live, T0 + 24 * HOUR + 1, T0 + HOUR),
      'endAt: a show lasts at most 24 hours from its start (the IVS composition limit)',
    );
    const endRequested = { at: new Date(T0).toISOString(), reason: 'done' };
    assert.equal(extendRefusal({ ...live, endRequested }, T0 + 2 * HOUR, T0), 'The show is already ending (LIVE)');
    assert.equal(extendRefusal(stateOf({ phase: 'ENDING' }), T0 + 2 * HOUR, T0), 'The show is already ending (ENDING)');
  });

  void test('issueToken: needs a stage, and a show that is not ending', () => {
    assert.equal(issueTokenRefusal(stateOf({ phase: 'SCHEDULED' })), 'No stage to join: the show is SCHEDULED');
    assert.equal(issueTokenRefusal(stateOf({ phase: 'LIVE', stageArn: STAGE })), undefined);
    assert.equal(
      issueTokenRefusal(stateOf({ phase: 'TIDYING', stageArn: STAGE })),
      'No stage to join: the show is TIDYING',
    );
  });

  void test('restartComposition: needs a composition in the spec and one on air', () => {
    const spec = specOf();
    assert.equal(restartRefusal(spec, stateOf({ phase: 'LIVE', compositions: [liveRun] })), undefined);
    assert.equal(
      restartRefusal(spec, stateOf({ phase: 'WAITING_FOR_PUBLISHER' })),
      'No composition to restart: the show is WAITING_FOR_PUBLISHER',
    );
    assert.equal(
      restartRefusal(spec, stateOf({ phase: 'LIVE', compositions: [{ ...liveRun, state: 'STOPPED' }] })),
      'No composition to restart: the show is LIVE',
    );
    assert.equal(
      restartRefusal(spec, stateOf({ phase: 'ENDING', compositions: [liveRun] })),
      'No composition to restart: the show is ENDING',
    );
    assert.equal(restartRefusal(specOf({ composition: undefined }), stateOf()), 'This show has no composition');
  });
});

void describe('show plan', () => {
  void test('prepared tokens: one per participant, role as an attribute, duration in whole minutes', () => {
    assert.deepEqual(preparedTokenRequests(specOf()), [
      { userId: 'host', attributes: { seat: '1', role: 'host' }, capabilities: ['PUBLISH'], durationMinutes: 120 },
      {
        userId: 'guest',
        attributes: { role: 'guest' },
        capabilities: ['PUBLISH', 'SUBSCRIBE'],
        durationMinutes: 720,
      },
    ]);
  });

  void test('a requested token: a spec participant keeps its identity; lifetime and capabilities may change', () => {
    const spec = specOf();
    const host = {
      userId: 'host',
      attributes: { seat: '1', role: 'host' },
      capabilities: ['PUBLISH'],
      durationMinutes: 120,
    };
    assert.deepEqual(requestedToken(spec, { userId: 'host' }), host);
    assert.deepEqual(preparedTokenRequests(spec)[0], host, 'the same token as at preparation');
    assert.deepEqual(requestedToken(spec, { userId: 'host', durationMinutes: 5, capabilities: ['SUBSCRIBE'] }), {
      ...host,
      capabilities: ['SUBSCRIBE'],
      durationMinutes: 5,
    });
    assert.deepEqual(requestedToken(spec, { userId: 'walk-in' }), {
      userId: 'walk-in',
      attributes: {},
      capabilities: ['PUBLISH', 'SUBSCRIBE'],
      durationMinutes: 720,
    });
  });

  void test('the recordings index covers every recorded composition and goes next to the recordings', () => {
    const spec = specOf();
    const recorded = (arn: string, prefix?: string, bucket?: string): CompositionRun => ({
      arn,
      state: 'STOPPED',
      destinations: [
        { id: 'c', kind: 'channel', state: 'STOPPED' },
        { id: 's', kind: 's3', state: 'STOPPED', recordingPrefix: prefix },
      ],
      recordingBucket: bucket,
    });
    const compositions = [
      recorded(`${COMPOSITION}1`, 'AbCd/c1', 'composites'),
      recorded(`${COMPOSITION}2`),
      recorded(`${COMPOSITION}3`, 'AbCd/c3', 'composites'),
    ];
    const state = stateOf({ stageArn: STAGE, stageId: 'AbCdEfGhIjKl', compositions });
    assert.deepEqual(recordingsIndexInput(spec, state), {
      stageArn: STAGE,
      account: undefined,
      participantRecordingBucket: undefined,
      composites: [
        { compositionArn: `${COMPOSITION}1`, bucket: 'composites', prefix: 'AbCd/c1' },
        { compositionArn: `${COMPOSITION}3`, bucket: 'composites', prefix: 'AbCd/c3' },
      ],
      indexLocation: { bucket: 'composites', key: 'AbCdEfGhIjKl/showrunner-recordings-index.json' },
      settleTimeoutMs: spec.policies.recordingsSettleTimeout,
    });
    const participantStorage = {
      arn: 'arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCd',
      bucket: 'people',
    };
    const both = recordingsIndexInput(spec, { ...state, participantStorage });
    assert.equal(both?.indexLocation.bucket, 'people', 'participant recordings decide where the index goes');
    assert.equal(both?.participantRecordingBucket, 'people');
  });

  void test('no recordings index without recordings, without a stage, or when the policy says so', () => {
    const spec = specOf();
    const withStage = stateOf({ stageArn: STAGE, stageId: 'AbCdEfGhIjKl' });
    assert.equal(recordingsIndexInput(spec, withStage), undefined, 'nothing recorded');
    const participantStorage = { arn: 'x', bucket: 'people' };
    assert.equal(recordingsIndexInput(spec, stateOf({ participantStorage })), undefined, 'no stage');
    const noIndex = specOf({ policies: { keep: { recordingsIndex: false } } });
    assert.equal(recordingsIndexInput(noIndex, { ...withStage, participantStorage }), undefined, 'policy');
  });
});
