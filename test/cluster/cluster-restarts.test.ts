/**
 * The production topology under the failures it is built for: the real Temporal server on PostgreSQL (a cluster of
 * this test's own, so it can be restarted whatever SHOWRUNNER_TEMPORAL says), shows driven by a worker process, and
 * in the middle of them a worker kill -9, a Temporal server kill -9 and a PostgreSQL crash (`pg_ctl stop -m
 * immediate`: no checkpoint, WAL recovery on start). Every show must complete, and the emulator's inventory must
 * show nothing leaked and nothing created twice.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../../dev/services/search-attributes';
import { startTemporalCluster, type TemporalCluster } from '../../dev/services/temporal-cluster';
import { ChaosRig, chaosSpec, channelArn, withRig, type ChaosShow } from '../chaos/chaos-support';
import { clusterOnly, testS3Env } from '../support/test-env';
import { sleep } from '../support/wait-for';

void describe('Temporal cluster on PostgreSQL: restarts mid-show', () => {
  void test(
    'worker kill -9, Temporal server kill -9 and a PostgreSQL crash while shows run: all complete, nothing leaked or duplicated',
    { timeout: 12 * 60_000, skip: clusterOnly },
    async (t) => {
      const cluster: TemporalCluster = await startTemporalCluster({ searchAttributes: SHOWRUNNER_SEARCH_ATTRIBUTES });
      try {
        const rig = await ChaosRig.start({
          name: 'cluster',
          temporal: { address: cluster.address, namespace: cluster.namespace },
          s3: testS3Env(),
          timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
        });
        await withRig(rig, async () => {
          const bucket = await rig.createBucket('cluster-restarts');
          const spec = (prefix: string) =>
            chaosSpec(rig.showId(prefix), { composition: { channelArn: channelArn(), recording: { bucket } } });
          // One show on air through every failure, one waiting for its publisher through them.
          const live = await rig.startShow(spec('live'));
          const waiting = await rig.startShow(spec('waiting'));
          await rig.waitPhase(live, 'WAITING_FOR_PUBLISHER');
          await rig.publish(live);
          const arn = await rig.waitOnAir(live);
          await rig.waitPhase(waiting, 'WAITING_FOR_PUBLISHER');

          const stillOnAir = async (what: string) => {
            assert.equal(await rig.waitOnAir(live), arn, `${live.id} kept its composition through ${what}`);
            await rig.waitPhase(waiting, 'WAITING_FOR_PUBLISHER');
          };
          // The worker reconnects by itself; should it have given up, a supervisor would start it again.
          const workerBack = async () => {
            await sleep(2_000);
            if (!rig.worker.running) {
              rig.note('worker exited while a server was down: starting it again');
              await rig.worker.start();
            }
          };

          rig.note('kill -9 the worker');
          await rig.worker.kill9();
          await rig.worker.start();
          rig.injected++;
          await stillOnAir('a worker kill -9');

          const serverPid = cluster.pid;
          rig.note(`kill -9 the Temporal server (pid ${serverPid})`);
          await cluster.restartServer({ crash: true, downMs: 3_000 });
          assert.notEqual(cluster.pid, serverPid, 'a new server process');
          rig.injected++;
          rig.note('Temporal server back');
          await workerBack();
          await stillOnAir('a Temporal server kill -9');

          rig.note('PostgreSQL crash (stop -m immediate)');
          await cluster.restartPostgres({ mode: 'immediate', downMs: 5_000 });
          rig.injected++;
          rig.note('PostgreSQL back');
          await workerBack();
          await stillOnAir('a PostgreSQL crash');

          await rig.publish(waiting);
          await rig.waitOnAir(waiting);
          const finish = async (show: ChaosShow) => {
            await rig.end(show);
            await rig.leave(show);
            const result = await rig.completed(show);
            await rig.assertIndexWritten(show);
            return result;
          };
          const [liveResult] = await Promise.all([finish(live), finish(waiting)]);
          assert.equal(liveResult.compositionRestarts, 0, `${live.id}: no composition restart was needed`);
          const audit = await rig.auditAndTally();
          t.diagnostic(`shows ${audit.shows}, failures injected ${audit.faults}, leaked 0, duplicates 0`);
          t.diagnostic(rig.trail.join(' | '));
        });
      } finally {
        await cluster.stop();
      }
    },
  );
});
