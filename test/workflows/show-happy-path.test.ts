import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GetStageCommand } from '@aws-sdk/client-ivs-realtime';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { RecordingsIndexDocument } from '../../activities/recordings/index-document';
import {
  baseShowSpec,
  compositionActive,
  publishWithFirstToken,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForPhase,
  waitForStatus,
} from '../support/show-scenarios';
import { endUpdate } from '../../contracts/show-messages';

void describe('show lifecycle: happy path', () => {
  const h = showHarnessPerSuite(showEmulatorConfig());

  void test('prepares, goes live on the first publisher, ends, tidies up and indexes recordings', async () => {
    const bucket = await h.fixture.createBucket('show');
    const id = h.showId('happy');
    const handle = await h.startShow(
      baseShowSpec(id, {
        name: 'Happy path',
        schedule: { duration: '1m', leadTime: 0 },
        participants: [{ userId: 'alice', role: 'host' }, { userId: 'bob' }],
        ingest: { enabled: true },
        composition: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/abcdEFGH1234', recording: { bucket } },
        individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2 },
        policies: { recordingsSettleTimeout: '30s' },
      }),
    );
    const status = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');
    assert.ok(status.resources.stageArn);
    assert.equal(status.participants.length, 2);
    const { stage } = await h.fixture.ivs.send(new GetStageCommand({ arn: status.resources.stageArn }));
    assert.equal(stage?.tags?.['showrunner:show-id'], id);

    const { token } = await publishWithFirstToken(h, handle);
    const live = await waitForStatus(handle, 'composition active', compositionActive);
    assert.equal(live.composition?.destinations.length, 2);

    await new Promise((r) => setTimeout(r, 5_000));
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    await h.fixture.control.leave({ token });
    const result = await handle.result();
    assert.equal(result.outcome, 'COMPLETED');
    assert.ok(result.recordingsIndex, 'recordings were indexed');
    // The report's figures travel with the recordings: time on air, availability per destination, outages.
    const { location } = result.recordingsIndex;
    const object = await h.fixture.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    const document = JSON.parse(await object.Body!.transformToString()) as RecordingsIndexDocument;
    assert.ok(document.show, 'the index carries the show’s figures');
    assert.ok(document.show.timeOnAirMs > 0, JSON.stringify(document.show));
    assert.deepEqual(document.show.destinations.map((d) => d.kind).sort(), ['channel', 's3']);
    for (const d of document.show.destinations) assert.ok(d.availability! > 0.5, JSON.stringify(d));
    assert.deepEqual(document.show.outages, []);
    assert.ok(document.show.recordings.recordedMs > 0);
    const inventory = await h.fixture.control.inventory();
    assert.equal(inventory.live.stages, 0);
    assert.equal(inventory.live.compositions, 0);
    assert.equal(inventory.live.ingestConfigurations, 0);
  });
});
