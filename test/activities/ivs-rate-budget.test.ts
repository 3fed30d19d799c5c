import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GetStageCommand, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { createAwsClients } from '../../activities/aws-clients';
import { documentedIvsRate, IvsRateBudget } from '../../activities/ivs-rate-budget';
import { loadWorkerConfig } from '../../worker/worker-config';
import { createStage, emulatorFixturePerSuite } from '../support/emulator-scenarios';

void describe('IVS rate budget: the pacing decision', () => {
  const at = (now: number, share = 1) => new IvsRateBudget({ share, now: () => now });

  void test('calls of one operation go at once up to its documented rate, then as the window frees a slot', () => {
    const budget = at(1_000);
    assert.deepEqual(
      Array.from({ length: 11 }, () => budget.reserve('CreateStage')),
      [0, 0, 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 1_000, 2_000],
    );
    // Other operations have budgets of their own, at their own documented rates.
    assert.equal(budget.reserve('DeleteStage'), 0);
    const tokens = Array.from({ length: 51 }, () => budget.reserve('CreateParticipantToken'));
    assert.deepEqual([tokens[49], tokens[50]], [0, 1_000]);
    const tags = Array.from({ length: 11 }, () => budget.reserve('TagResource'));
    assert.deepEqual([tags[9], tags[10]], [0, 1_000]);
    assert.deepEqual(
      Array.from({ length: 4 }, () => budget.reserve('ImportPublicKey')),
      [0, 0, 0, 1_000],
    );
  });

  void test('no window of a second ever holds more calls than the rate, however the calls arrive', () => {
    let now = 0;
    const budget = new IvsRateBudget({ share: 1, now: () => now });
    const sent: number[] = [];
    // Calls at irregular moments, some in bursts: each goes out at now + its wait.
    for (const t of [0, 10, 20, 30, 400, 410, 900, 950, 960, 1_300, 1_310, 1_320, 2_500, 2_500, 2_500, 2_500]) {
      now = t;
      sent.push(t + budget.reserve('GetComposition'));
    }
    for (const start of sent)
      assert.ok(sent.filter((x) => x >= start && x < start + 1_000).length <= 5, sent.join(', '));
    assert.deepEqual(
      sent.slice(0, 8),
      [0, 10, 20, 30, 400, 1_000, 1_010, 1_020],
      'the sixth call waits until the first leaves the window',
    );
  });

  void test('a worker whose share is under one call a second spaces its calls evenly', () => {
    const budget = at(0, 0.1);
    assert.deepEqual(
      Array.from({ length: 3 }, () => budget.reserve('StopComposition')),
      [0, 2_000, 4_000],
    );
    // A share of a faster rate: floor(50 × 0.25) = 12 calls in any 960 ms.
    const quarter = at(0, 0.25);
    const tokens = Array.from({ length: 13 }, () => quarter.reserve('CreateParticipantToken'));
    assert.deepEqual([tokens[11], tokens[12]], [0, 960]);
  });

  void test('a quiet operation goes at once again: slots do not pile up in the past', () => {
    let now = 0;
    const budget = new IvsRateBudget({ share: 1, now: () => now });
    for (let i = 0; i < 5; i++) budget.reserve('ListStages');
    now = 5_000;
    assert.deepEqual(
      Array.from({ length: 6 }, () => budget.reserve('ListStages')),
      [0, 0, 0, 0, 0, 1_000],
    );
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
