import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import type { ShowPhase } from '../../contracts/show-status';
import { janitorWorkflow } from '../../workflows';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../../dev/services/search-attributes';
import {
  restartTemporalDevServer,
  startTemporalDevServer,
  type TemporalDevServer,
} from '../../dev/services/temporal-dev-server';
import { startVersitygw, type VersitygwServer } from '../../dev/services/versitygw';
import { testS3Env, testTemporalEnv } from '../support/test-env';
import { sleep, waitFor } from '../support/wait-for';
import {
  CHAOS_LONG,
  ChaosRig,
  chaosSpec,
  channelArn,
  KillSwitch,
  staggered,
  startPrivateTemporal,
  summaryLine,
  tally,
  withRig,
  type ChaosShow,
} from './chaos-support';

/**
 * Chaos: shows must complete, and leave nothing behind nor anything twice, while the worker is kill -9ed at every
 * lifecycle point, the Temporal server restarts, the IVS API misbehaves on 30 % of calls, destinations and
 * compositions fail and S3 goes away while recordings are indexed. Short mode (default) is sized for CI; set
 * SHOWRUNNER_CHAOS=long for more shows and kills. The scenarios run side by side, each with its own emulator and
 * worker process, and a last test prints one summary line over all of them.
 */
const SCENARIO_TIMEOUT_MS = CHAOS_LONG ? 40 * 60_000 : 10 * 60_000;

/**
 * Kills at a random moment while CreateStage (and, in long mode, CreateIngestConfiguration) is in flight, right after
 * each, waiting for the publisher, RECOVERING and TIDYING.
 */
async function killsThroughPreparationAndRecovery(rig: ChaosRig, kill: KillSwitch, region: string): Promise<void> {
  // Creates held in flight for 3 s (in this show's region: the scheduled show of another region must not take them).
  // The kill lands anywhere in them: before IVS applied the create or after, the answer never reaches anyone, and
  // the retry (after the dead attempt's timeout) must find the resource instead of making a second one. Another
  // show of this region may take a rule first: a kill inside its create is as good.
  const slow = (operation: string) => rig.addFault({ operation, region, mode: 'latency', latencyMs: 3_000, count: 1 });
  const slowStage = await slow('CreateStage');
  const slowIngest = CHAOS_LONG ? await slow('CreateIngestConfiguration') : undefined;
  const show = await rig.startShow(chaosSpec(rig.showId('kill-a'), { ingest: { enabled: true } }));
  const tagged = () => rig.tagged(show.id);
  await kill.killInStep('CreateStage in flight', () => rig.fired(slowStage), 3_000);
  tally.windows++;
  await kill.killWhen('after CreateStage', async () => (await tagged()).stages.length > 0);
  if (slowIngest) {
    await kill.killInStep('CreateIngestConfiguration in flight', () => rig.fired(slowIngest), 3_000);
    tally.windows++;
  }
  await kill.killWhen('after CreateIngestConfiguration', async () => (await tagged()).ingestConfigurations.length > 0);
  await kill.killWhen('WAITING_FOR_PUBLISHER', () => rig.inPhase(show, 'WAITING_FOR_PUBLISHER'));
  await rig.publish(show);
  const first = await rig.waitOnAir(show);
  await rig.control.setCompositionState({ compositionArn: first, state: 'FAILED', destinationType: 'channel' });
  rig.injected++;
  // Stopping the failed composition (3 s) and the restart backoff (2 s) keep the show RECOVERING long enough.
  await kill.killWhen('RECOVERING', () => rig.inPhase(show, 'RECOVERING'));
  await rig.waitOnAir(show, first);
  await rig.end(show);
  // Tidy-up waits for the composition to stop (3 s).
  await kill.killWhen('TIDYING', () => rig.inPhase(show, 'TIDYING'));
  const result = await rig.completed(show);
  await rig.leave(show);
  assert.equal(result.compositionRestarts, 1, `${show.id} restarted its composition once`);
}

