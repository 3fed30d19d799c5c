import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DeleteStageCommand } from '@aws-sdk/client-ivs-realtime';
import type { WorkflowHandle } from '@temporalio/client';
import type { ShowSpecInput } from '../../spec/show-spec';
import type { showWorkflow } from '../../workflows';
import { endUpdate, participantTokensQuery, statusQuery } from '../../workflows/show-messages';
import type { ShowStatus } from '../../workflows/show-state';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';

type ShowHandle = WorkflowHandle<typeof showWorkflow>;

function failureTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.type) types.push(e.type);
  return types;
}

const freshChannelArn = () => `arn:aws:ivs:us-east-1:123456789012:channel/${randomBytes(6).toString('hex')}`;

void describe('show workflow: idle compositions and a stage deleted behind its back', () => {
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

  /** Polls the status query; on timeout the error carries the last status seen. */
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

  async function startLiveShow(extra: Partial<ShowSpecInput> = {}) {
    const handle = await h.startShow({
      id: h.showId('idle'),
      name: 'Idle and stage',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }],
      composition: { channelArn: freshChannelArn() },
      policies: { pollInterval: '1s', restartBackoff: { initial: 0 } },
      ...extra,
    });
    await waitForStatus(handle, 'waiting for a publisher', (s) => s.phase === 'WAITING_FOR_PUBLISHER');
    const [alice] = await handle.query(participantTokensQuery);
    await h.fixture.control.join(alice!.token, { publish: true });
    const live = await waitForStatus(handle, 'on air', onAir);
    return { handle, live, token: alice!.token };
  }

  void test('an idle stop waits for the next publisher and starts a new composition, which is no restart', async () => {
    const { handle, live, token } = await startLiveShow();
    const firstArn = live.composition!.arn;

    // The only publisher leaves: the emulator's idle rule stops the composition 3 s later.
    await h.fixture.control.leave({ token });
    const waiting = await waitForStatus(
      handle,
      'waiting for a publisher again',
      (s) => s.phase === 'WAITING_FOR_PUBLISHER' && s.incidents.some((i) => i.kind === 'COMPOSITION_STOPPED'),
    );
    const stopped = waiting.incidents.find((i) => i.kind === 'COMPOSITION_STOPPED');
    assert.equal(stopped?.compositionArn, firstArn);
    assert.equal(waiting.compositionRestarts, 0);
    assert.equal((await h.fixture.control.inventory()).live.compositions, 0);

    await h.fixture.control.join(token, { publish: true });
    const again = await waitForStatus(
      handle,
      'a new composition on air',
      (s) => onAir(s) && s.composition?.arn !== firstArn,
    );
    assert.equal(again.compositionRestarts, 0);
    assert.deepEqual(
      again.incidents.map((i) => i.kind),
      ['COMPOSITION_STOPPED'],
    );

    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    const result = await handle.result();
    await h.fixture.control.leave({ token }).catch(() => undefined);
    assert.equal(result.outcome, 'COMPLETED');
    assert.equal(result.compositionRestarts, 0);
    assert.equal(result.made.filter((r) => r.kind === 'composition').length, 2);
    assert.deepEqual((await h.fixture.control.inventory()).live, {
      stages: 0,
      ingestConfigurations: 0,
      compositions: 0,
    });
  });

  void test('a stage deleted outside the show fails it with StageDeleted, and tidy-up removes the rest', async () => {
    const { handle, live } = await startLiveShow({ ingest: { enabled: true } });
    const ingestArn = live.resources.ingestConfigurationArn;
    assert.ok(ingestArn);

    await h.fixture.ivs.send(new DeleteStageCommand({ arn: live.resources.stageArn }));
    await assert.rejects(handle.result(), (e: unknown) => {
      assert.ok(failureTypes(e).includes('StageDeleted'), `failure types: ${failureTypes(e).join(', ')}`);
      return true;
    });

    const final = await handle.query(statusQuery);
    assert.equal(final.phase, 'FAILED');
    const kinds = final.incidents.map((i) => i.kind);
    assert.ok(kinds.includes('STAGE_DELETED'), `incidents: ${kinds.join(', ')}`);
    assert.ok(!kinds.includes('TIDY_UP_FAILED'), `incidents: ${kinds.join(', ')}`);
    const inventory = await h.fixture.control.inventory();
    assert.deepEqual(inventory.live, { stages: 0, ingestConfigurations: 0, compositions: 0 });
    assert.ok(!inventory.regions.some((r) => r.ingestConfigurations.some((c) => c.arn === ingestArn)));
  });
});
