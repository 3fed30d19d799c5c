import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { locationOf } from '../../contracts/arn';
import { UNKNOWN_ACCOUNT_FAILURE_TYPE } from '../../contracts/failure-types';
import { compositionMonitorWorkflowId } from '../../contracts/ids';
import { endUpdate } from '../../contracts/show-messages';
import {
  apiCalls,
  assertNothingLive,
  assertShowFailsWith,
  baseShowSpec,
  compositionActive,
  publishWithFirstToken,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForPhase,
  waitForStatus,
} from '../support/show-scenarios';
import { freshChannelArn } from '../../dev/aws/local-aws';

const OTHER_ACCOUNT = '111122223333';
const HOME_ACCOUNT = '123456789012';

void describe('show workflow: a show in another AWS account', () => {
  const h = showHarnessPerSuite(showEmulatorConfig(), {
    worker: { accounts: { [OTHER_ACCOUNT]: { roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/showrunner-shows` } } },
  });

  const resourcesIn = async (account: string, showId: string) => {
    const inventory = await h.fixture.control.inventory();
    const regions = inventory.regions.filter((r) => r.accountId === account);
    const ours = (tags: Record<string, string>) => tags['showrunner:show-id'] === showId;
    return {
      stages: regions.flatMap((r) => r.stages).filter((s) => ours(s.tags)),
      compositions: regions.flatMap((r) => r.compositions).filter((c) => ours(c.tags)),
      ingestConfigurations: regions.flatMap((r) => r.ingestConfigurations).filter((i) => ours(i.tags)),
    };
  };

  void test('runs end to end in the named account through its role, and tidies up there', async () => {
    const bucket = await h.fixture.createBucket('xacct');
    const id = h.showId('xacct');
    const handle = await h.startShow(
      baseShowSpec(id, {
        account: OTHER_ACCOUNT,
        ingest: { enabled: true },
        composition: {
          channelArn: freshChannelArn({ account: OTHER_ACCOUNT }),
          recording: { bucket },
        },
        individualRecording: { storage: { bucket } },
        policies: { recordingsSettleTimeout: '20s' },
      }),
    );
    const waiting = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');
    assert.equal(locationOf(waiting.resources.stageArn!).account, OTHER_ACCOUNT, 'the stage is in the named account');
    const there = await resourcesIn(OTHER_ACCOUNT, id);
    assert.equal(there.stages.length, 1);
    assert.equal(there.ingestConfigurations.length, 1);
    assert.deepEqual(await resourcesIn(HOME_ACCOUNT, id), { stages: [], compositions: [], ingestConfigurations: [] });

    const { token } = await publishWithFirstToken(h, handle);
    const live = await waitForStatus(handle, 'composition active', compositionActive);
    assert.equal(locationOf(live.composition!.arn).account, OTHER_ACCOUNT);
    // Monitoring lists that account's compositions, with that account's credentials.
    const monitorId = compositionMonitorWorkflowId(`${h.taskQueue}-monitor`, OTHER_ACCOUNT, 'us-east-1');
    const monitor = await h.client.workflow.getHandle(monitorId).describe();
    assert.equal(monitor.status.name, 'RUNNING');

    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    await h.fixture.control.leave({ token });
    const result = await handle.result();
    assert.equal(result.outcome, 'COMPLETED');
    assert.ok(result.recordingsIndex, 'recordings in the account’s bucket were indexed');
    assert.ok((result.recordingsIndex.summary.participantRecordings ?? 0) >= 1);
    const after = await resourcesIn(OTHER_ACCOUNT, id);
    assert.deepEqual(
      { stages: after.stages.length, ingest: after.ingestConfigurations.length },
      { stages: 0, ingest: 0 },
    );
    assert.ok(after.compositions.every((c) => c.state === 'STOPPED'));
  });

  void test('an account the worker has no role for fails the show at once, before any IVS call', async () => {
    const before = await apiCalls(h.fixture);
    const id = h.showId('noacct');
    const handle = await h.startShow(baseShowSpec(id, { account: '444455556666' }));
    await assertShowFailsWith(handle, UNKNOWN_ACCOUNT_FAILURE_TYPE);
    const after = await apiCalls(h.fixture);
    for (const operation of ['CreateStage', 'CreateIngestConfiguration', 'StartComposition'])
      assert.equal(after[operation] ?? 0, before[operation] ?? 0, `${operation} was not called`);
    await assert.rejects(handle.result(), (e: unknown) => {
      const messages: string[] = [];
      for (let c = e as { message?: string; cause?: unknown } | undefined; c; c = c.cause as typeof c)
        messages.push(c.message ?? '');
      assert.match(messages.join(' | '), /account 444455556666 .*SHOWRUNNER_AWS_ACCOUNTS/);
      return true;
    });
    await assertNothingLive(h.fixture);
  });
});
