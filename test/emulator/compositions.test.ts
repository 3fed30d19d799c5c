import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  type Composition,
  type CompositionState,
  CreateEncoderConfigurationCommand,
  DeleteEncoderConfigurationCommand,
  DeleteStageCommand,
  DeleteStorageConfigurationCommand,
  type DestinationConfiguration,
  GetCompositionCommand,
  StartCompositionCommand,
  type StartCompositionCommandInput,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import type { IvsEvent } from '../../emulator/src';
import { rejectsWithSdkError } from '../support/emulator-assertions';
import type { EmulatorFixture } from '../support/emulator-fixture';
import {
  createStage,
  EMULATOR_TEST_SCALE,
  EMULATOR_TEST_TIMINGS,
  emulatorFixturePerSuite,
  freshChannelArn as channelArn,
  publishingParticipant,
  storageWithBucket,
} from '../support/emulator-scenarios';
import { realMs, sleep, waitFor } from '../support/wait-for';

const SCALE = EMULATOR_TEST_SCALE;
const TIMINGS = {
  ...EMULATOR_TEST_TIMINGS,
  // Long enough (0.4 s real) that STOPPING is reliably observable between StopComposition and STOPPED.
  compositionStopMs: 40_000,
};
/** How late a timer may fire on a loaded two-core machine, in emulated ms (0.5 s real). */
const TIMER_SLACK_MS = 50_000;
/**
 * Node may fire a timer up to a millisecond early (it rounds the delay), and at the test's clock scale one real
 * millisecond is SCALE emulated ones: a CI run measured an idle stop 100 ms (emulated) short of the minute.
 */
const TIMER_EARLY_MS = 2 * EMULATOR_TEST_SCALE;

/** Helpers bound to one emulator fixture. */
function compositionKit(fx: () => EmulatorFixture) {
  const kit = {
    stage: (name: string): Promise<string> => createStage(fx().ivs, name),
    /** Joins a participant so the idle rules leave the stage's compositions alone; returns its token. */
    async occupy(stageArn: string): Promise<string> {
      return (await publishingParticipant(fx(), stageArn)).token;
    },
    async start(input: StartCompositionCommandInput): Promise<Composition> {
      const { composition } = await fx().ivs.send(new StartCompositionCommand(input));
      return composition!;
    },
    async get(arn: string): Promise<Composition> {
      const { composition } = await fx().ivs.send(new GetCompositionCommand({ arn }));
      return composition!;
    },
    async waitForState(arn: string, state: CompositionState, timeoutMs = 10_000): Promise<Composition> {
      return waitFor(
        async () => {
          const c = await kit.get(arn);
          return c.state === state ? c : undefined;
        },
        timeoutMs,
        { description: `composition ${arn} ${state}` },
      );
    },
    async waitForDestinations(arn: string, predicate: (c: Composition) => boolean, timeoutMs = 10_000) {
      return waitFor(
        async () => {
          const c = await kit.get(arn);
          return predicate(c) ? c : undefined;
        },
        timeoutMs,
        { description: `destinations of ${arn}` },
      );
    },
    /** Stops a composition if it is still live; tests leave nothing running for the next one. */
    async stopQuietly(arn: string): Promise<void> {
      await fx()
        .ivs.send(new StopCompositionCommand({ arn }))
        .catch(() => undefined);
    },
    async events(compositionArn: string): Promise<IvsEvent[]> {
      return (await fx().control.recentEvents()).filter(
        (e) => e['detail-type'] === 'IVS Composition State Change' && e.resources[0] === compositionArn,
      );
    },
    async now(): Promise<number> {
      return (await fx().control.clock()).epochMs;
    },
  };
  return kit;
}

const destinationOf = (c: Composition, kind: 'channel' | 's3') => {
  const d = c.destinations!.find((x) => !!x.configuration?.[kind]);
  assert.ok(d, `composition has a ${kind} destination`);
  return d;
};