/** Kills while the composition starts and while INDEXING (the costliest: the lost attempt waits out its heartbeat timeout). */
async function killsWhileLiveAndIndexing(rig: ChaosRig, kill: KillSwitch, bucket: string): Promise<void> {
  const show = await rig.startShow(
    chaosSpec(rig.showId('kill-b'), {
      composition: { channelArn: channelArn(), recording: { bucket } },
      // After the publisher leaves, its recording stays open for the reconnect window; the index waits for it to
      // end, which keeps the show INDEXING long enough to be caught there.
      individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2, reconnectWindowSeconds: 60 },
    }),
  );
  await rig.waitPhase(show, 'WAITING_FOR_PUBLISHER');
  await rig.publish(show);
  // Compositions take 4 s to start.
  await kill.killWhen('STARTING_COMPOSITION', () => rig.inPhase(show, 'STARTING_COMPOSITION'));
  await rig.waitOnAir(show);
  await rig.end(show);
  await rig.leave(show);
  await kill.killWhen('INDEXING', () => rig.inPhase(show, 'INDEXING'));
  await rig.completed(show);
  await rig.assertIndexWritten(show);
}

/** Kills while SCHEDULED and PREPARING, right after StartComposition, on air, and while its stage is being deleted. */
async function killsAroundScheduleAndTidyUp(
  rig: ChaosRig,
  kill: KillSwitch,
  region: string,
  scheduledKilled: () => void,
): Promise<void> {
  // A region of its own, so a slow CreateParticipantToken catches this show only: it holds the show in PREPARING.
  await rig.addFault({ operation: 'CreateParticipantToken', region, mode: 'latency', latencyMs: 6_000, count: 1 });
  const show = await rig.startShow(
    chaosSpec(rig.showId('kill-c'), {
      region,
      schedule: { start: new Date(Date.now() + 20_000).toISOString(), duration: '30m', leadTime: 0 },
      composition: { channelArn: channelArn(region) },
    }),
  );
  // The start sets SCHEDULED already; wait for the first workflow task to have started the timer.
  // On a loaded machine the first workflow task may come after the start time (a kill's restart before it): then
  // SCHEDULED, or PREPARING, is never seen, and the kill lands where the show is instead.
  const beyond =
    (...phases: ShowPhase[]) =>
    async () => {
      const { phase } = await rig.phase(show);
      return phase !== undefined && !phases.includes(phase);
    };
  await kill.killWhen(
    'SCHEDULED',
    async () => {
      const { phase, historyLength } = await rig.phase(show);
      return phase === 'SCHEDULED' && historyLength >= 4;
    },
    { passed: beyond('SCHEDULED') },
  );
  scheduledKilled();
  await kill.killWhen('PREPARING', () => rig.inPhase(show, 'PREPARING'), {
    passed: beyond('SCHEDULED', 'PREPARING'),
  });
  await rig.waitPhase(show, 'WAITING_FOR_PUBLISHER');
  await rig.publish(show);
  await kill.killWhen('after StartComposition', async () => (await rig.tagged(show.id)).compositions.length > 0);
  const arn = await rig.waitOnAir(show);
  await kill.killWhen('LIVE', () => rig.inPhase(show, 'LIVE'));
  assert.equal(await rig.waitOnAir(show), arn, `${show.id} kept its composition through the kill`);
  // DeleteStage is the show's last call before it completes, too quick to catch by polling. A 3 s delay in front of it
  // shows when it was made (the rule fires, and goes, on arrival): the kill lands while it is under way, the stage is
  // deleted with nobody to hear the answer, and the retried tidy-up must accept that it is already gone.
  const slowDelete = await rig.addFault({
    operation: 'DeleteStage',
    region,
    mode: 'latency',
    latencyMs: 3_000,
    count: 1,
  });
  await rig.end(show);
  await kill.killWhen(
    'during DeleteStage',
    async () => !(await rig.control.listFaults()).some((f) => f.id === slowDelete.id),
  );
  await rig.completed(show);
}

async function liveShowThenEnd(rig: ChaosRig, show: ChaosShow, onAirMs: number): Promise<void> {
  await rig.waitPhase(show, 'WAITING_FOR_PUBLISHER');
  await rig.publish(show);
  await rig.waitOnAir(show);
  await sleep(onAirMs);
  await rig.end(show);
  await rig.leave(show);
}

