import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  CreateStageCommand,
  DeleteStageCommand,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { WorkflowNotFoundError } from '@temporalio/client';
import { parseShowSpec, ShowSpecError } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { statusQuery } from '../../contracts/show-messages';
import {
  apiCalls as apiCallsIn,
  assertNothingLive,
  assertShowFailsWith,
  baseShowSpec,
  freshChannelArn,
  idleStopAfter,
  NOTHING_LIVE,
  showEmulatorConfig,
  showHarnessPerSuite,
} from '../support/show-scenarios';

/** A non-retryable failure must end the show at once, not after minutes of retries. */
const FAIL_FAST_MS = 20_000;

void describe('show workflow: failures before going live', () => {
  // Idle rules long enough that a filler composition without participants stays live through a test.
  const h = showHarnessPerSuite(showEmulatorConfig(idleStopAfter(60_000)));

  const apiCalls = () => apiCallsIn(h.fixture);
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
    await assertNothingLive(h.fixture);
  });

  void test('composite recording to a bucket that does not exist fails preparation, leaving nothing behind', async () => {
    const id = h.showId('nobucket');
    const missingBucket = `missing-${randomBytes(6).toString('hex')}`;
    const callsBefore = await apiCalls();
    const startedAt = Date.now();
    const handle = await h.startShow(
      baseShowSpec(id, {
        name: 'Missing bucket',
        participants: [{ userId: 'alice' }],
        ingest: { enabled: true },
        composition: { recording: { bucket: missingBucket } },
      }),
    );

    await assertShowFailsWith(handle, 'ValidationException');
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
    assert.deepEqual(inventory.live, NOTHING_LIVE);
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
      const handle = await h.startShow(baseShowSpec(id, { name: 'Stage quota', participants: [{ userId: 'alice' }] }));
      await assertShowFailsWith(handle, 'ServiceQuotaExceededException');
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
      const handle = await h.startShow(
        baseShowSpec(id, {
          name: 'Composition quota',
          participants: [{ userId: 'alice' }],
          ingest: { enabled: true },
          policies: { startComposition: 'immediately' },
        }),
      );
      await assertShowFailsWith(handle, 'ServiceQuotaExceededException');
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
