import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GetStageCommand, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { createAwsClients } from '../../activities/aws-clients';
import { documentedIvsRate, IvsRateBudget } from '../../activities/ivs-rate-budget';
import { loadWorkerConfig } from '../../worker/worker-config';
import { createStage, emulatorFixturePerSuite } from '../support/emulator-scenarios';

/**
 * A clock for the pacing decisions: `sleep` resolves when the clock reaches its end, and `settle` moves the clock from
 * timer to timer (after every pending promise has run) until none is left, so a test of seconds runs in milliseconds.
 */
function simulatedClock() {
  let now = 0;
  const timers: { at: number; fire: () => void }[] = [];
  const clock = {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((fire) => timers.push({ at: now + Math.max(0, ms), fire })),
    async settle(): Promise<void> {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (timers.length === 0) return;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        now = Math.max(now, next.at);
        next.fire();
      }
    },
  };
  return clock;
}

interface SimulatedCall {
  operation: string;
  /** When the show asks to make the call. */
  askedAt?: number;
  /** How long after its send the answer comes back. */
  takesMs?: number;
}

/** When each call was sent and answered, paced by a budget on the simulated clock. */
async function simulate(calls: SimulatedCall[], share = 1): Promise<{ sentAt: number[]; answeredAt: number[] }> {
  const clock = simulatedClock();
  const budget = new IvsRateBudget({ share, now: clock.now, sleep: clock.sleep });
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  // Asked in the listed order: calls asked at the same moment take their slots in that order.
  let asked = Promise.resolve();
  calls.forEach(({ operation, askedAt = 0, takesMs = 0 }, i) => {
    asked = asked.then(async () => {
      await clock.sleep(askedAt - clock.now());
      const release = budget.acquire(operation);
      void release.then(async (done) => {
        sentAt[i] = clock.now();
        await clock.sleep(takesMs);
        answeredAt[i] = clock.now();
        done();
      });
    });
  });
  await clock.settle();
  return { sentAt, answeredAt };
}

const many = (n: number, call: SimulatedCall): SimulatedCall[] => Array.from({ length: n }, () => ({ ...call }));

void describe('IVS rate budget: the pacing decision', () => {
  void test('calls of one operation go at once up to its documented rate, then as the window frees a slot', async () => {
    const { sentAt } = await simulate([
      ...many(11, { operation: 'CreateStage' }),
      { operation: 'DeleteStage' },
      ...many(51, { operation: 'CreateParticipantToken' }),
      ...many(11, { operation: 'TagResource' }),
      ...many(4, { operation: 'ImportPublicKey' }),
    ]);
    assert.deepEqual(sentAt.slice(0, 11), [0, 0, 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 1_000, 2_000]);
    // Other operations have budgets of their own, at their own documented rates.
    assert.equal(sentAt[11], 0);
    assert.deepEqual([sentAt[12 + 49], sentAt[12 + 50]], [0, 1_000]);
    assert.deepEqual([sentAt[63 + 9], sentAt[63 + 10]], [0, 1_000]);
    assert.deepEqual(sentAt.slice(74), [0, 0, 0, 1_000]);
  });

  void test('the window counts a call until its answer: IVS may count it as late as that', async () => {
    // Five calls whose answers take 300 ms: IVS may have counted them at 299 ms, so the sixth waits until 1,300 ms,
    // not 1,000 (the send-time window let a CI run's emulator throttle a call sent exactly a second after the first).
    const { sentAt, answeredAt } = await simulate(many(7, { operation: 'GetStage', takesMs: 300 }));
    assert.deepEqual(sentAt, [0, 0, 0, 0, 0, 1_300, 1_300]);
    assert.deepEqual(answeredAt, [300, 300, 300, 300, 300, 1_600, 1_600]);
  });

  void test('no window of a second, on any clock between send and answer, holds more calls than the rate', async () => {
    // Irregular moments, some in bursts, and answers that take from 0 to 700 ms.
    const asked = [0, 10, 20, 30, 400, 410, 900, 950, 960, 1_300, 1_310, 1_320, 2_500, 2_500, 2_500, 2_500, 2_510];
    const calls = asked.map((askedAt, i) => ({ operation: 'GetComposition', askedAt, takesMs: (i * 137) % 701 }));
    const { sentAt, answeredAt } = await simulate(calls);
    // Slots go in order; call k+5 is sent at least a second after call k's answer, so wherever between its send and
    // answer IVS counts each call, no second holds six.
    for (let k = 0; k + 5 < sentAt.length; k++) {
      assert.ok(
        sentAt[k + 5]! >= answeredAt[k]! + 1_000,
        `call ${k + 5} at ${sentAt[k + 5]}, call ${k} answered at ${answeredAt[k]}`,
      );
      assert.ok(sentAt[k + 1]! >= sentAt[k]!);
    }
    // No call waits longer than the rule asks: the first five go when asked.
    assert.deepEqual(sentAt.slice(0, 5), asked.slice(0, 5));
  });

  void test('a worker whose share is under one call a second spaces its calls evenly', async () => {
    assert.deepEqual((await simulate(many(3, { operation: 'StopComposition' }), 0.1)).sentAt, [0, 2_000, 4_000]);
    // A share of a faster rate: floor(50 × 0.25) = 12 calls in any 960 ms.
    const { sentAt } = await simulate(many(13, { operation: 'CreateParticipantToken' }), 0.25);
    assert.deepEqual([sentAt[11], sentAt[12]], [0, 960]);
  });

  void test('a quiet operation goes at once again: slots do not pile up in the past', async () => {
    const { sentAt } = await simulate([
      ...many(5, { operation: 'ListStages' }),
      ...many(6, { operation: 'ListStages', askedAt: 5_000 }),
    ]);
    assert.deepEqual(sentAt.slice(5), [5_000, 5_000, 5_000, 5_000, 5_000, 6_000]);
  });

  void test('a slot is released once, however often its release is called', async () => {
    const clock = simulatedClock();
    const budget = new IvsRateBudget({ share: 1, now: clock.now, sleep: clock.sleep });
    const releases = await Promise.all(Array.from({ length: 5 }, () => budget.acquire('GetStage')));
    let sixthAt: number | undefined;
    void budget.acquire('GetStage').then(() => (sixthAt = clock.now()));
    await clock.settle();
    assert.equal(sixthAt, undefined, 'the sixth call waits while the first is in flight');
    releases[0]!();
    const releasedAt = clock.now();
    // A second release half a second later does not move the slot's end.
    void clock.sleep(500).then(() => releases[0]!());
    await clock.settle();
    assert.equal(sixthAt, releasedAt + 1_000);
  });

  void test('the rates are the documented ones and a share outside (0, 1] is refused', () => {
    assert.equal(documentedIvsRate('CreateParticipantToken'), 50);
    assert.equal(documentedIvsRate('ListTagsForResource'), 10);
    assert.equal(documentedIvsRate('DeletePublicKey'), 3);
    assert.equal(documentedIvsRate('StartComposition'), 5);
    assert.throws(() => new IvsRateBudget({ share: 0 }), /share must be between 0.01 and 1/);
    assert.throws(() => new IvsRateBudget({ share: 1.5 }), /share must be between 0.01 and 1/);
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
