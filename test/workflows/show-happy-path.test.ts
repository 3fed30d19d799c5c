import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetStageCommand } from '@aws-sdk/client-ivs-realtime';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';
import { endUpdate, participantTokensQuery, statusQuery } from '../../workflows/show-messages';

void describe('show lifecycle: happy path', () => {
  let h: ShowHarness;
  before(async () => {
    h = await startShowHarness({ clockScale: 1, timings: { compositionStartMs: 500, compositionStopMs: 500 } });
  });
  after(async () => h.stop());

  void test('prepares, goes live on the first publisher, ends, tidies up and indexes recordings', async () => {
    const bucket = await h.fixture.createBucket('show');
    const id = h.showId('happy');
    const handle = await h.startShow({
      id,
      name: 'Happy path',
      schedule: { duration: '1m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }, { userId: 'bob' }],
      ingest: { enabled: true },
      composition: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/abcdEFGH1234', recording: { bucket } },
      individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2 },
      policies: { pollInterval: '1s', recordingsSettleTimeout: '30s' },
    });
    const status = await waitFor(
      async () => {
        const s = await handle.query(statusQuery);
        return s.phase === 'WAITING_FOR_PUBLISHER' ? s : undefined;
      },
      30_000,
      { intervalMs: 250 },
    );
    assert.ok(status.resources.stageArn);
    assert.equal(status.participants.length, 2);
    const { stage } = await h.fixture.ivs.send(new GetStageCommand({ arn: status.resources.stageArn }));
    assert.equal(stage?.tags?.['showrunner:show-id'], id);

    const tokens = await handle.query(participantTokensQuery);
    await h.fixture.control.join(tokens[0]!.token, { publish: true });
    const live = await waitFor(
      async () => {
        const s = await handle.query(statusQuery);
        return s.phase === 'LIVE' && s.composition?.state === 'ACTIVE' ? s : undefined;
      },
      30_000,
      { intervalMs: 250 },
    );
    assert.equal(live.composition?.destinations.length, 2);

    await new Promise((r) => setTimeout(r, 5_000));
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    await h.fixture.control.leave({ token: tokens[0]!.token });
    const result = await handle.result();
    assert.equal(result.outcome, 'COMPLETED');
    assert.ok(result.recordingsIndex, 'recordings were indexed');
    const inventory = await h.fixture.control.inventory();
    assert.equal(inventory.live.stages, 0);
    assert.equal(inventory.live.compositions, 0);
    assert.equal(inventory.live.ingestConfigurations, 0);
  });
});
