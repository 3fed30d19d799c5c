import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GetStageCommand, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { createAwsClients } from '../../activities/aws-clients';
import { documentedIvsRate, IvsRateBudget } from '../../activities/ivs-rate-budget';
import { loadWorkerConfig } from '../../worker/worker-config';
import { createStage, emulatorFixturePerSuite } from '../support/emulator-scenarios';

void describe('IVS rate budget: the pacing decision', () => {
  const at = (now: number, share = 1) => new IvsRateBudget({ share, now: () => now });

  void test('calls of one operation get slots spaced at its documented rate, first come first served', () => {
    const budget = at(1_000);
    assert.deepEqual(
      Array.from({ length: 6 }, () => budget.reserve('CreateStage')),
      [0, 200, 400, 600, 800, 1_000],
    );
    // Other operations have budgets of their own, at their own documented rates.
    assert.equal(budget.reserve('DeleteStage'), 0);
    assert.deepEqual(
      Array.from({ length: 3 }, () => budget.reserve('CreateParticipantToken')),
      [0, 20, 40],
    );
    assert.deepEqual(
      Array.from({ length: 3 }, () => budget.reserve('TagResource')),
      [0, 100, 200],
    );
    assert.deepEqual(
      Array.from({ length: 2 }, () => Math.round(budget.reserve('ImportPublicKey'))),
      [0, 333],
    );
  });

  void test('a worker with a share of the fleet spaces its calls by its share', () => {
    const budget = at(0, 0.25);
    assert.deepEqual(
      Array.from({ length: 3 }, () => budget.reserve('StopComposition')),
      [0, 800, 1_600],
    );
  });

  void test('a quiet operation goes at once again: slots do not pile up in the past', () => {
    let now = 0;
    const budget = new IvsRateBudget({ share: 1, now: () => now });
    budget.reserve('ListStages');
    now = 5_000;
    assert.equal(budget.reserve('ListStages'), 0);
    assert.equal(budget.reserve('ListStages'), 200);
  });

  void test('the rates are the documented ones and a share outside (0, 1] is refused', () => {
    assert.equal(documentedIvsRate('CreateParticipantToken'), 50);
    assert.equal(documentedIvsRate('ListTagsForResource'), 10);
    assert.equal(documentedIvsRate('DeletePublicKey'), 3);
    assert.equal(documentedIvsRate('StartComposition'), 5);
    assert.throws(() => at(0, 0), /share must be between 0.01 and 1/);
    assert.throws(() => at(0, 1.5), /share must be between 0.01 and 1/);
  });

  void test('SHOWRUNNER_IVS_RATE_SHARE is read, defaulted and checked with the variable named', () => {
    assert.equal(loadWorkerConfig({}).ivsRateShare, 1);
    assert.equal(loadWorkerConfig({ SHOWRUNNER_IVS_RATE_SHARE: '0.5' }).ivsRateShare, 0.5);
    assert.throws(
      () => loadWorkerConfig({ SHOWRUNNER_IVS_RATE_SHARE: '2' }),
      /SHOWRUNNER_IVS_RATE_SHARE.*must be at most 1/,
    );
  });
});

void describe('IVS rate budget: a burst of calls in one account and region', () => {
  // The emulator enforces the documented rates (a 5-request bucket refilled at 5 per second for stage operations).
  const fixture = emulatorFixturePerSuite({ rateLimits: true });

  void test('15 shows asking at once are paced, not throttled, across both IVS clients of the scope', async () => {
    const stageArn = await createStage(fixture.ivs, 'paced');
    // Let the bucket the set-up used fill again, so only the burst below counts.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    fixture.emulator.metrics.reset();
    const aws = createAwsClients({
      defaultRegion: 'us-east-1',
      ivsEndpoint: fixture.emulator.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const scope = { region: 'us-east-1' };
      await Promise.all([
        ...Array.from({ length: 8 }, () => aws.ivs(scope).send(new GetStageCommand({ arn: stageArn }))),
        ...Array.from({ length: 7 }, () => aws.ivsSingleAttempt(scope).send(new GetStageCommand({ arn: stageArn }))),
        ...Array.from({ length: 5 }, () => aws.ivs(scope).send(new ListStagesCommand({}))),
      ]);
    } finally {
      aws.destroy();
    }
    const calls = Object.values(fixture.emulator.metrics.snapshot()).flatMap((ops) => Object.entries(ops));
    const getStage = calls.find(([op]) => op === 'GetStage')?.[1];
    assert.equal(getStage?.calls, 15, 'each GetStage went out once: none throttled and retried');
    const throttled = calls.flatMap(([op, m]) => Object.entries(m.errors).map(([type, n]) => `${op} ${type} ${n}`));
    assert.deepEqual(throttled, [], 'no call was refused');
  });
});
