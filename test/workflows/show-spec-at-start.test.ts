import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { INVALID_SHOW_SPEC } from '../../contracts/show-spec-check';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import { showWorkflow } from '../../workflows';
import {
  apiCalls,
  assertNothingLive,
  baseShowSpec,
  failureTypes,
  showEmulatorConfig,
  showHarnessPerSuite,
} from '../support/show-scenarios';

/**
 * Issue 11 item 6: the show workflow checks its spec itself. A client that starts `showWorkflow` directly, without
 * the CLI's schema, gets a failed workflow naming the field and the rule, and no IVS or S3 call is made.
 */
void describe('show workflow: the spec is checked again at start', () => {
  const h = showHarnessPerSuite(showEmulatorConfig());

  const startDirectly = (spec: unknown, id: string) =>
    h.client.workflow.start(showWorkflow, {
      workflowId: `show-${id}`,
      taskQueue: h.taskQueue,
      args: [{ spec: spec as never, options: { monitorTaskQueue: `${h.taskQueue}-monitor` } }],
    });

  const cases: [string, (spec: Record<string, unknown>) => void, RegExp][] = [
    [
      'an account that is not 12 digits',
      (s) => (s.account = '__proto__'),
      /account: must be a 12-digit AWS account ID/,
    ],
    ['an account named constructor', (s) => (s.account = 'constructor'), /account: must be a 12-digit AWS account ID/],
    ['a region that is not one', (s) => (s.region = 'us-east-1/../x'), /region: must be an AWS region/],
    [
      'a bucket name S3 refuses',
      (s) =>
        (s.composition = { ...(s.composition as object), recording: { bucket: 'Bad_Bucket', hlsSegmentSeconds: 2 } }),
      /composition\.recording\.bucket: must be an S3 bucket name/,
    ],
    [
      'a channel ARN that is not one',
      (s) => (s.composition = { ...(s.composition as object), channelArn: 'arn:aws:s3:::other-teams-bucket' }),
      /composition\.channelArn: must be an IVS channel ARN/,
    ],
    [
      'a start that is no time',
      (s) => (s.schedule = { ...(s.schedule as object), start: 'soon' }),
      /schedule\.start: must be an ISO 8601/,
    ],
  ];

  for (const [what, spoil, message] of cases)
    void test(`${what} fails the workflow before any call`, async () => {
      const id = h.showId('badspec');
      const spec = JSON.parse(JSON.stringify(parseShowSpec(baseShowSpec(id)))) as Record<string, unknown>;
      spoil(spec);
      const before = await apiCalls(h.fixture);
      const handle = await startDirectly(spec, id);
      await assert.rejects(handle.result(), (e: unknown) => {
        assert.ok(failureTypes(e).includes(INVALID_SHOW_SPEC), `failure types: ${failureTypes(e).join(', ')}`);
        const cause = (e as { cause?: { message?: string; nonRetryable?: boolean } }).cause;
        assert.match(cause?.message ?? '', message);
        assert.equal(cause?.nonRetryable, true);
        return true;
      });
      const history = await handle.fetchHistory();
      const scheduled = (history.events ?? []).filter(
        (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
      );
      assert.equal(scheduled.length, 0, 'no activity was scheduled');
      assert.deepEqual(await apiCalls(h.fixture), before, 'no IVS call was made');
      await assertNothingLive(h.fixture);
    });
});
