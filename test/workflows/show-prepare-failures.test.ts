import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateStageCommand,
  DeleteStageCommand,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { WorkflowNotFoundError } from '@temporalio/client';
import { parseShowSpec, ShowSpecError } from '../../spec/parse-show-spec';
import type { ShowSpecInput } from '../../spec/show-spec';
import { statusQuery } from '../../workflows/show-messages';
import { startShowHarness, type ShowHarness } from '../support/show-harness';

function failureTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.type) types.push(e.type);
  return types;
}

const freshChannelArn = () => `arn:aws:ivs:us-east-1:123456789012:channel/${randomBytes(6).toString('hex')}`;

/** A non-retryable failure must end the show at once, not after minutes of retries. */
const FAIL_FAST_MS = 20_000;

void describe('show workflow: failures before going live', () => {
  let h: ShowHarness;
  before(async () => {
    // Idle rules long enough that a filler composition without participants stays live through a test.
    h = await startShowHarness({
      clockScale: 1,
      timings: {
        compositionStartMs: 500,
        compositionStopMs: 500,
        idleStopAfterLastLeftMs: 60_000,
        idleStopWithoutParticipantsMs: 60_000,
      },
    });
  });
  after(async () => h.stop());

  /** Calls per IVS operation so far, over every account and region. */
  async function apiCalls(): Promise<Record<string, number>> {
    const { api } = await h.fixture.control.metrics();
    const calls: Record<string, number> = {};
    for (const operations of Object.values(api))
      for (const [operation, m] of Object.entries(operations)) calls[operation] = (calls[operation] ?? 0) + m.calls;
    return calls;
  }
  const delta = (before: Record<string, number>, after: Record<string, number>, operation: string) =>
    (after[operation] ?? 0) - (before[operation] ?? 0);

  async function stagesOfShow(showId: string) {
    const inventory = await h.fixture.control.inventory();
    return inventory.regions.flatMap((r) => r.stages).filter((s) => s.tags['showrunner:show-id'] === showId);
  }

  // First in the file, so no earlier show's background polling can blur the "no API call" check.
  void test('a bad spec is rejected before anything starts', async () => {
    const id = h.showId('bad');
    // Well-typed, so only the schema's rules reject it.
    const bad: ShowSpecInput = {
      id,
      name: 'Bad spec',
      schedule: { duration: '10s', leadTime: 0 },
      ingest: { protocol: 'RTMP' },
      composition: { enabled: true },
    };
    const callsBefore = await apiCalls();

    assert.throws(
      () => parseShowSpec(bad),
      (e: unknown) => {
        assert.ok(e instanceof ShowSpecError);
        const paths = e.issues.map((i) => i.path);
        for (const path of ['schedule.duration', 'ingest.protocol', 'composition.channelArn'])
          assert.ok(paths.includes(path), `issues: ${JSON.stringify(e.issues)}`);
        return true;
      },
    );
    await assert.rejects(h.startShow(bad), ShowSpecError);

    await assert.rejects(h.client.workflow.getHandle(`show-${id}`).describe(), WorkflowNotFoundError);
    assert.deepEqual(await apiCalls(), callsBefore, 'no IVS API call was made');
    assert.deepEqual((await h.fixture.control.inventory()).live, {
      stages: 0,
      ingestConfigurations: 0,
      compositions: 0,
    });
  });

  void test('composite recording to a bucket that does not exist fails preparation, leaving nothing behind', async () => {
    const id = h.showId('nobucket');
    const missingBucket = `missing-${randomBytes(6).toString('hex')}`;
    const callsBefore = await apiCalls();
    const startedAt = Date.now();
    const handle = await h.startShow({
      id,
      name: 'Missing bucket',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice' }],
      ingest: { enabled: true },
      composition: { recording: { bucket: missingBucket } },
      policies: { pollInterval: '1s' },
    });

    await assert.rejects(handle.result(), (e: unknown) => {
      assert.ok(failureTypes(e).includes('ValidationException'), `failure types: ${failureTypes(e).join(', ')}`);
      return true;
    });
    assert.ok(Date.now() - startedAt < FAIL_FAST_MS, `failed after ${Date.now() - startedAt} ms`);
    assert.equal((await handle.query(statusQuery)).phase, 'FAILED');

    const callsAfter = await apiCalls();
    assert.equal(
      delta(callsBefore, callsAfter, 'CreateStorageConfiguration'),
      1,
      'a ValidationException is not retried',
    );
    assert.equal(delta(callsBefore, callsAfter, 'CreateStage'), 0, 'preparation stopped before the stage');
    const inventory = await h.fixture.control.inventory();
    assert.deepEqual(inventory.live, { stages: 0, ingestConfigurations: 0, compositions: 0 });
    assert.ok(!inventory.regions.some((r) => r.storageConfigurations.some((s) => s.bucketName === missingBucket)));
  });

  void test('the stage quota fails the show at once, without retries', async () => {
    const fillers: string[] = [];
    try {
      await h.fixture.control.configure({ quotas: { stagesPerRegion: 2 } });
      for (const name of ['filler-1', 'filler-2'])
        fillers.push((await h.fixture.ivs.send(new CreateStageCommand({ name }))).stage!.arn!);
      const id = h.showId('stagequota');
      const callsBefore = await apiCalls();
      const startedAt = Date.now();
      const handle = await h.startShow({
        id,
        name: 'Stage quota',
        schedule: { duration: '10m', leadTime: 0 },
        participants: [{ userId: 'alice' }],
        composition: { channelArn: freshChannelArn() },
        policies: { pollInterval: '1s' },
      });
      await assert.rejects(handle.result(), (e: unknown) => {
        const types = failureTypes(e);
        assert.ok(types.includes('ServiceQuotaExceededException'), `failure types: ${types.join(', ')}`);
        return true;
      });
      assert.ok(Date.now() - startedAt < FAIL_FAST_MS, `failed after ${Date.now() - startedAt} ms`);
      assert.equal(delta(callsBefore, await apiCalls(), 'CreateStage'), 1, 'the quota error is not retried');
      assert.deepEqual(await stagesOfShow(id), []);
      const { live } = await h.fixture.control.inventory();
      assert.deepEqual(live, { stages: fillers.length, ingestConfigurations: 0, compositions: 0 });
    } finally {
      for (const arn of fillers) await h.fixture.ivs.send(new DeleteStageCommand({ arn }));
      await h.fixture.control.configure({ quotas: { stagesPerRegion: 1000 } });
    }
  });

  void test('the composition quota fails the show at once, and tidy-up removes its stage and ingest', async () => {
    const { stage } = await h.fixture.ivs.send(new CreateStageCommand({ name: 'filler' }));
    let fillerComposition: string | undefined;
    try {
      const { composition } = await h.fixture.ivs.send(
        new StartCompositionCommand({
          stageArn: stage!.arn,
          destinations: [{ channel: { channelArn: freshChannelArn() } }],
        }),
      );
      fillerComposition = composition!.arn;
      await h.fixture.control.configure({ quotas: { compositionsPerAccount: 1 } });

      const id = h.showId('compquota');
      const callsBefore = await apiCalls();
      const startedAt = Date.now();
      const handle = await h.startShow({
        id,
        name: 'Composition quota',
        schedule: { duration: '10m', leadTime: 0 },
        participants: [{ userId: 'alice' }],
        ingest: { enabled: true },
        composition: { channelArn: freshChannelArn() },
        policies: { pollInterval: '1s', startComposition: 'immediately' },
      });
      await assert.rejects(handle.result(), (e: unknown) => {
        const types = failureTypes(e);
        assert.ok(types.includes('ServiceQuotaExceededException'), `failure types: ${types.join(', ')}`);
        return true;
      });
      assert.ok(Date.now() - startedAt < FAIL_FAST_MS, `failed after ${Date.now() - startedAt} ms`);
      assert.equal(delta(callsBefore, await apiCalls(), 'StartComposition'), 1, 'the quota error is not retried');

      const final = await handle.query(statusQuery);
      assert.equal(final.phase, 'FAILED');
      const kinds = final.incidents.map((i) => i.kind);
      assert.ok(kinds.includes('START_FAILED'), `incidents: ${kinds.join(', ')}`);
      assert.ok(!kinds.includes('TIDY_UP_FAILED'), `incidents: ${kinds.join(', ')}`);
      assert.deepEqual(await stagesOfShow(id), []);
      const inventory = await h.fixture.control.inventory();
      assert.deepEqual(inventory.live, { stages: 1, ingestConfigurations: 0, compositions: 1 }, 'only the filler');
    } finally {
      await h.fixture.control.configure({ quotas: { compositionsPerAccount: 20 } });
      if (fillerComposition) await h.fixture.ivs.send(new StopCompositionCommand({ arn: fillerComposition }));
      await h.fixture.ivs.send(new DeleteStageCommand({ arn: stage!.arn }));
    }
  });
});
