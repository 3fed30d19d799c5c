import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { compositionMonitorWorkflowId } from '../../contracts/ids';
import { issueTokenUpdate, restartCompositionUpdate, statusQuery } from '../../contracts/show-messages';
import {
  assertNothingLive,
  assertShowFailsWith,
  baseShowSpec,
  endShow,
  liveShow,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForNewComposition,
} from '../support/show-scenarios';
import type { ShowHarness } from '../support/show-harness';

const { EventType } = temporal.api.enums.v1;

/** The Web UI's current details of a workflow: what `setCurrentDetails` last set. */
async function currentDetails(handle: WorkflowHandle): Promise<string> {
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

/** Every activity the workflow scheduled, with its summary as the Web UI shows it (decoded). */
async function scheduledActivities(h: ShowHarness, handle: WorkflowHandle) {
  const history = await handle.fetchHistory();
  const converter = h.client.options.loadedDataConverter;
  const activities: { type: string; summary: string | undefined }[] = [];
  for (const e of history.events ?? []) {
    if (e.eventType !== EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) continue;
    const summary = await decodeOptionalSinglePayload<string>(converter, e.userMetadata?.summary);
    activities.push({
      type: e.activityTaskScheduledEventAttributes!.activityType!.name!,
      summary: summary ?? undefined,
    });
  }
  return activities;
}

function assertAllSummarised(activities: { type: string; summary: string | undefined }[], where: string) {
  const missing = activities.filter((a) => typeof a.summary !== 'string' || a.summary.trim() === '');
  assert.deepEqual(
    missing.map((a) => a.type),
    [],
    `${where}: activities scheduled without a summary (${activities.map((a) => `${a.type}: ${a.summary}`).join('; ')})`,
  );
}

void describe('what the history, the UI and the status say about a show', () => {
  const h = showHarnessPerSuite(showEmulatorConfig());

  void test('every activity a show schedules has a summary; an ended show says how it ended', async () => {
    const bucket = await h.fixture.createBucket('truth');
    const { handle, token } = await liveShow(h, {
      ingest: { enabled: true },
      composition: {
        channelArn: `arn:aws:ivs:us-east-1:123456789012:channel/truth${randomBytes(3).toString('hex')}`,
        recording: { bucket },
      },
      individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2 },
      policies: { recordingsSettleTimeout: '20s', restartBackoff: { initial: '0s' } },
    });
    // The calls a plain run does not make: a token during the show, a restart (stop, wait for STOPPED, start).
    await handle.executeUpdate(issueTokenUpdate, { args: [{ userId: 'late-guest' }] });
    const before = (await handle.query(statusQuery)).composition!.arn;
    await handle.executeUpdate(restartCompositionUpdate, { args: [{ reason: 'test restart' }] });
    await waitForNewComposition(handle, before);
    const result = await endShow(h, handle, { token, reason: 'test over' });
    assert.equal(result.outcome, 'COMPLETED');
    assert.ok(result.recordingsIndex);

    const activities = await scheduledActivities(h, handle);
    const types = new Set(activities.map((a) => a.type));
    for (const type of [
      'ensureStage',
      'issueParticipantTokens',
      'issueParticipantToken',
      'stopComposition',
      'awaitCompositionStopped',
      'deleteStage',
      'deleteIngestConfiguration',
      'findShowResources',
      'indexRecordings',
    ])
      assert.ok(types.has(type), `the show scheduled ${type}: ${[...types].join(', ')}`);
    assertAllSummarised(activities, 'show');
    const monitor = h.client.workflow.getHandle(
      compositionMonitorWorkflowId(`${h.taskQueue}-monitor`, '123456789012', 'us-east-1'),
    );
    assertAllSummarised(await scheduledActivities(h, monitor), 'composition monitor');

    // The status and the details of the ended show: how it ended, nothing deleted shown as live.
    const status = await handle.query(statusQuery);
    assert.equal(status.phase, 'COMPLETED');
    assert.equal(status.resources.stageArn, undefined, 'the deleted stage is not listed as a current resource');
    assert.ok(
      status.composition?.destinations.every((d) => d.state !== 'ACTIVE'),
      JSON.stringify(status.composition),
    );
    assert.equal(status.ending?.outcome, 'COMPLETED');
    assert.equal(status.ending?.reason, 'ended on request: test over');
    assert.deepEqual(status.ending?.swept, []);
    assert.equal(status.ending?.recordingsIndex, result.recordingsIndex.location.uri);
    assert.deepEqual(
      new Set(status.ending?.removed.map((r) => r.kind)),
      new Set(['composition', 'ingest-configuration', 'stage']),
    );
    const details = await currentDetails(handle);
    assert.match(details, /\| Outcome \| COMPLETED: ended on request: test over \|/);
    assert.match(details, /\| Stage \| \S+ \(deleted\) \|/);
    assert.doesNotMatch(details, /(channel|s3) ACTIVE/);
    assert.match(details, /\| Removed \| .*stage /);
    assert.match(details, /\| Sweep of the run tag \| nothing else was left \|/);
    assert.ok(details.includes(`| Recordings index | ${result.recordingsIndex.location.uri} |`), details);
    await assertNothingLive(h.fixture);
  });

  void test('a failed show gives the failure’s cause in its status and details', async () => {
    const missing = `missing-${randomBytes(6).toString('hex')}`;
    const handle = await h.startShow(
      baseShowSpec(h.showId('nobucket'), { composition: { recording: { bucket: missing } } }),
    );
    await assertShowFailsWith(handle, 'ValidationException');
    const status = await handle.query(statusQuery);
    assert.equal(status.phase, 'FAILED');
    assert.equal(status.ending?.outcome, 'FAILED');
    assert.match(status.ending?.failure ?? '', /^preparing \(ensureStorageConfiguration\): .*S3 bucket must exist/);
    assert.match(
      await currentDetails(handle),
      /\| Outcome \| FAILED: preparing \(ensureStorageConfiguration\): .*S3 bucket must exist/,
    );
  });
});
