/**
 * The compiled production build: `npm run build` emits JavaScript and the prebuilt workflow bundle into dist/, and
 * the worker runs from there with plain `node` (no tsx, NODE_ENV=production) and drives a whole show. In CI this
 * runs with SHOWRUNNER_TEMPORAL=cluster, against the real server on PostgreSQL, as the image would.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ChaosRig, chaosSpec, channelArn, withRig } from '../chaos/chaos-support';
import { clusterOnly, testS3Env, testTemporalEnv } from '../support/test-env';

const execFileAsync = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');
const DIST = path.join(REPO, 'dist');

void describe('npm run build', () => {
  void test(
    'the compiled worker from dist/ runs a show with plain node; the CLI bin runs too',
    { timeout: 6 * 60_000, skip: clusterOnly },
    async () => {
      await execFileAsync('npm', ['run', 'build'], { cwd: REPO, timeout: 4 * 60_000 });
      const main = path.join(DIST, 'worker/main.js');
      const workflowBundle = path.join(DIST, 'workflow-bundle.js');
      for (const file of [
        main,
        workflowBundle,
        path.join(DIST, 'events/main.js'),
        path.join(DIST, 'security/codec-server-main.js'),
      ])
        assert.ok(fs.existsSync(file), `${path.relative(REPO, file)} built`);

      // The package's bin entry points into dist/ and answers without tsx.
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
        bin: Record<string, string>;
      };
      const bin = path.join(REPO, pkg.bin.showrunner!);
      assert.ok(bin.startsWith(DIST + path.sep), `bin ${pkg.bin.showrunner} is in dist/`);
      const { stdout } = await execFileAsync(process.execPath, [bin, '--help'], { cwd: REPO });
      assert.match(stdout, /Usage: showrunner/);

      const rig = await ChaosRig.start({
        name: 'built',
        temporal: testTemporalEnv(),
        s3: testS3Env(),
        timings: { compositionStartMs: 1_000, compositionStopMs: 1_000 },
        built: { main, workflowBundle },
      });
      await withRig(rig, async () => {
        const bucket = await rig.createBucket('built-worker');
        const show = await rig.startShow(
          chaosSpec(rig.showId('built'), { composition: { channelArn: channelArn(), recording: { bucket } } }),
        );
        await rig.waitPhase(show, 'WAITING_FOR_PUBLISHER');
        await rig.publish(show);
        await rig.waitOnAir(show);
        await rig.end(show);
        await rig.leave(show);
        const result = await rig.completed(show);
        assert.equal(result.compositionRestarts, 0);
        await rig.assertIndexWritten(show);
        await rig.auditAndTally();
      });
    },
  );
});
