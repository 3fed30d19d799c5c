import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fenceFor, timeoutHoldsHorizon } from '../../activities/create-once';
import {
  attemptTimeoutMs,
  createNeedsMs,
  IVS_ATTEMPT_TIMEOUT_MS,
  IVS_TIMING,
  landingHorizonMs,
  retryingSendWorstMs,
  type IvsTiming,
} from '../../contracts/ivs-timing';

void describe('IVS timing: the attempt outlasts its requests', () => {
  void test('the production figures: 10 s requests, 20 s landing horizon, 55 s attempts', () => {
    assert.equal(IVS_TIMING.requestTimeoutMs, 10_000);
    assert.equal(landingHorizonMs(IVS_TIMING), 20_000);
    assert.equal(retryingSendWorstMs(IVS_TIMING), 43_000);
    assert.equal(IVS_ATTEMPT_TIMEOUT_MS, 55_000);
  });

  void test('for any figures, a retrying send and a fenced create both fit in the derived attempt with the margin', () => {
    const cases: IvsTiming[] = [
      IVS_TIMING,
      { requestTimeoutMs: 1_000, lateApplyMs: 2_000, sdkMaxAttempts: 1, attemptMarginMs: 500 },
      { requestTimeoutMs: 30_000, lateApplyMs: 5_000, sdkMaxAttempts: 5, attemptMarginMs: 5_000 },
    ];
    for (const t of cases) {
      const attempt = attemptTimeoutMs(t);
      assert.ok(retryingSendWorstMs(t) + t.attemptMarginMs <= attempt, JSON.stringify(t));
      // Wait out an earlier attempt's horizon, look once, and still have what a create needs.
      assert.ok(landingHorizonMs(t) + t.requestTimeoutMs + createNeedsMs(t) <= attempt, JSON.stringify(t));
      assert.ok(timeoutHoldsHorizon(attempt, t));
    }
  });
});

void describe('fenceFor: how long a retry waits before it looks', () => {
  const t: IvsTiming = { requestTimeoutMs: 1_000, lateApplyMs: 2_000, sdkMaxAttempts: 1, attemptMarginMs: 500 };
  const long = attemptTimeoutMs(t);
  const short = 2_000; // shorter than createNeedsMs(t): the attempt cannot hold a horizon itself
  const base = { scheduledAt: 50_000, heartbeatDetails: undefined };

  void test('a first attempt never waits', () => {
    assert.equal(fenceFor({ ...base, attempt: 1, startToCloseMs: short }, t), 0);
  });

  void test('the previous attempt’s own word is used as given', () => {
    const details = { attempt: 1, landsBy: 48_000 };
    assert.equal(fenceFor({ ...base, attempt: 2, startToCloseMs: short, heartbeatDetails: details }, t), 48_000);
    assert.equal(fenceFor({ ...base, attempt: 2, startToCloseMs: long, heartbeatDetails: details }, t), 48_000);
  });

  void test('with an attempt long enough to hold its horizon, silence means nothing is in flight', () => {
    assert.equal(fenceFor({ ...base, attempt: 3, startToCloseMs: long }, t), 0);
    const older = { attempt: 1, landsBy: 47_000 };
    assert.equal(fenceFor({ ...base, attempt: 3, startToCloseMs: long, heartbeatDetails: older }, t), 47_000);
  });

  void test('with a short attempt, silence from the previous one means it may have sent at its very end', () => {
    assert.equal(fenceFor({ ...base, attempt: 2, startToCloseMs: short }, t), 50_000 + landingHorizonMs(t));
    const older = { attempt: 1, landsBy: 60_000 };
    assert.equal(fenceFor({ ...base, attempt: 3, startToCloseMs: short, heartbeatDetails: older }, t), 60_000);
    assert.equal(fenceFor({ ...base, attempt: 2, startToCloseMs: short, heartbeatDetails: { junk: true } }, t), 53_000);
  });
});
