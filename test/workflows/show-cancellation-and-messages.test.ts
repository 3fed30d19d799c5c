import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { ShowSpecInput } from '../../spec/show-spec';
import type { showWorkflow } from '../../workflows';
import {
  endUpdate,
  extendUpdate,
  issueTokenUpdate,
  participantTokensQuery,
  restartCompositionUpdate,
  statusQuery,
} from '../../workflows/show-messages';
import type { ShowStatus } from '../../workflows/show-state';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';

type ShowHandle = WorkflowHandle<typeof showWorkflow>;

const freshChannelArn = () => `arn:aws:ivs:us-east-1:123456789012:channel/${randomBytes(6).toString('hex')}`;
const NOTHING_LIVE = { stages: 0, ingestConfigurations: 0, compositions: 0 };

void describe('show workflow: cancellation, updates and continue-as-new', () => {
  let h: ShowHarness;
  before(async () => {
    h = await startShowHarness({
      clockScale: 1,
      timings: {
        compositionStartMs: 500,
        compositionStopMs: 500,
        idleStopAfterLastLeftMs: 3_000,
        idleStopWithoutParticipantsMs: 3_000,
        destinationReconnectWindowMs: 60_000,
      },
    });
  });
  after(async () => h.stop());

  async function waitForStatus(
    handle: ShowHandle,
    what: string,
    predicate: (s: ShowStatus) => boolean,
    timeoutMs = 30_000,
  ): Promise<ShowStatus> {
    let last: ShowStatus | undefined;
    try {
      return await waitFor(
        async () => {
          last = await handle.query(statusQuery);
          return predicate(last) ? last : undefined;
        },
        timeoutMs,
        { intervalMs: 250, description: what },
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; last status: ${JSON.stringify(last)}`);
    }
  }

  const onAir = (s: ShowStatus) =>
    s.phase === 'LIVE' &&
    s.composition?.state === 'ACTIVE' &&
    s.composition.destinations.every((d) => d.state === 'ACTIVE');

  async function startLiveShow(options: { continueAsNewAfterEvents?: number } = {}) {
    const spec: ShowSpecInput = {
      id: h.showId('messages'),
      name: 'Messages',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }, { userId: 'bob' }],
      ingest: { enabled: true },
      composition: { channelArn: freshChannelArn() },
      policies: { pollInterval: '1s', reconnectingTolerance: '30s', restartBackoff: { initial: 0 } },
    };
    const handle = await h.startShow(spec, options);
    await waitForStatus(handle, 'waiting for a publisher', (s) => s.phase === 'WAITING_FOR_PUBLISHER');
    const tokens = await handle.query(participantTokensQuery);
    await h.fixture.control.join(tokens[0]!.token, { publish: true });
    const live = await waitForStatus(handle, 'on air', onAir);
    return { handle, live, tokens };
  }

  void test('cancelling a live show ends it CANCELLED with everything removed', async () => {
    const { handle, tokens } = await startLiveShow();
    await handle.cancel();
    await assert.rejects(handle.result(), (e: unknown) => {
      assert.ok(e instanceof WorkflowFailedError, String(e));
      assert.ok(e.cause instanceof CancelledFailure, String(e.cause));
      return true;
    });
    assert.equal((await handle.describe()).status.name, 'CANCELLED');
    assert.equal((await handle.query(statusQuery)).phase, 'CANCELLED');
    await h.fixture.control.leave({ token: tokens[0]!.token }).catch(() => undefined);
    assert.deepEqual((await h.fixture.control.inventory()).live, NOTHING_LIVE);
  });

  void test('extend, issueToken, restartComposition and end act on a live show; invalid ones are rejected', async () => {
    const { handle, live, tokens } = await startLiveShow();

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
    await assert.rejects(handle.executeUpdate(issueTokenUpdate, { args: [{ userId: '' }] }), WorkflowUpdateFailedError);

    // restartComposition: a new composition, recorded as an incident.
    const firstArn = live.composition!.arn;
    const restarted = await handle.executeUpdate(restartCompositionUpdate, { args: [{ reason: 'operator asked' }] });
    assert.equal(restarted.restarts, 1);
    const again = await waitForStatus(
      handle,
      'a new composition on air',
      (s) => onAir(s) && s.composition?.arn !== firstArn,
    );
    const requested = again.incidents.find((i) => i.kind === 'RESTART_REQUESTED');
    assert.equal(requested?.detail, 'operator asked');
    assert.equal(requested?.compositionArn, firstArn);

    // end: early, and a normal completion.
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'wrap it up' }] });
    const result = await handle.result();
    await h.fixture.control.leave({ token: tokens[0]!.token }).catch(() => undefined);
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.timings.plannedEnd, laterEnd);
    assert.ok(Date.parse(result.timings.endedAt!) < Date.parse(laterEnd), 'ended before the planned end');
    assert.deepEqual((await h.fixture.control.inventory()).live, NOTHING_LIVE);
  });

  void test('continue-as-new keeps incidents and tokens, and the show still ends and tidies', async () => {
    const { handle, live, tokens } = await startLiveShow({ continueAsNewAfterEvents: 40 });
    const compositionArn = live.composition!.arn;

    const count = (s: ShowStatus, kind: string) => s.incidents.filter((i) => i.kind === kind).length;
    /** One RECONNECTING → ACTIVE round trip of the channel destination, seen by the show. */
    async function reconnectAndRecover(n: number) {
      await h.fixture.control.setCompositionState({
        compositionArn,
        state: 'RECONNECTING',
        destinationType: 'channel',
      });
      await waitForStatus(handle, `DESTINATION_RECONNECTING #${n}`, (s) => count(s, 'DESTINATION_RECONNECTING') === n);
      await h.fixture.control.setCompositionState({ compositionArn, state: 'ACTIVE', destinationType: 'channel' });
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

    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    const result = await handle.result();
    await h.fixture.control.leave({ token: tokens[0]!.token }).catch(() => undefined);
    assert.equal(result.outcome, 'COMPLETED');
    assert.ok(result.continuedAsNew > 0);
    assert.equal(result.compositionRestarts, 0);
    assert.deepEqual((await h.fixture.control.inventory()).live, NOTHING_LIVE);
  });
});
