import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, test } from 'node:test';
import {
  CreateParticipantTokenCommand,
  CreateStageCommand,
  GetStageCommand,
  ListStagesCommand,
  type IVSRealTimeClient,
} from '@aws-sdk/client-ivs-realtime';
import { emulatorFixturePerSuite } from '../support/emulator-scenarios';

/**
 * The service's request rates (token buckets per account, region and operation) and the injected faults of
 * the control API, observed through the real SDK: what a client sees, and what the emulator counted.
 */
type SdkError = Error & { $metadata?: { httpStatusCode?: number } };

async function outcomes(calls: Promise<unknown>[]): Promise<{ ok: number; errors: SdkError[] }> {
  const settled = await Promise.allSettled(calls);
  return {
    ok: settled.filter((s) => s.status === 'fulfilled').length,
    errors: settled.filter((s) => s.status === 'rejected').map((s) => s.reason as SdkError),
  };
}

async function rejectsWith(promise: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(promise, (e: SdkError) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

void describe('request rate limits', () => {
  const fx = emulatorFixturePerSuite({ rateLimits: true });

  void test('a burst of 20 GetStage without retries gets 429 TooManyRequestsException; a slow sequence succeeds', async () => {
    const noRetry = fx.client({ accessKeyId: '100000000001', maxAttempts: 1 });
    const withRetries = fx.client({ accessKeyId: '100000000001' });
    const arn = (await noRetry.send(new CreateStageCommand({ name: 'throttled' }))).stage!.arn;

    const burst = await outcomes(Array.from({ length: 20 }, () => noRetry.send(new GetStageCommand({ arn }))));
    assert.ok(burst.ok >= 5, `the bucket holds one second (5 calls) of GetStage, ${burst.ok} succeeded`);
    assert.ok(burst.errors.length > 0, 'some of the burst is throttled');
    for (const e of burst.errors) {
      assert.equal(e.name, 'TooManyRequestsException', e.message);
      assert.equal(e.$metadata?.httpStatusCode, 429);
    }
    // Buckets are per operation: another operation is not throttled by the GetStage burst.
    await noRetry.send(new ListStagesCommand({}));

    const metrics = await fx.control.metrics();
    const getStage = metrics.api['100000000001/us-east-1']!.GetStage!;
    assert.equal(getStage.calls, 20);
    assert.equal(getStage.errors.TooManyRequestsException, burst.errors.length);

    // Under the rate, with the SDK's default retries, every call succeeds.
    for (let i = 0; i < 6; i++) {
      assert.equal((await withRetries.send(new GetStageCommand({ arn }))).stage!.arn, arn);
      await sleep(250);
    }
  });

  void test('CreateParticipantToken allows 50 calls per second where GetStage allows 5', async () => {
    const ivs = fx.client({ accessKeyId: '100000000002', maxAttempts: 1 });
    const stageArn = (await ivs.send(new CreateStageCommand({ name: 'tokens' }))).stage!.arn;
    // Bursts well inside one rate and well over the other, so a slow machine cannot blur the difference.
    const tokens = await outcomes(
      Array.from({ length: 40 }, () => ivs.send(new CreateParticipantTokenCommand({ stageArn }))),
    );
    assert.equal(tokens.ok, 40, tokens.errors.map((e) => e.name).join(', '));
    const gets = await outcomes(Array.from({ length: 40 }, () => ivs.send(new GetStageCommand({ arn: stageArn }))));
    assert.ok(gets.errors.length > 0, 'the same burst of GetStage is throttled');
    assert.ok(gets.errors.every((e) => e.name === 'TooManyRequestsException'));
  });

  void test('rates are per account: one account throttled does not throttle another', async () => {
    const busy = fx.client({ accessKeyId: '100000000003', maxAttempts: 1 });
    const quiet = fx.client({ accessKeyId: '100000000004', maxAttempts: 1 });
    const burst = await outcomes(Array.from({ length: 30 }, () => busy.send(new ListStagesCommand({}))));
    assert.ok(burst.errors.length > 0);
    const other = await outcomes(Array.from({ length: 5 }, () => quiet.send(new ListStagesCommand({}))));
    assert.equal(other.ok, 5);
  });
});

void describe('injected faults', () => {
  const fx = emulatorFixturePerSuite();
  let ivs: IVSRealTimeClient;
  let stageArn: string;

  before(async () => {
    ivs = fx.client({ maxAttempts: 1 });
    stageArn = (await ivs.send(new CreateStageCommand({ name: 'faulty' }))).stage!.arn!;
  });

  void test('errorType ConflictException with count 2: two calls fail with 409, the third succeeds', async () => {
    const rule = await fx.control.addFault({ operation: 'GetStage', errorType: 'ConflictException', count: 2 });
    assert.equal(rule.remaining, 2);
    await rejectsWith(ivs.send(new GetStageCommand({ arn: stageArn })), 'ConflictException', 409);
    await rejectsWith(ivs.send(new GetStageCommand({ arn: stageArn })), 'ConflictException', 409);
    assert.equal((await ivs.send(new GetStageCommand({ arn: stageArn }))).stage!.arn, stageArn);
    assert.deepEqual(await fx.control.listFaults(), [], 'a used-up rule is gone');
  });

  void test('probability 0 never fires', async () => {
    const rule = await fx.control.addFault({ operation: '*', errorType: 'InternalServerException', probability: 0 });
    for (let i = 0; i < 10; i++) await ivs.send(new GetStageCommand({ arn: stageArn }));
    const [listed] = await fx.control.listFaults();
    assert.equal(listed!.id, rule.id);
    assert.equal(listed!.fired, 0);
    await fx.control.removeFault(rule.id);
  });

  void test('latency 300 ms delays the call and then answers', async () => {
    await fx.control.addFault({ operation: 'GetStage', mode: 'latency', latencyMs: 300, count: 1 });
    const started = performance.now();
    assert.equal((await ivs.send(new GetStageCommand({ arn: stageArn }))).stage!.arn, stageArn);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 250, `the call took ${Math.round(elapsed)} ms`);
  });

  void test('lost-response applies the change and drops the connection', async () => {
    await fx.control.addFault({ operation: 'CreateStage', mode: 'lost-response', count: 1 });
    await assert.rejects(ivs.send(new CreateStageCommand({ name: 'lost' })));
    const stages = async (name: string) =>
      (await fx.control.inventory()).regions.flatMap((r) => r.stages).filter((s) => s.name === name);
    assert.equal((await stages('lost')).length, 1, 'the caller got an error, yet the stage exists');

    // Which is why retrying a call without an idempotency token duplicates: the SDK retries a reset connection.
    await fx.control.addFault({ operation: 'CreateStage', mode: 'lost-response', count: 1 });
    const retrying = fx.client({ maxAttempts: 3 });
    const { stage } = await retrying.send(new CreateStageCommand({ name: 'lost-retried' }));
    const duplicates = await stages('lost-retried');
    assert.equal(duplicates.length, 2);
    assert.ok(duplicates.some((s) => s.arn === stage!.arn));
  });

  void test('a rule hits only its operation, account and region; removeFault and clearFaults end it', async () => {
    const rule = await fx.control.addFault({ operation: 'ListStages', errorType: 'InternalServerException' });
    await rejectsWith(ivs.send(new ListStagesCommand({})), 'InternalServerException', 500);
    await ivs.send(new GetStageCommand({ arn: stageArn }));
    await fx.control.removeFault(rule.id);
    await ivs.send(new ListStagesCommand({}));

    await fx.control.addFault({
      operation: 'ListStages',
      accountId: '777777777777',
      errorType: 'AccessDeniedException',
    });
    await fx.control.addFault({ operation: 'ListStages', region: 'eu-west-1', errorType: 'AccessDeniedException' });
    await ivs.send(new ListStagesCommand({}));
    await rejectsWith(
      fx.client({ accessKeyId: '777777777777', maxAttempts: 1 }).send(new ListStagesCommand({})),
      'AccessDeniedException',
      403,
    );
    await rejectsWith(
      fx.client({ region: 'eu-west-1', maxAttempts: 1 }).send(new ListStagesCommand({})),
      'AccessDeniedException',
      403,
    );
    assert.equal((await fx.control.listFaults()).length, 2);
    await fx.control.clearFaults();
    assert.deepEqual(await fx.control.listFaults(), []);
    await fx.client({ accessKeyId: '777777777777', maxAttempts: 1 }).send(new ListStagesCommand({}));
    await assert.rejects(fx.control.removeFault(rule.id), { status: 404 });
  });

  void test('an unknown error type gets a 500 unless a status is given; the SDK still names it', async () => {
    await fx.control.addFault({ operation: 'GetStage', errorType: 'SomethingOdd', count: 1 });
    await rejectsWith(ivs.send(new GetStageCommand({ arn: stageArn })), 'SomethingOdd', 500);
    await fx.control.addFault({ operation: 'GetStage', errorType: 'ServiceUnavailableException', count: 1 });
    await rejectsWith(ivs.send(new GetStageCommand({ arn: stageArn })), 'ServiceUnavailableException', 503);
    await fx.control.addFault({ operation: 'GetStage', errorType: 'Teapot', statusCode: 418, count: 1 });
    await rejectsWith(ivs.send(new GetStageCommand({ arn: stageArn })), 'Teapot', 418);
  });

  void test('/metrics counts calls and errors per account, region and operation', async () => {
    const counted = fx.client({ accessKeyId: '333333333333', maxAttempts: 1 });
    const arn = (await counted.send(new CreateStageCommand({ name: 'counted' }))).stage!.arn!;
    await counted.send(new GetStageCommand({ arn }));
    await counted.send(new GetStageCommand({ arn }));
    await rejectsWith(
      counted.send(new GetStageCommand({ arn: arn.replace(/[a-zA-Z0-9]{12}$/, 'AAAAAAAAAAAA') })),
      'ResourceNotFoundException',
      404,
    );
    const firedBefore = (await fx.control.metrics()).faultsFired;
    await fx.control.addFault({
      operation: 'CreateStage',
      accountId: '333333333333',
      errorType: 'ConflictException',
      count: 1,
    });
    await rejectsWith(counted.send(new CreateStageCommand({ name: 'refused' })), 'ConflictException', 409);
    await rejectsWith(counted.send(new CreateStageCommand({ name: 'bad name' })), 'ValidationException', 400);

    const metrics = await fx.control.metrics();
    const scope = metrics.api['333333333333/us-east-1']!;
    assert.equal(scope.GetStage!.calls, 3);
    assert.deepEqual(scope.GetStage!.errors, { ResourceNotFoundException: 1 });
    assert.equal(scope.CreateStage!.calls, 3);
    assert.deepEqual(scope.CreateStage!.errors, { ConflictException: 1, ValidationException: 1 });
    assert.equal(scope.ListStages, undefined, 'operations never called are not listed');
    assert.equal(metrics.faultsFired, firedBefore + 1);
  });
});
