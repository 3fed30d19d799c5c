import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import type { ShowFigures } from '../../timeline/show-figures';
import type { Timeline } from '../../timeline/show-timeline';
import {
  endShow,
  freshChannelArn,
  liveShow,
  QUICK_IDLE_STOP_TIMINGS,
  setChannelDestination,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForNewComposition,
} from '../support/show-scenarios';
import { cliEnv, parseJson, runCli } from './cli-runner';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Report {
  workflow: { status: string };
  figures: ShowFigures;
  timeline: Timeline;
  files: { svg: string; png?: string };
}

void describe('showrunner report: a real show with a destination failure and its recovery', () => {
  const h = showHarnessPerSuite(showEmulatorConfig(QUICK_IDLE_STOP_TIMINGS));

  void test('the figures, the SVG and the PNG tell the failure, the restart and the recovery', async () => {
    const bucket = await h.fixture.createBucket('report');
    const id = h.showId('report');
    const { handle, compositionArn, token } = await liveShow(h, {
      id,
      composition: { channelArn: freshChannelArn(), recording: { bucket } },
      individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2 },
      policies: { restartBackoff: { initial: 0 }, recordingsSettleTimeout: '15s' },
    });
    await sleep(2_000);
    await setChannelDestination(h, compositionArn, 'FAILED');
    await waitForNewComposition(handle, compositionArn);
    await sleep(2_000);
    // The publisher leaves before the end, so its participant recording ends and the index knows when it published.
    await h.fixture.control.leave({ token });
    const result = await endShow(h, handle);
    assert.equal(result.compositionRestarts, 1);
    // The show's own final details (Web UI) carry the figures it computes from its state.
    const { currentDetails } = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.match(currentDetails ?? '', /### How it went/);
    assert.match(currentDetails ?? '', /\| Restarts \| 1 \(1 automatic, 0 requested\) \|/);
    assert.match(currentDetails ?? '', /\| Availability, channel \| \d+\.\d % /);
    assert.match(currentDetails ?? '', /\| [^|]+ \| channel \| FAILED \| [^|]+ \| 1 \|/);

    const env = cliEnv(h);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'showrunner-report-'));
    const out = path.join(dir, 'report.svg');
    const run = await runCli(['--json', 'report', id, '--out', out], env);
    assert.equal(run.code, 0, run.stderr);
    const report = parseJson<Report>(run);
    const { figures, timeline } = report;
    assert.equal(report.workflow.status, 'COMPLETED');

    // The phases the show went through, in order, from its history.
    const phases = timeline.phases.map((p) => p.phase);
    for (const phase of ['PREPARING', 'WAITING_FOR_PUBLISHER', 'LIVE', 'RECOVERING', 'ENDING', 'TIDYING', 'COMPLETED'])
      assert.ok(phases.includes(phase), `${phase} in ${phases.join(', ')}`);
    assert.ok(phases.indexOf('RECOVERING') > phases.indexOf('LIVE'));

    // One automatic restart, as the show's result counts it.
    assert.deepEqual(figures.restarts, { count: 1, manual: 0, automatic: 1 });
    assert.deepEqual(
      figures.destinations.map((d) => d.row),
      ['channel', 's3'],
    );
    const channel = figures.destinations.find((d) => d.row === 'channel')!;
    assert.ok(channel.availability! > 0 && channel.availability! < 1, `channel availability ${channel.availability}`);
    const channelStates = timeline.destinations.filter((d) => d.row === 'channel').map((d) => d.state);
    assert.ok(channelStates.includes('FAILED'), channelStates.join(', '));
    // The channel's outage began FAILED and ended when the replacement's channel was ACTIVE, one restart later.
    const outage = figures.outages.find((o) => o.row === 'channel')!;
    assert.equal(outage.cause, 'FAILED');
    assert.equal(outage.restarts, 1);
    assert.ok(outage.timeToRecoverMs! > 0 && outage.timeToRecoverMs! < 30_000, `${outage.timeToRecoverMs} ms`);
    // The S3 destination went off with the stopped composition: the same restart, recovered too.
    assert.ok(
      figures.outages.every((o) => o.restarts === 1 && o.recoveredAt !== undefined),
      JSON.stringify(figures.outages),
    );
    assert.ok(figures.onAir && figures.timeOnAirMs > 0);
    assert.ok(figures.timeOnAirMs < figures.onAir.end - figures.onAir.start);
    // Each composition wrote its own composite recording.
    assert.equal(figures.recordings.segments, 2);
    // Who published when comes from the participant recording in the index, under the user ID the show saw.
    const alice = figures.publishers.find((p) => p.who === 'alice');
    assert.ok(alice?.publishedMs && alice.publishedMs > 3_000, JSON.stringify(figures.publishers));
    assert.ok(
      timeline.publishers.every((p) => !p.open),
      'the index closed every publishing interval',
    );

    // The SVG is well-formed (resvg parses it strictly) and names every row; the PNG is a PNG.
    const svg = await readFile(report.files.svg, 'utf8');
    const parsed = new Resvg(svg);
    assert.ok(parsed.width > 0 && parsed.height > 0);
    for (const text of [
      'destination: channel',
      'destination: s3',
      'publisher: alice',
      'restart',
      'Availability, channel',
    ])
      assert.ok(svg.includes(text), `SVG has ${text}`);
    assert.equal(report.files.png, path.join(dir, 'report.png'));
    assert.deepEqual((await readFile(report.files.png)).subarray(0, 8), PNG_SIGNATURE);

    // For people: the figures as a table, and where the pictures are.
    const human = await runCli(['report', id, '--out', path.join(dir, 'human.svg'), '--no-png'], env);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /\| Availability, channel \| \d+\.\d % /);
    assert.match(human.stdout, /\| Restarts \| 1 \(1 automatic, 0 requested\) \|/);
    assert.match(human.stdout, /\| Recordings index \| 2 composite, 1 participant recordings, /);
    assert.match(human.stdout, /\| Publisher alice \| published \d[^|]* from /);
    assert.match(human.stdout, new RegExp(`Timeline: ${path.join(dir, 'human.svg')}\n`));
  });

  void test('an unknown show exits 1 with the command to look it up', async () => {
    const r = await runCli(['report', 'no-such-show'], cliEnv(h));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /No show with id no-such-show: check `showrunner list`/);
  });
});