void describe('chaos', () => {
  void describe('scenarios', { concurrency: true }, () => {
    void test(
      'worker kill -9 at every lifecycle point: every show completes',
      { timeout: SCENARIO_TIMEOUT_MS },
      async (t) => {
        const rig = await ChaosRig.start({
          name: 'kills',
          temporal: testTemporalEnv(),
          s3: testS3Env(),
          // Slow enough state machines that the starting and stopping phases can be caught.
          timings: { compositionStartMs: 4_000, compositionStopMs: 3_000 },
        });
        const kill = new KillSwitch(rig);
        await withRig(rig, async () => {
          const bucket = await rig.createBucket('chaos-kills');
          // Long mode: more rounds of the same three shows, overlapping, so kills also land on several shows at once.
          // Within a round the other two start after the first kill: a kill costs shows caught mid-activity 30 s.
          // Regions IVS Real-Time has endpoints in: the emulator refuses others, as AWS has no endpoint for them.
          const regions = ['us-west-2', 'eu-west-1', 'ap-northeast-1'];
          await staggered(CHAOS_LONG ? regions.length : 1, 30_000, async (round) => {
            let scheduledKilled = () => {};
            const othersMayStart = new Promise<void>((resolve) => (scheduledKilled = resolve));
            await Promise.all([
              killsAroundScheduleAndTidyUp(rig, kill, regions[round]!, scheduledKilled),
              othersMayStart.then(() =>
                Promise.all([
                  killsThroughPreparationAndRecovery(rig, kill, testS3Env().region),
                  killsWhileLiveAndIndexing(rig, kill, bucket),
                ]),
              ),
            ]);
          });
          const points = kill.distinctPoints();
          t.diagnostic(`kill -9 at: ${points.join(', ')}`);
          await rig.auditAndTally();
          assert.ok(points.length >= 10, `kills at ${points.length} distinct lifecycle points: ${points.join(', ')}`);
        });
      },
    );

    void test(
      'windows inside steps: a lost response then a kill, a create slower than its request, a cancel mid-create',
      { timeout: SCENARIO_TIMEOUT_MS },
      async () => {
        const rig = await ChaosRig.start({
          name: 'windows',
          temporal: testTemporalEnv(),
          s3: testS3Env(),
          timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
          // Every 200 ms: a second stage that lived only until the sweep deleted it still counts as a duplicate.
          sampleEveryMs: 200,
        });
        const kill = new KillSwitch(rig);
        await withRig(rig, async () => {
          const fired = async () => (await rig.control.metrics()).faultsFired;
          // 1. CreateStage applied, its answer lost; the worker dies while the attempt waits out the landing horizon.
          // The retry (after the dead attempt's 55 s timeout) reads its fence from the heartbeat and finds the stage.
          let before = await fired();
          await rig.addFault({ operation: 'CreateStage', mode: 'lost-response', count: 1 });
          const lost = await rig.startShow(chaosSpec(rig.showId('lost-kill'), { ingest: { enabled: true } }));
          await kill.killWhen('CreateStage answer lost', async () => (await fired()) > before, { inStep: true });
          tally.windows++;
          await liveShowThenEnd(rig, lost, 1_000);
          await rig.completed(lost);

          // 2. CreateIngestConfiguration slower than its 10 s request deadline: applied at 12 s, found, not repeated.
          before = await fired();
          await rig.addFault({ operation: 'CreateIngestConfiguration', mode: 'latency', latencyMs: 12_000, count: 1 });
          const slow = await rig.startShow(chaosSpec(rig.showId('slow-ingest'), { ingest: { enabled: true } }));
          tally.windows++;
          await liveShowThenEnd(rig, slow, 1_000);
          await rig.completed(slow);
          assert.ok((await fired()) > before, 'the slow create happened');

          // 3. Cancelled while CreateStage is in flight: the stage lands, is recorded and tidied up.
          before = await fired();
          await rig.addFault({ operation: 'CreateStage', mode: 'latency', latencyMs: 3_000, count: 1 });
          const cancelled = await rig.startShow(chaosSpec(rig.showId('cancel-mid-create')));
          await waitFor(async () => (await fired()) > before, 30_000, { description: 'CreateStage in flight' });
          await cancelled.handle.cancel();
          tally.windows++;
          await assert.rejects(cancelled.handle.result());
          assert.equal((await cancelled.handle.describe()).status.name, 'CANCELLED');
          await rig.auditAndTally();
        });
      },
    );

    void test(
      'Temporal server restarted while shows run: the worker carries on',
      { timeout: SCENARIO_TIMEOUT_MS },
      async (t) => {
        // A server of its own with a SQLite file, so it can restart with its state; the suite's server is shared.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-chaos-temporal-'));
        let server: TemporalDevServer = await startTemporalDevServer({
          dbFile: path.join(dir, 'temporal.db'),
          headless: true,
          searchAttributes: SHOWRUNNER_SEARCH_ATTRIBUTES,
          cli: testTemporalEnv().cliPath,
          logFile: path.join(dir, 'temporal.log'),
          logLevel: 'error',
        });
        try {
          const rig = await ChaosRig.start({
            name: 'temporal',
            temporal: { address: server.address, namespace: server.namespace },
            s3: testS3Env(),
            timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
          });
          await withRig(rig, async () => {
            const bucket = await rig.createBucket('chaos-temporal');
            const show = await rig.startShow(
              chaosSpec(rig.showId('temporal'), { composition: { channelArn: channelArn(), recording: { bucket } } }),
            );
            let workerRestarts = 0;
            const restartServer = async (when: string) => {
              rig.note(`restarting the Temporal server (${when})`);
              server = await restartTemporalDevServer(server);
              rig.injected++;
              tally.temporalRestarts++;
              rig.note('Temporal server back');
              // The worker should reconnect by itself; if it gave up and exited, a supervisor would start it again.
              await sleep(2_000);
              if (!rig.worker.running) {
                rig.note('worker exited while the server was down: starting it again');
                workerRestarts++;
                await rig.worker.start();
              }
            };
            await rig.waitPhase(show, 'WAITING_FOR_PUBLISHER');
            if (CHAOS_LONG) await restartServer('WAITING_FOR_PUBLISHER');
            await rig.publish(show);
            const arn = await rig.waitOnAir(show);
            await restartServer('LIVE');
            // Still on air, the same composition, and the show still answers.
            assert.equal(await rig.waitOnAir(show), arn);
            await rig.end(show);
            await rig.leave(show);
            await rig.completed(show);
            await rig.assertIndexWritten(show);
            t.diagnostic(`worker processes started again after server restarts: ${workerRestarts}`);
            await rig.auditAndTally();
          });
        } finally {
          await server.stop();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    void test(
      'Temporal restarted while a show creates its stage, and again while it creates its ingest configuration',
      { timeout: SCENARIO_TIMEOUT_MS },
      async (t) => {
        // A server of its own with its state on disk (a SQLite file, or PostgreSQL on the cluster), restarted on the
        // same database and port; the suite's server is shared.
        const temporal = await startPrivateTemporal();
        try {
          const rig = await ChaosRig.start({
            name: 'temporal-prep',
            temporal,
            s3: testS3Env(),
            timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
            // Every 200 ms for the whole test: a second stage that lived a moment still counts.
            sampleEveryMs: 200,
          });
          await withRig(rig, async () => {
            // Each create is held in flight for 5 s; the server goes down as soon as IVS has the request, so the
            // create lands while no attempt can report it, and the attempt's outcome depends on when the server is back.
            const slow = (operation: string) =>
              rig.addFault({ operation, mode: 'latency', latencyMs: 5_000, count: 1 });
            const creates = [
              ['CreateStage', await slow('CreateStage')],
              ['CreateIngestConfiguration', await slow('CreateIngestConfiguration')],
            ] as const;
            const show = await rig.startShow(chaosSpec(rig.showId('temporal-prep'), { ingest: { enabled: true } }));
            for (const [operation, rule] of creates) {
              await waitFor(() => rig.fired(rule), 180_000, { intervalMs: 50, description: `${operation} in flight` });
              rig.note(`${operation} in flight: restarting the Temporal ${temporal.kind}`);
              await temporal.restart(2_000);
              tally.temporalRestarts++;
              tally.windows++;
              rig.injected++;
              rig.note('Temporal back');
              await rig.ensureWorkersRunning();
            }
            await liveShowThenEnd(rig, show, 1_000);
            const result = await rig.completed(show);
            await rig.ensureWorkersRunning();
            assert.deepEqual(
              rig.seen(show.id),
              { stages: 1, ingestConfigurations: 1 },
              `one stage and one ingest configuration under ${show.id}'s tag in ${rig.samples} samples of IVS`,
            );
            assert.ok(rig.samples >= 20, `IVS was polled throughout (${rig.samples} samples)`);
            assert.deepEqual(result.swept ?? [], [], 'nothing was left for the sweep');
            const calls = await rig.ivsCallsPerShow();
            t.diagnostic(`IVS calls of the show ${calls.all}, of which the sweeps ${calls.sweeps}`);
            await rig.auditAndTally();
          });
        } finally {
          await temporal.stop();
        }
      },
    );

    void test(
      'a create that lands after its show closed: the janitor finds it by its run tag and removes it',
      { timeout: SCENARIO_TIMEOUT_MS },
      async () => {
        const rig = await ChaosRig.start({
          name: 'late',
          temporal: testTemporalEnv(),
          s3: testS3Env(),
          timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
          sampleEveryMs: 200,
        });
        await withRig(rig, async () => {
          const region = testS3Env().region;
          const kill = new KillSwitch(rig);
          const landedAfterClose: string[] = [];
          // CreateStage applied only after 60 s, and its answer lost: far beyond the 20 s landing horizon the show
          // assumes (contracts/ivs-timing.ts). The attempt waits out the horizon, finds nothing and fails; the retry
          // makes the stage the show runs on, and the show closes before the first one lands. Long mode adds the
          // worker killed while that create is in flight: the retry comes only after the dead attempt's 55 s timeout,
          // so the create lands after 110 s.
          const variants = [
            { landsAfterMs: 60_000, killed: false },
            ...(CHAOS_LONG ? [{ landsAfterMs: 110_000, killed: true }] : []),
          ];
          for (const { landsAfterMs, killed } of variants) {
            const delayed = await rig.addFault({
              operation: 'CreateStage',
              mode: 'latency',
              latencyMs: landsAfterMs,
              count: 1,
            });
            await rig.addFault({ operation: 'CreateStage', mode: 'lost-response', count: 1 });
            const show = await rig.startShow(chaosSpec(rig.showId(killed ? 'late-killed' : 'late')));
            const inFlight = () => rig.fired(delayed);
            await waitFor(inFlight, 60_000, { intervalMs: 50, description: 'CreateStage in flight' });
            const landsAt = Date.now() + landsAfterMs;
            if (killed) await kill.killInStep('late CreateStage in flight', inFlight, 5_000);
            tally.windows++;
            await rig.waitPhase(show, 'WAITING_FOR_PUBLISHER');
            await rig.end(show);
            const result = await rig.completed(show);
            // The premise: the show was over before its first CreateStage landed (a very slow machine breaks it).
            assert.ok(
              Date.now() < landsAt,
              `${show.id} closed ${Math.round((Date.now() - landsAt) / 1000)} s after the late stage landed`,
            );
            assert.deepEqual(rig.seen(show.id), { stages: 1, ingestConfigurations: 0 }, 'one stage while it ran');
            assert.deepEqual(result.swept ?? [], [], 'the show’s sweeps found nothing: the late stage had not landed');
            assert.ok(
              result.sweepCalls?.ListStages,
              `the show swept its run tag: ${JSON.stringify(result.sweepCalls)}`,
            );
            const made = new Set(result.made.map((r) => r.arn));
            const late = await waitFor(
              async () => (await rig.tagged(show.id)).stages.find((s) => !made.has(s.arn))?.arn,
              landsAfterMs + 60_000,
              { intervalMs: 200, description: 'the late stage landed' },
            );
            rig.note(`late stage ${late} landed after ${show.id} closed`);
            landedAfterClose.push(late);

            // The janitor: the stage's run-key tag names a run that exists and is closed, so it is an orphan at once
            // with no grace period (a resource whose run is not found would need a second sweep).
            const report = await rig.client.workflow.execute(janitorWorkflow, {
              workflowId: `janitor-${show.id}`,
              taskQueue: rig.taskQueue,
              args: [{ regions: [region], gracePeriodMs: 0, dryRun: false }],
            });
            const removed = report.removed.find((r) => r.arn === late);
            assert.ok(removed?.outcome === 'removed', `the janitor removed ${late}: ${JSON.stringify(report)}`);
            assert.equal(removed.showWorkflowId, show.handle.workflowId);
            assert.match(removed.reason, /COMPLETED/);
            assert.equal((await rig.tagged(show.id)).stages.length, 0, 'nothing of the show left in IVS');
          }
          await rig.auditAndTally({ landedAfterClose });
        });
      },
    );

    void test(
      'long: two workers, random in-step kills, a Temporal restart and 30 % faults',
      { timeout: SCENARIO_TIMEOUT_MS, skip: CHAOS_LONG ? false : 'SHOWRUNNER_CHAOS=long only' },
      async (t) => {
        const temporal = await startPrivateTemporal();
        try {
          const rig = await ChaosRig.start({
            name: 'long',
            temporal,
            s3: testS3Env(),
            workers: 2,
            timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
            sampleEveryMs: 250,
          });
          await withRig(rig, async () => {
            const bucket = await rig.createBucket('chaos-long');
            const probability = 1 - Math.pow(0.7, 1 / 4);
            for (const rule of [
              { errorType: 'InternalServerException' },
              { errorType: 'TooManyRequestsException' },
              { mode: 'latency' as const, latencyMs: 1_000 },
              { mode: 'lost-response' as const },
            ])
              await rig.addFault({ operation: '*', probability, ...rule });
            // Creates take 3 s, so the random kills and the restart often find one in flight.
            for (const operation of ['CreateStage', 'CreateIngestConfiguration'])
              await rig.addFault({ operation, mode: 'latency', latencyMs: 3_000 });
            const kill = new KillSwitch(rig);
            const killer = kill.randomly(10_000, 30_000);
            const SHOWS = 10;
            let restart: Promise<void> = Promise.resolve();
            try {
              await staggered(SHOWS, 15_000, async (i) => {
                const show = await rig.startShow(
                  chaosSpec(rig.showId('long'), {
                    ingest: { enabled: true },
                    composition: { channelArn: channelArn(), recording: { bucket } },
                  }),
                );
                if (i === 3)
                  // While this show prepares (its creates in flight) and the others are at every other step.
                  restart = (async () => {
                    rig.note(`restarting the Temporal ${temporal.kind}`);
                    await temporal.restart(3_000);
                    tally.temporalRestarts++;
                    rig.injected++;
                    rig.note('Temporal back');
                    await rig.ensureWorkersRunning();
                  })();
                await liveShowThenEnd(rig, show, 3_000);
                await rig.completed(show, 600_000);
                await rig.assertIndexWritten(show);
              });
              await restart;
            } finally {
              await killer.stop();
            }
            await rig.control.clearFaults();
            const calls = await rig.ivsCallsPerShow();
            const line = `long: ${rig.shows.length} shows, ${kill.kills.length} kills, IVS calls per show ${calls.all.toFixed(1)}, of which the sweeps ${calls.sweeps.toFixed(1)}`;
            t.diagnostic(line);
            console.log(line);
            await rig.auditAndTally();
          });
        } finally {
          await temporal.stop();
        }
      },
    );

    void test(
      '30 % of IVS calls fail, throttle, stall or lose their response',
      { timeout: SCENARIO_TIMEOUT_MS },
      async () => {
        const rig = await ChaosRig.start({
          name: 'faults',
          temporal: testTemporalEnv(),
          s3: testS3Env(),
          timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
        });
        await withRig(rig, async () => {
          const bucket = await rig.createBucket('chaos-faults');
          // Rules fire independently: four at p = 1 - 0.7^(1/4) ≈ 8.5 % each put a fault on 30 % of all calls.
          const probability = 1 - Math.pow(0.7, 1 / 4);
          for (const rule of [
            { errorType: 'InternalServerException' },
            { errorType: 'TooManyRequestsException' },
            { mode: 'latency' as const, latencyMs: 1_000 },
            { mode: 'lost-response' as const },
          ])
            await rig.addFault({ operation: '*', probability, ...rule });
          await staggered(CHAOS_LONG ? 8 : 3, 2_000, async () => {
            const show = await rig.startShow(
              chaosSpec(rig.showId('faults'), {
                ingest: { enabled: true },
                composition: { channelArn: channelArn(), recording: { bucket } },
              }),
            );
            await liveShowThenEnd(rig, show, 3_000);
            await rig.completed(show);
            await rig.assertIndexWritten(show);
          });
          assert.ok((await rig.control.metrics()).faultsFired > 0, 'faults fired');
          await rig.control.clearFaults();
          await rig.auditAndTally();
        });
      },
    );

    void test(
      'failure matrix: destination FAILED, composition FAILED, reconnecting too long, S3 outage while INDEXING',
      { timeout: SCENARIO_TIMEOUT_MS },
      async () => {
        // An S3 server of its own, to stop and start again on the same data and port; the suite's one is shared.
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-chaos-s3-'));
        let s3: VersitygwServer = await startVersitygw({ dataDir });
        try {
          const rig = await ChaosRig.start({
            name: 'matrix',
            temporal: testTemporalEnv(),
            s3,
            timings: { compositionStartMs: 1_000, compositionStopMs: 2_000 },
          });
          await withRig(rig, async () => {
            const bucket = await rig.createBucket('chaos-matrix');
            const failThenRecover = async (
              prefix: string,
              incident: string,
              fail: (arn: string) => Promise<unknown>,
              policies: ShowSpecInput['policies'] = {},
            ) => {
              const show = await rig.startShow(chaosSpec(rig.showId(prefix), { policies }));
              await rig.waitPhase(show, 'WAITING_FOR_PUBLISHER');
              await rig.publish(show);
              const first = await rig.waitOnAir(show);
              await fail(first);
              rig.injected++;
              await rig.waitOnAir(show, first);
              await rig.end(show);
              await rig.leave(show);
              const result = await rig.completed(show);
              assert.equal(result.compositionRestarts, 1, `${show.id}: one restart`);
              assert.ok(
                result.incidents.some((i) => i.kind === incident),
                `${show.id}: ${incident} in ${result.incidents.map((i) => i.kind).join(', ')}`,
              );
            };
            const s3OutageWhileIndexing = async () => {
              const show = await rig.startShow(
                chaosSpec(rig.showId('s3-outage'), {
                  composition: { channelArn: channelArn(), recording: { bucket } },
                  // The reconnect window keeps the publisher's recording open (and the show INDEXING) past the outage.
                  individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2, reconnectWindowSeconds: 20 },
                }),
              );
              await liveShowThenEnd(rig, show, 3_000);
              await rig.waitPhase(show, 'INDEXING');
              rig.note('S3 down');
              await s3.stop();
              rig.injected++;
              await sleep(5_000);
              s3 = await startVersitygw({ dataDir, port: s3.port });
              rig.note('S3 back');
              await rig.completed(show);
              await rig.assertIndexWritten(show);
            };
            await Promise.all([
              failThenRecover('dest-failed', 'DESTINATION_FAILED', (compositionArn) =>
                rig.control.setCompositionState({ compositionArn, state: 'FAILED', destinationType: 'channel' }),
              ),
              failThenRecover('comp-failed', 'COMPOSITION_FAILED', (compositionArn) =>
                rig.control.setCompositionState({ compositionArn, state: 'FAILED' }),
              ),
              failThenRecover(
                'reconnecting',
                'RECONNECTING_TOO_LONG',
                (compositionArn) =>
                  rig.control.setCompositionState({
                    compositionArn,
                    state: 'RECONNECTING',
                    destinationType: 'channel',
                  }),
                { reconnectingTolerance: '3s' },
              ),
              s3OutageWhileIndexing(),
            ]);
            await rig.auditAndTally();
          });
        } finally {
          await s3.stop();
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      },
    );
  });

  void test('summary: no leaks, no duplicates', () => {
    console.log(summaryLine());
    assert.ok(tally.shows > 0, 'scenarios ran shows');
    assert.equal(tally.leaked, 0);
    assert.equal(tally.duplicates, 0);
  });
});
