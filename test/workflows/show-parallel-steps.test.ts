import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import {
  assertNothingLive,
  endShow,
  liveShow,
  showEmulatorConfig,
  showHarnessPerSuite,
} from '../support/show-scenarios';
import type { ShowHarness } from '../support/show-harness';

const { EventType } = temporal.api.enums.v1;

/** A command the show emitted: its history event, the workflow task that emitted it, and what it was. */
interface Emitted {
  eventId: number;
  /** The WorkflowTaskCompleted event whose commands included this one: same number, same workflow task. */
  task: number;
  what: string;
  summary?: string;
}

/** Every activity the show scheduled and every signal it sent, in history order. */
async function emitted(h: ShowHarness, handle: WorkflowHandle): Promise<Emitted[]> {
  const history = await handle.fetchHistory();
  const converter = h.client.options.loadedDataConverter;
  const out: Emitted[] = [];
  for (const e of history.events ?? []) {
    const eventId = Number(e.eventId);
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      const a = e.activityTaskScheduledEventAttributes!;
      out.push({
        eventId,
        task: Number(a.workflowTaskCompletedEventId),
        what: a.activityType!.name!,
        summary: (await decodeOptionalSinglePayload<string>(converter, e.userMetadata?.summary)) ?? undefined,
      });
    } else if (e.eventType === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED) {
      const s = e.signalExternalWorkflowExecutionInitiatedEventAttributes!;
      out.push({ eventId, task: Number(s.workflowTaskCompletedEventId), what: `signal ${s.signalName}` });
    }
  }
  return out;
}

function only(all: Emitted[], what: string, where: string): Emitted {
  const found = all.filter((e) => e.what === what);
  assert.equal(found.length, 1, `${where}: one ${what} (${all.map((e) => e.what).join(', ')})`);
  return found[0]!;
}

void describe('show workflow: independent steps run at once (issue 15)', () => {
  const h = showHarnessPerSuite(showEmulatorConfig());

  void test('the stage and the encoder configuration are prepared together; tidy-up deletes the ingest configuration while the composition stops, and the stage alongside the unwatch', async () => {
    const { handle, token } = await liveShow(h, { ingest: { enabled: true } });
    const result = await endShow(h, handle, { token, reason: 'test over' });
    assert.equal(result.outcome, 'COMPLETED');
    const all = await emitted(h, handle);

    // Preparation: both activities are scheduled by the same workflow task, so neither waits for the other.
    const encoder = only(all, 'ensureEncoderConfiguration', 'preparation');
    const stage = only(all, 'ensureStage', 'preparation');
    assert.equal(encoder.task, stage.task, 'ensureEncoderConfiguration and ensureStage in one workflow task');
    // One participant: the Web UI's summary says "token", not "tokens".
    assert.equal(only(all, 'issueParticipantTokens', 'preparation').summary, 'Issue 1 participant token');

    // Tidy-up: the ingest configuration's deletion goes out with the first wait for STOPPED, right after
    // StopComposition answered, not after it.
    const firstWait = all.find((e) => e.what === 'awaitCompositionStopped');
    assert.ok(firstWait, `tidy-up waited for STOPPED: ${all.map((e) => e.what).join(', ')}`);
    const deleteIngest = only(all, 'deleteIngestConfiguration', 'tidy-up');
    assert.equal(deleteIngest.task, firstWait.task, 'deleteIngestConfiguration scheduled with the wait for STOPPED');
    // The stage goes after the wait and the ingest configuration, and in the same workflow task as the unwatch.
    const deleteStage = only(all, 'deleteStage', 'tidy-up');
    assert.ok(deleteStage.eventId > deleteIngest.eventId);
    const unwatch = only(all, 'signal unwatchComposition', 'tidy-up');
    assert.equal(deleteStage.task, unwatch.task, 'deleteStage scheduled with the unwatch signal');
    // The sweep is still last.
    const sweep = all.filter((e) => e.what === 'findShowResources').at(-1)!;
    assert.ok(sweep.eventId > deleteStage.eventId, 'the sweep runs after the stage is deleted');

    assert.deepEqual(
      new Set(result.removed.map((r) => r.kind)),
      new Set(['composition', 'ingest-configuration', 'stage']),
    );
    await assertNothingLive(h.fixture);
  });
});
