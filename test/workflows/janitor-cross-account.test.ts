import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { CreateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { locationOf } from '../../contracts/arn';
import { showTags } from '../../contracts/tags';
import { janitorWorkflow, type JanitorInput } from '../../workflows';
import { baseShowSpec, showEmulatorConfig, showHarnessPerSuite, waitForPhase } from '../support/show-scenarios';

const OTHER_ACCOUNT = '111122223333';

void describe('janitor: every account of SHOWRUNNER_AWS_ACCOUNTS', () => {
  const h = showHarnessPerSuite(showEmulatorConfig(), {
    worker: { accounts: { [OTHER_ACCOUNT]: { roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/showrunner-shows` } } },
  });

  const stagesIn = async (account: string) => {
    const inventory = await h.fixture.control.inventory();
    return new Set(inventory.regions.filter((r) => r.accountId === account).flatMap((r) => r.stages.map((s) => s.arn)));
  };
  const runJanitor = (input: JanitorInput) =>
    h.client.workflow.execute(janitorWorkflow, {
      workflowId: `janitor-xacct-${randomUUID()}`,
      taskQueue: h.taskQueue,
      args: [input],
    });

  void test('finds and removes another account’s leftovers through its role, and leaves a running show’s', async () => {
    // A show in the other account, terminated before its tidy-up; and one still running there.
    const dead = await h.startShow(baseShowSpec(h.showId('xdead'), { account: OTHER_ACCOUNT, composition: undefined }));
    const deadStage = (await waitForPhase(dead, 'LIVE')).resources.stageArn!;
    await dead.terminate('simulated crash');
    const alive = await h.startShow(
      baseShowSpec(h.showId('xlive'), { account: OTHER_ACCOUNT, composition: undefined }),
    );
    const aliveStage = (await waitForPhase(alive, 'LIVE')).resources.stageArn!;
    // A leftover whose show run does not exist, made in the other account with that account's credentials.
    const otherIvs = h.workers.aws.ivs({ region: 'us-east-1', account: OTHER_ACCOUNT });
    const { stage } = await otherIvs.send(
      new CreateStageCommand({
        name: 'xacct-orphan',
        tags: showTags({ showId: 'gone', workflowId: `show-gone-${randomUUID()}`, runKey: randomUUID() }),
      }),
    );
    const orphanStage = stage!.arn!;
    for (const arn of [deadStage, aliveStage, orphanStage]) assert.equal(locationOf(arn).account, OTHER_ACCOUNT);

    const first = await runJanitor({ regions: ['us-east-1'], gracePeriodMs: 0, dryRun: false });
    assert.deepEqual(first.failed, []);
    assert.deepEqual(
      first.removed.map((r) => [r.arn, r.account]),
      [[deadStage, OTHER_ACCOUNT]],
    );
    assert.ok(first.notFoundSince[orphanStage], 'the orphan is remembered on its first sighting');
    const second = await runJanitor({
      regions: ['us-east-1'],
      gracePeriodMs: 0,
      dryRun: false,
      notFoundSince: first.notFoundSince,
    });
    assert.deepEqual(
      second.removed.map((r) => [r.arn, r.account]),
      [[orphanStage, OTHER_ACCOUNT]],
    );
    const left = await stagesIn(OTHER_ACCOUNT);
    assert.ok(!left.has(deadStage) && !left.has(orphanStage));
    assert.ok(left.has(aliveStage), 'the running show’s stage stays');
  });
});
