import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import {
  extendUpdate,
  issueTokenUpdate,
  participantTokensQuery,
  restartCompositionUpdate,
  statusQuery,
} from '../../contracts/show-messages';
import type { ShowStatus } from '../../contracts/show-status';
import {
  assertNothingLive,
  endShow,
  liveShow,
  onAir,
  QUICK_IDLE_STOP_TIMINGS,
  setChannelDestination,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForNewComposition,
  waitForStatus,
} from '../support/show-scenarios';

void describe('show workflow: cancellation, updates and continue-as-new', () => {
  const h = showHarnessPerSuite(showEmulatorConfig(QUICK_IDLE_STOP_TIMINGS));

  const startLiveShow = (options: { continueAsNewAfterEvents?: number } = {}) =>
    liveShow(
      h,
      {
        id: h.showId('messages'),
        name: 'Messages',
        participants: [{ userId: 'alice', role: 'host' }, { userId: 'bob' }],
        ingest: { enabled: true },
        policies: { reconnectingTolerance: '30s', restartBackoff: { initial: 0 } },
      },
      options,
    );

  void test('cancelling a live show ends it CANCELLED with everything removed', async () => {
    const { handle, token } = await startLiveShow();
    await handle.cancel();
    await assert.rejects(handle.result(), (e: unknown) => {
      assert.ok(e instanceof WorkflowFailedError, String(e));
      assert.ok(e.cause instanceof CancelledFailure, String(e.cause));
      return true;
    });
    assert.equal((await handle.describe()).status.name, 'CANCELLED');
    assert.equal((await handle.query(statusQuery)).phase, 'CANCELLED');
    await h.fixture.control.leave({ token }).catch(() => undefined);
    await assertNothingLive(h.fixture);
  });

  void test('extend, issueToken, restartComposition and end act on a live show; invalid ones are rejected', async () => {
    const { handle, live, token } = await startLiveShow();

    // extend: a later end moves plannedEnd.
    const laterEnd = new Date(Date.parse(live.plannedEnd) + 30 * 60_000).toISOString();
    const extended = await handle.executeUpdate(extendUpdate, {
      args: [{ endAt: laterEnd }],
      updateId: 'extend-later',
    });
    assert.equal(extended.endAt, laterEnd);
    assert.equal((await handle.query(statusQuery)).plannedEnd, laterEnd);

    // extend into the past: the validator rejects it, so it never reaches history.
    const pastEnd = new Date(Date.now() - 60_000).toISOString();
    await assert.rejects(
      handle.executeUpdate(extendUpdate, { args: [{ endAt: pastEnd }], updateId: 'extend-into-past' }),
      (e: unknown) => {
        assert.ok(e instanceof WorkflowUpdateFailedError, String(e));
        assert.match((e.cause as Error).message, /must be in the future/);
        return true;
      },
    );
    assert.equal((await handle.query(statusQuery)).plannedEnd, laterEnd);
    const history = await handle.fetchHistory();
    const acceptedUpdateIds = (history.events ?? [])
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId)
      .filter((updateId): updateId is string => !!updateId);
    assert.ok(acceptedUpdateIds.includes('extend-later'), `accepted: ${acceptedUpdateIds.join(', ')}`);
    assert.ok(!acceptedUpdateIds.includes('extend-into-past'), `accepted: ${acceptedUpdateIds.join(', ')}`);

    // issueToken: the token joins the show's stage.
    const carol = await handle.executeUpdate(issueTokenUpdate, { args: [{ userId: 'carol' }] });
    assert.equal(carol.userId, 'carol');
    const membership = await h.fixture.control.join(carol.token);
    assert.equal(membership.stageArn, live.resources.stageArn);
    assert.equal(membership.participantId, carol.participantId);
    await h.fixture.control.leave({ token: carol.token });
    const allTokens = await handle.query(participantTokensQuery);
    assert.deepEqual(
      allTokens.map((t) => t.userId),
      ['alice', 'bob', 'carol'],
    );
    // zod runs preloaded, shared by every workflow and frozen (worker/workflow-bundle-options.ts): its rejections
    // must still name the field and the rule, in English.
    const rejection = async (update: Promise<unknown>, message: string) =>
      assert.rejects(update, (e: unknown) => {
        assert.ok(e instanceof WorkflowUpdateFailedError, String(e));
        assert.equal((e.cause as Error).message, message);
        return true;
      });
    await rejection(
      handle.executeUpdate(issueTokenUpdate, { args: [{ userId: '' }] }),
      'Invalid arguments: userId: Too small: expected string to have >=1 characters',
    );
    await rejection(
      handle.executeUpdate(extendUpdate, { args: [{ endAt: 'tomorrow' }] }),
      'Invalid arguments: endAt: Invalid ISO datetime',
    );
    await rejection(
      handle.executeUpdate(restartCompositionUpdate, { args: [{ reason: 'x', force: true } as never] }),
      'Invalid arguments: (args): Unrecognized key: "force"',
    );
    // A spec participant's token keeps the spec's attributes and role: another identity for alice is refused.
    await assert.rejects(
      handle.executeUpdate(issueTokenUpdate, { args: [{ userId: 'alice', attributes: { role: 'guest' } }] }),
      (e: unknown) =>
        e instanceof WorkflowUpdateFailedError && /alice is a participant of the spec/.test((e.cause as Error).message),
    );

    // restartComposition: a new composition, recorded as an incident.
    const firstArn = live.composition!.arn;
    const restarted = await handle.executeUpdate(restartCompositionUpdate, { args: [{ reason: 'operator asked' }] });
    assert.equal(restarted.restarts, 1);
    const again = await waitForNewComposition(handle, firstArn);
    const requested = again.incidents.find((i) => i.kind === 'RESTART_REQUESTED');
    assert.equal(requested?.detail, 'operator asked');
    assert.equal(requested?.compositionArn, firstArn);

    // end: early, and a normal completion.
    const result = await endShow(h, handle, { token, reason: 'wrap it up' });
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.timings.plannedEnd, laterEnd);
    assert.ok(Date.parse(result.timings.endedAt!) < Date.parse(laterEnd), 'ended before the planned end');
    await assertNothingLive(h.fixture);
  });

  void test('continue-as-new keeps incidents and tokens, and the show still ends and tidies', async () => {
    const { handle, live, tokens, token } = await startLiveShow({ continueAsNewAfterEvents: 40 });
    const compositionArn = live.composition!.arn;

    const count = (s: ShowStatus, kind: string) => s.incidents.filter((i) => i.kind === kind).length;
    /** One RECONNECTING → ACTIVE round trip of the channel destination, seen by the show. */
    async function reconnectAndRecover(n: number) {
      await setChannelDestination(h, compositionArn, 'RECONNECTING');
      await waitForStatus(handle, `DESTINATION_RECONNECTING #${n}`, (s) => count(s, 'DESTINATION_RECONNECTING') === n);
      await setChannelDestination(h, compositionArn, 'ACTIVE');
      await waitForStatus(handle, `DESTINATION_RECOVERED #${n}`, (s) => count(s, 'DESTINATION_RECOVERED') === n);
    }
    const runId = async () => (await handle.describe()).runId;

    // Preparing alone may outgrow 40 events; what matters is that a run which recorded incidents moves on.
    await reconnectAndRecover(1);
    const runWithIncidents = await runId();
    let rounds = 1;
    while ((await runId()) === runWithIncidents) {
      assert.ok(rounds < 10, 'the show should have continued as new by now');
      await reconnectAndRecover(++rounds);
    }
    const status = await waitForStatus(handle, 'on air in the new run', onAir);
    assert.deepEqual(
      status.incidents.map((i) => i.kind),
      Array.from({ length: rounds }).flatMap(() => ['DESTINATION_RECONNECTING', 'DESTINATION_RECOVERED']),
    );
    assert.equal(status.composition?.arn, compositionArn);
    assert.deepEqual(await handle.query(participantTokensQuery), tokens);

    const result = await endShow(h, handle, { token });
    assert.equal(result.outcome, 'COMPLETED');
    assert.ok(result.continuedAsNew > 0);
    assert.equal(result.compositionRestarts, 0);
    await assertNothingLive(h.fixture);
  });
});