void describe('compositions', () => {
  const fx = emulatorFixturePerSuite({ clockScale: SCALE, timings: TIMINGS });
  const kit = compositionKit(() => fx);
  let storageArn = '';
  let encoderArn = '';

  /** s3 destination with 10 s segments, so recordings running at clock scale 100 write only ~20 objects a second. */
  const s3Destination = (storage = storageArn, encoder = encoderArn): DestinationConfiguration => ({
    s3: {
      storageConfigurationArn: storage,
      encoderConfigurationArns: [encoder],
      recordingConfiguration: { hlsConfiguration: { targetSegmentDurationSeconds: 10 } },
    },
  });

  before(async () => {
    storageArn = (await storageWithBucket(fx, 'compositions', 'main')).arn;
    const { encoderConfiguration } = await fx.ivs.send(
      new CreateEncoderConfigurationCommand({ name: 'main', video: { width: 1280, height: 720, framerate: 30 } }),
    );
    encoderArn = encoderConfiguration!.arn!;
  });

  void test('StartComposition: STARTING → ACTIVE; StopComposition: STOPPING → STOPPED; purged afterwards', async () => {
    const stageArn = await kit.stage('lifecycle');
    const token = await kit.occupy(stageArn);
    const started = await kit.start({
      stageArn,
      destinations: [{ channel: { channelArn: channelArn(), encoderConfigurationArn: encoderArn } }, s3Destination()],
      tags: { show: 'lifecycle' },
    });
    assert.equal(started.state, 'STARTING');
    assert.match(started.arn!, /^arn:aws:ivs:us-east-1:123456789012:composition\/[a-zA-Z0-9]{12}$/);
    assert.equal(started.stageArn, stageArn);
    assert.equal(started.destinations!.length, 2);
    for (const d of started.destinations!) assert.equal(d.state, 'STARTING');
    assert.ok(started.layout?.grid, 'the grid layout is the default');

    const active = await kit.waitForDestinations(
      started.arn!,
      (c) => c.state === 'ACTIVE' && c.destinations!.every((d) => d.state === 'ACTIVE'),
    );
    for (const d of active.destinations!) assert.ok(d.startTime instanceof Date);
    const s3 = destinationOf(active, 's3');
    const stageId = stageArn.slice(stageArn.lastIndexOf('/') + 1);
    const compositionId = started.arn!.slice(started.arn!.lastIndexOf('/') + 1);
    assert.equal(s3.detail?.s3?.recordingPrefix, `${stageId}/${compositionId}/${s3.id}/composite`);
    assert.equal(destinationOf(active, 'channel').detail, undefined, 'only s3 destinations have detail');
    assert.equal(active.endTime, undefined);

    await fx.ivs.send(new StopCompositionCommand({ arn: started.arn! }));
    const stopping = await kit.get(started.arn!);
    assert.equal(stopping.state, 'STOPPING');
    for (const d of stopping.destinations!) assert.equal(d.state, 'STOPPING');
    const stopped = await kit.waitForState(started.arn!, 'STOPPED');
    assert.ok(stopped.endTime instanceof Date);
    assert.ok(stopped.endTime >= stopped.startTime!);
    for (const d of stopped.destinations!) {
      assert.equal(d.state, 'STOPPED');
      assert.ok(d.endTime instanceof Date);
    }
    // Stopping again is harmless.
    await fx.ivs.send(new StopCompositionCommand({ arn: started.arn! }));

    // Purged 5 emulated minutes (3 s real) after it stopped.
    const stoppedAt = stopped.endTime.getTime();
    await waitFor(
      async () => {
        await rejectsWithSdkError(kit.get(started.arn!), 'ResourceNotFoundException', 404);
        return true;
      },
      20_000,
      { intervalMs: 100, description: 'composition purged' },
    );
    assert.ok((await kit.now()) >= stoppedAt + TIMINGS.compositionPurgeMs, 'not purged before compositionPurgeMs');
    await fx.control.leave({ token });
  });

  void test('idempotencyToken: the same request returns the same composition; other parameters conflict', async () => {
    const stageArn = await kit.stage('idempotency');
    const token = await kit.occupy(stageArn);
    const request: StartCompositionCommandInput = {
      stageArn,
      idempotencyToken: `retry-${randomBytes(4).toString('hex')}`,
      destinations: [{ channel: { channelArn: channelArn() } }],
    };
    const first = await kit.start(request);
    const retry = await kit.start(request);
    assert.equal(retry.arn, first.arn);
    const conflict = await rejectsWithSdkError(
      kit.start({ ...request, layout: { pip: {} } }),
      'ConflictException',
      409,
    );
    assert.match(conflict.message, /idempotencyToken/);
    await kit.stopQuietly(first.arn!);
    await fx.control.leave({ token });
  });

  void test('a RECONNECTING destination that recovers in time stays in service', async () => {
    // A 1.2 s (real) window here, so a stall between the two control calls cannot fail the destination first.
    const windowMs = 120_000;
    await fx.control.configure({ timings: { destinationReconnectWindowMs: windowMs } });
    try {
      const stageArn = await kit.stage('reconnect');
      const token = await kit.occupy(stageArn);
      const c = await kit.start({
        stageArn,
        destinations: [{ channel: { channelArn: channelArn() } }, s3Destination()],
      });
      await kit.waitForDestinations(c.arn!, (x) => x.destinations!.every((d) => d.state === 'ACTIVE'));

      const brokenAt = await kit.now();
      await fx.control.setCompositionState({
        compositionArn: c.arn!,
        destinationType: 'channel',
        state: 'RECONNECTING',
      });
      const reconnecting = await kit.get(c.arn!);
      assert.equal(destinationOf(reconnecting, 'channel').state, 'RECONNECTING');
      assert.equal(reconnecting.state, 'ACTIVE');

      await fx.control.setCompositionState({ compositionArn: c.arn!, destinationType: 'channel', state: 'ACTIVE' });
      // Outlast the reconnect window: the cancelled timer must not fail the recovered destination.
      await waitFor(async () => (await kit.now()) > brokenAt + windowMs + TIMER_SLACK_MS, 15_000);
      const recovered = await kit.get(c.arn!);
      assert.equal(recovered.state, 'ACTIVE');
      for (const d of recovered.destinations!) assert.equal(d.state, 'ACTIVE');
      const names = (await kit.events(c.arn!)).map((e) => e.detail.event_name);
      assert.ok(names.includes('Destination Reconnecting'));
      assert.ok(!names.includes('Destination Failure'), 'no failure reported');
      await kit.stopQuietly(c.arn!);
      await fx.control.leave({ token });
    } finally {
      await fx.control.configure({ timings: { destinationReconnectWindowMs: TIMINGS.destinationReconnectWindowMs } });
    }
  });

  void test('RECONNECTING beyond the window fails that destination only; both failed fails the composition', async () => {
    const stageArn = await kit.stage('failures');
    const token = await kit.occupy(stageArn);
    const c = await kit.start({ stageArn, destinations: [{ channel: { channelArn: channelArn() } }, s3Destination()] });
    await kit.waitForDestinations(c.arn!, (x) => x.destinations!.every((d) => d.state === 'ACTIVE'));

    const brokenAt = await kit.now();
    await fx.control.setCompositionState({ compositionArn: c.arn!, destinationType: 'channel', state: 'RECONNECTING' });
    const oneFailed = await kit.waitForDestinations(c.arn!, (x) => destinationOf(x, 'channel').state === 'FAILED');
    assert.equal(destinationOf(oneFailed, 's3').state, 'ACTIVE');
    assert.equal(oneFailed.state, 'ACTIVE', 'the composition lives on while one destination carries media');
    const failedAt = destinationOf(oneFailed, 'channel').endTime!.getTime();
    assert.ok(failedAt >= brokenAt + TIMINGS.destinationReconnectWindowMs, 'failed only after the reconnect window');

    await fx.control.setCompositionState({ compositionArn: c.arn!, destinationType: 's3', state: 'FAILED' });
    const failed = await kit.get(c.arn!);
    assert.equal(failed.state, 'FAILED');
    assert.ok(failed.endTime instanceof Date);
    for (const d of failed.destinations!) assert.equal(d.state, 'FAILED');
    const names = (await kit.events(c.arn!)).map((e) => e.detail.event_name);
    assert.deepEqual(names.slice(-2), ['Destination Failure', 'Session Failure']);
    await fx.control.leave({ token });
  });

  void test('idle rule: a composition on an empty stage stops about a minute after it started', async () => {
    const stageArn = await kit.stage('empty');
    const c = await kit.start({ stageArn, destinations: [{ channel: { channelArn: channelArn() } }] });
    await kit.waitForState(c.arn!, 'ACTIVE');
    const stopped = await kit.waitForState(c.arn!, 'STOPPED', 15_000);
    const lived = stopped.endTime!.getTime() - stopped.startTime!.getTime();
    const expected = TIMINGS.idleStopWithoutParticipantsMs + TIMINGS.compositionStopMs;
    assert.ok(
      lived >= expected - TIMER_EARLY_MS && lived <= expected + TIMER_SLACK_MS,
      `lived ${lived} ms, expected ~${expected}`,
    );
  });

  void test('idle rule: a composition stops about a minute after the last participant left', async () => {
    const stageArn = await kit.stage('emptied');
    const token = await kit.occupy(stageArn);
    const c = await kit.start({ stageArn, destinations: [{ channel: { channelArn: channelArn() } }] });
    await kit.waitForState(c.arn!, 'ACTIVE');
    // Past the empty-stage window: only the last-left rule can stop it now.
    await sleep(realMs(TIMINGS.idleStopWithoutParticipantsMs, SCALE) * 1.2);
    assert.equal((await kit.get(c.arn!)).state, 'ACTIVE');

    const leftAt = await kit.now();
    await fx.control.leave({ token });
    const stopped = await kit.waitForState(c.arn!, 'STOPPED', 15_000);
    const after = stopped.endTime!.getTime() - leftAt;
    const expected = TIMINGS.idleStopAfterLastLeftMs + TIMINGS.compositionStopMs;
    assert.ok(
      after >= expected - TIMER_EARLY_MS && after <= expected + TIMER_SLACK_MS,
      `stopped ${after} ms after, expected ~${expected}`,
    );
  });

  void test('idle rule: a participant (re)joining before the minute is up cancels the stop', async () => {
    // Proving that a stop does NOT happen races real time, so give this test idle windows of 1.5 s real: a loaded
    // machine stalling between two calls must not end the composition before the rejoin lands.
    const windowMs = 150_000;
    await fx.control.configure({
      timings: { idleStopWithoutParticipantsMs: windowMs, idleStopAfterLastLeftMs: windowMs },
    });
    try {
      const stageArn = await kit.stage('rejoin');
      const c = await kit.start({ stageArn, destinations: [{ channel: { channelArn: channelArn() } }] });
      await kit.waitForState(c.arn!, 'ACTIVE');
      // Joining an empty stage cancels the empty-stage rule...
      const first = await kit.occupy(stageArn);
      await fx.control.leave({ token: first });
      const leftAt = await kit.now();
      // ...and rejoining after the last one left cancels the last-left rule.
      const second = await kit.occupy(stageArn);
      const deadline = leftAt + windowMs + TIMER_SLACK_MS;
      await waitFor(async () => (await kit.now()) > deadline, 15_000);
      assert.equal((await kit.get(c.arn!)).state, 'ACTIVE');
      await kit.stopQuietly(c.arn!);
      await fx.control.leave({ token: second });
    } finally {
      await fx.control.configure({
        timings: {
          idleStopWithoutParticipantsMs: TIMINGS.idleStopWithoutParticipantsMs,
          idleStopAfterLastLeftMs: TIMINGS.idleStopAfterLastLeftMs,
        },
      });
    }
  });

  void test('DeleteStage stops the compositions of the stage', async () => {
    const stageArn = await kit.stage('deleted');
    await kit.occupy(stageArn);
    const c = await kit.start({ stageArn, destinations: [{ channel: { channelArn: channelArn() } }] });
    await kit.waitForState(c.arn!, 'ACTIVE');
    await fx.ivs.send(new DeleteStageCommand({ arn: stageArn }));
    assert.equal((await kit.get(c.arn!)).state, 'STOPPING');
    const stopped = await kit.waitForState(c.arn!, 'STOPPED');
    assert.equal(stopped.destinations![0]!.state, 'STOPPED');
    assert.equal((await kit.events(c.arn!)).at(-1)?.detail.event_name, 'Session End');
  });

  void test('a channel already used by a live composition, or marked busy, fails that destination', async () => {
    const stageArn = await kit.stage('channels');
    const token = await kit.occupy(stageArn);
    const shared = channelArn();
    const first = await kit.start({ stageArn, destinations: [{ channel: { channelArn: shared } }] });
    await kit.waitForDestinations(first.arn!, (x) => x.destinations![0]!.state === 'ACTIVE');

    const second = await kit.start({ stageArn, destinations: [{ channel: { channelArn: shared } }, s3Destination()] });
    const settled = await kit.waitForDestinations(
      second.arn!,
      (x) => destinationOf(x, 'channel').state === 'FAILED' && destinationOf(x, 's3').state === 'ACTIVE',
    );
    assert.equal(settled.state, 'ACTIVE');
    const failure = (await kit.events(second.arn!)).find((e) => e.detail.event_name === 'Destination Failure');
    assert.equal(failure?.detail.id, destinationOf(settled, 'channel').id);
    assert.match(String(failure?.detail.reason), /already broadcasting/);
    assert.equal((await kit.get(first.arn!)).destinations![0]!.state, 'ACTIVE', 'the first user is unaffected');

    const busy = channelArn();
    assert.deepEqual((await fx.control.setChannelBusy(busy, true)).busyChannels, [busy]);
    const onBusy = await kit.start({ stageArn, destinations: [{ channel: { channelArn: busy } }] });
    const failed = await kit.waitForState(onBusy.arn!, 'FAILED');
    assert.equal(failed.destinations![0]!.state, 'FAILED');
    await fx.control.setChannelBusy(busy, false);
    const afterwards = await kit.start({ stageArn, destinations: [{ channel: { channelArn: busy } }] });
    await kit.waitForDestinations(afterwards.arn!, (x) => x.destinations![0]!.state === 'ACTIVE');

    for (const arn of [first.arn!, second.arn!, afterwards.arn!]) await kit.stopQuietly(arn);
    await fx.control.leave({ token });
  });

  void test('an s3 destination whose bucket was deleted fails; the channel destination carries on', async () => {
    const { bucket, arn: goneStorageArn } = await storageWithBucket(fx, 'gone', 'gone');
    await fx.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    const stageArn = await kit.stage('bucket-gone');
    const token = await kit.occupy(stageArn);
    const c = await kit.start({
      stageArn,
      destinations: [{ channel: { channelArn: channelArn() } }, s3Destination(goneStorageArn)],
    });
    const settled = await kit.waitForDestinations(
      c.arn!,
      (x) => destinationOf(x, 's3').state === 'FAILED' && destinationOf(x, 'channel').state === 'ACTIVE',
    );
    assert.equal(settled.state, 'ACTIVE');
    const failure = (await kit.events(c.arn!)).find((e) => e.detail.event_name === 'Destination Failure');
    assert.match(String(failure?.detail.reason), new RegExp(bucket));
    await kit.stopQuietly(c.arn!);
    await kit.waitForState(c.arn!, 'STOPPED');
    await fx.ivs.send(new DeleteStorageConfigurationCommand({ arn: goneStorageArn }));
    await fx.control.leave({ token });
  });

  void test('storage and encoder configurations used by a live composition cannot be deleted until it stopped', async () => {
    const { arn: storage } = await storageWithBucket(fx, 'in-use', 'in-use');
    const { encoderConfiguration } = await fx.ivs.send(new CreateEncoderConfigurationCommand({ name: 'in-use' }));
    const encoder = encoderConfiguration!.arn!;
    const stageArn = await kit.stage('in-use');
    const token = await kit.occupy(stageArn);
    const c = await kit.start({ stageArn, destinations: [s3Destination(storage, encoder)] });

    // Refused already while STARTING: STARTING, ACTIVE and STOPPING all count as live.
    await rejectsWithSdkError(
      fx.ivs.send(new DeleteStorageConfigurationCommand({ arn: storage })),
      'ConflictException',
      409,
    );
    await kit.waitForState(c.arn!, 'ACTIVE');
    await rejectsWithSdkError(
      fx.ivs.send(new DeleteStorageConfigurationCommand({ arn: storage })),
      'ConflictException',
      409,
    );
    await rejectsWithSdkError(
      fx.ivs.send(new DeleteEncoderConfigurationCommand({ arn: encoder })),
      'ConflictException',
      409,
    );

    await fx.ivs.send(new StopCompositionCommand({ arn: c.arn! }));
    await rejectsWithSdkError(
      fx.ivs.send(new DeleteEncoderConfigurationCommand({ arn: encoder })),
      'ConflictException',
      409,
    );
    await kit.waitForState(c.arn!, 'STOPPED');
    await fx.ivs.send(new DeleteStorageConfigurationCommand({ arn: storage }));
    await fx.ivs.send(new DeleteEncoderConfigurationCommand({ arn: encoder }));
    await fx.control.leave({ token });
  });

  void test('composition state change events carry the documented detail fields', async () => {
    const stageArn = await kit.stage('events');
    const token = await kit.occupy(stageArn);
    const c = await kit.start({ stageArn, destinations: [{ channel: { channelArn: channelArn() } }, s3Destination()] });
    const active = await kit.waitForDestinations(c.arn!, (x) => x.destinations!.every((d) => d.state === 'ACTIVE'));
    const channelId = destinationOf(active, 'channel').id!;
    const s3Id = destinationOf(active, 's3').id!;
    await fx.control.setCompositionState({
      compositionArn: c.arn!,
      destinationId: channelId,
      state: 'RECONNECTING',
      reason: 'channel went offline',
    });
    await kit.waitForDestinations(c.arn!, (x) => destinationOf(x, 'channel').state === 'FAILED');
    await fx.ivs.send(new StopCompositionCommand({ arn: c.arn! }));
    await kit.waitForState(c.arn!, 'STOPPED');

    const events = await kit.events(c.arn!);
    const compositionId = c.arn!.slice(c.arn!.lastIndexOf('/') + 1);
    for (const e of events) {
      assert.equal(e.source, 'aws.ivs');
      assert.equal(e.account, '123456789012');
      assert.equal(e.region, 'us-east-1');
      assert.deepEqual(e.resources, [c.arn]);
      assert.match(e.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(e.detail.session_id, compositionId);
      assert.equal(e.detail.stage_arn, stageArn);
    }
    const summary = events.map((e) => [e.detail.event_name, e.detail.id]);
    assert.deepEqual(summary[0], ['Session Start', undefined]);
    const destinationStarts = summary.filter(([name]) => name === 'Destination Start').map(([, id]) => id);
    assert.deepEqual(destinationStarts.sort(), [channelId, s3Id].sort());
    const find = (name: string) => events.find((e) => e.detail.event_name === name);
    assert.equal(find('Destination Reconnecting')?.detail.id, channelId);
    assert.equal(find('Destination Failure')?.detail.id, channelId);
    assert.equal(find('Destination Failure')?.detail.reason, 'channel went offline');
    assert.deepEqual(
      summary.slice(-2),
      [
        ['Destination End', s3Id],
        ['Session End', undefined],
      ],
      'only the destination still in service ends; then the session',
    );
    const order = summary.map(([name]) => name);
    assert.ok(order.indexOf('Destination Reconnecting') < order.indexOf('Destination Failure'));
    await fx.control.leave({ token });
  });
});

void describe('composition quotas', () => {
  const fx = emulatorFixturePerSuite({
    clockScale: SCALE,
    timings: TIMINGS,
    quotas: { compositionsPerAccount: 2, compositionsPerStage: 1 },
  });
  const kit = compositionKit(() => fx);

  void test('compositionsPerStage and compositionsPerAccount give ServiceQuotaExceededException', async () => {
    const [a, b, c] = [await kit.stage('a'), await kit.stage('b'), await kit.stage('c')];
    for (const stageArn of [a, b, c]) await kit.occupy(stageArn);
    const onA = await kit.start({ stageArn: a, destinations: [{ channel: { channelArn: channelArn() } }] });
    const perStage = await rejectsWithSdkError(
      kit.start({ stageArn: a, destinations: [{ channel: { channelArn: channelArn() } }] }),
      'ServiceQuotaExceededException',
      402,
    );
    assert.match(perStage.message, /per stage/);
    await kit.start({ stageArn: b, destinations: [{ channel: { channelArn: channelArn() } }] });
    const perAccount = await rejectsWithSdkError(
      kit.start({ stageArn: c, destinations: [{ channel: { channelArn: channelArn() } }] }),
      'ServiceQuotaExceededException',
      402,
    );
    assert.match(perAccount.message, /per account/);

    // A stopping composition still counts; a stopped one no longer does.
    await fx.ivs.send(new StopCompositionCommand({ arn: onA.arn! }));
    await rejectsWithSdkError(
      kit.start({ stageArn: c, destinations: [{ channel: { channelArn: channelArn() } }] }),
      'ServiceQuotaExceededException',
      402,
    );
    await kit.waitForState(onA.arn!, 'STOPPED');
    await kit.start({ stageArn: c, destinations: [{ channel: { channelArn: channelArn() } }] });
  });
});
