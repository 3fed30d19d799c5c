import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { statusQuery } from '../../contracts/show-messages';
import type { ShowPhase, ShowStatus } from '../../contracts/show-status';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';
import { cliEnv, parseJson, runAll, runCli, writeSpec } from './cli-runner';
import { freshChannelArn } from '../../dev/aws/local-aws';
import { terminateRunningOn } from '../support/terminate-running';

void describe('showrunner CLI: one show from start to recordings', () => {
  let h: ShowHarness;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    h = await startShowHarness({ clockScale: 1, timings: { compositionStartMs: 500, compositionStopMs: 500 } });
    env = cliEnv(h);
  });
  after(async () => {
    // Shows the CLI started are not the harness's: terminate whatever still runs on this task queue.
    await terminateRunningOn(h.client, [h.taskQueue]);
    await h.stop();
  });

  const cli = (...args: string[]) => runCli(args, env);
  const waitForPhase = (showId: string, phases: ShowPhase[], timeoutMs = 60_000) =>
    waitFor(
      async () => {
        const s = await h.client.workflow.getHandle(`show-${showId}`).query(statusQuery);
        return phases.includes(s.phase) ? s : undefined;
      },
      timeoutMs,
      { intervalMs: 250, description: `show ${showId} in ${phases.join('/')}` },
    );

  void test('start, status, list, token, extend, end and recordings drive a real show', async () => {
    const bucket = await h.fixture.createBucket('cli');
    const id = h.showId('cli');
    const spec: ShowSpecInput = {
      id,
      name: 'CLI show',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }],
      composition: { channelArn: freshChannelArn(), recording: { bucket } },
      individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2 },
      policies: { pollInterval: '1s', recordingsSettleTimeout: '30s' },
    };
    const started = await cli('start', await writeSpec(spec));
    assert.equal(started.code, 0, started.stderr);
    assert.match(
      started.stdout,
      new RegExp(`Started show ${id} \\(workflow show-${id}\\) on task queue ${h.taskQueue}`),
    );
    await waitForPhase(id, ['WAITING_FOR_PUBLISHER']);

    const [status, listed, notYet] = await runAll(
      [
        ['status', id],
        ['--json', 'list', '--phase', 'WAITING_FOR_PUBLISHER', '--query', `TaskQueue = '${h.taskQueue}'`],
        ['recordings', id],
      ],
      env,
    );
    assert.equal(status!.code, 0, status!.stderr);
    assert.match(status!.stdout, /Phase: +WAITING_FOR_PUBLISHER/);
    assert.match(status!.stdout, /stage +arn:aws:ivs:us-east-1:\d{12}:stage\//);
    assert.match(status!.stdout, /Next deadline: +planned end at /);
    assert.equal(listed!.code, 0, listed!.stderr);
    assert.ok(
      parseJson<{ showId: string; phase: string }[]>(listed!).some(
        (s) => s.showId === id && s.phase === 'WAITING_FOR_PUBLISHER',
      ),
      listed!.stdout,
    );
    assert.equal(notYet!.code, 1);
    assert.match(notYet!.stderr, /still running, so its recordings are not indexed yet/);

    // The token is the only thing on stdout, and it joins the show's stage.
    const token = await cli('token', id, '--user', 'carol', '--capabilities', 'PUBLISH,SUBSCRIBE', '--duration', '30');
    assert.equal(token.code, 0, token.stderr);
    const lines = token.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, token.stdout);
    assert.ok(!token.stderr.includes(lines[0]!), 'the token never reaches stderr');
    const stageArn = (await h.client.workflow.getHandle(`show-${id}`).query(statusQuery)).resources.stageArn;
    const membership = await h.fixture.control.join(lines[0]!, { publish: true });
    assert.equal(membership.stageArn, stageArn);
    const live = await waitForPhase(id, ['LIVE']);

    const laterEnd = new Date(Date.parse(live.plannedEnd) + 30 * 60_000).toISOString();
    const [extended, refused] = await runAll(
      [
        ['extend', id, '--until', laterEnd],
        ['extend', id, '--until', new Date(Date.now() - 60_000).toISOString()],
      ],
      env,
    );
    assert.equal(extended!.code, 0, extended!.stderr);
    assert.equal(refused!.code, 1);
    assert.match(refused!.stderr, /Rejected by the show: endAt: must be in the future/);
    const afterExtend = parseJson<{ status: ShowStatus }>(await cli('--json', 'status', id));
    assert.equal(afterExtend.status.plannedEnd, laterEnd);
    assert.equal(afterExtend.status.composition?.destinations.length, 2);

    await new Promise((r) => setTimeout(r, 3_000));
    const ended = await cli('end', id, '--reason', 'cli test over');
    assert.equal(ended.code, 0, ended.stderr);
    await h.fixture.control.leave({ token: lines[0]! });
    await h.client.workflow.getHandle(`show-${id}`).result();

    const [final, again, recordings] = await runAll(
      [
        ['status', id],
        ['end', id],
        ['--json', 'recordings', id],
      ],
      env,
    );
    assert.match(final!.stdout, /Phase: +COMPLETED/);
    // What an ended show says: how it ended, nothing deleted listed as current, where its recordings index is.
    assert.match(final!.stdout, /Outcome: +COMPLETED: ended on request: cli test over/);
    const leftInPlace = /Left in place:\n((?: {4}.*\n)*)/.exec(final!.stdout)?.[1] ?? '';
    assert.match(leftInPlace, /encoder configuration/, final!.stdout);
    assert.doesNotMatch(leftInPlace, /stage|composition/, 'the deleted stage and the stopped composition are not left');
    assert.match(final!.stdout, /Removed:\n +composition .*\n +stage /);
    assert.match(final!.stdout, /Sweep: +nothing else was left under the run tag/);
    assert.match(final!.stdout, /Recordings: +index at s3:\/\//);
    assert.doesNotMatch(final!.stdout, /channel +ACTIVE/);
    assert.equal(again!.code, 1);
    assert.match(again!.stderr, new RegExp(`Show ${id} is no longer running \\(COMPLETED\\)`));
    assert.equal(recordings!.code, 0, `${recordings!.stderr}\n${final!.stdout}`);
    const index = parseJson<{
      location: { uri: string };
      summary: { participantRecordings: number; compositeRecordings: number };
    }>(recordings!);
    assert.match(index.location.uri, new RegExp(`^s3://${bucket}/`));
    assert.ok(index.summary.participantRecordings >= 1, JSON.stringify(index.summary));
    const human = await cli('recordings', id);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Recordings index s3:\/\//);
  });

  void test('cancel ends a show CANCELLED; status --watch follows it to the end', async () => {
    const id = h.showId('cli-cancel');
    const started = await cli(
      '--json',
      'start',
      await writeSpec({ id, name: 'Cancelled', schedule: { duration: '10m', leadTime: 0 } }, 'json'),
    );
    assert.equal(started.code, 0, started.stderr);
    assert.equal(parseJson<{ workflowId: string }>(started).workflowId, `show-${id}`);
    await waitForPhase(id, ['LIVE']);
    const watching = runCli(['--json', 'status', id, '--watch'], env);
    const cancelled = await cli('cancel', id);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    const watched = await watching;
    assert.equal(watched.code, 0, watched.stderr);
    const snapshots = watched.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { workflow: { status: string }; status: ShowStatus });
    assert.equal(snapshots.at(-1)?.workflow.status, 'CANCELLED');
    assert.equal(snapshots.at(-1)?.status.phase, 'CANCELLED');
    // Only changes are printed when stdout is not a terminal.
    const distinct = new Set(snapshots.map((s) => JSON.stringify(s)));
    assert.equal(distinct.size, snapshots.length);
    const recordings = await cli('recordings', id);
    assert.equal(recordings.code, 1);
    assert.match(recordings.stderr, /ended CANCELLED: it has no recordings index/);
  });

  void test('status of a failed show gives its cause', async () => {
    const id = h.showId('cli-fail');
    const started = await cli(
      'start',
      await writeSpec({
        id,
        name: 'Missing bucket',
        schedule: { duration: '10m', leadTime: 0 },
        composition: { recording: { bucket: `missing-${id}` } },
      }),
    );
    assert.equal(started.code, 0, started.stderr);
    await h.client.workflow
      .getHandle(`show-${id}`)
      .result()
      .catch(() => undefined);
    const status = await cli('status', id);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Phase: +FAILED/);
    assert.match(status.stdout, /Outcome: +FAILED: preparing \(ensureStorageConfiguration\): .*S3 bucket must exist/);

    // A show whose workflow refused its spec at the start (a client bypassed the CLI) never answers a status
    // query: the status says why it failed instead.
    const badId = h.showId('cli-badspec');
    const spec = {
      ...parseShowSpec({ id: badId, name: 'Bad', schedule: { duration: '10m' } }),
      account: 'constructor',
    };
    const handle = await h.client.workflow.start('showWorkflow', {
      workflowId: `show-${badId}`,
      taskQueue: h.taskQueue,
      args: [{ spec }],
    });
    await handle.result().catch(() => undefined);
    const refused = await cli('status', badId);
    assert.equal(refused.code, 0, refused.stderr);
    assert.match(refused.stdout, /Failure: +.*account: must be a 12-digit AWS account ID/);
  });

  void test('start --at creates the workflow later; status says when', async () => {
    const id = h.showId('cli-later');
    const at = new Date(Date.now() + 10 * 60_000);
    const started = await cli(
      'start',
      await writeSpec({ id, name: 'Later', schedule: { duration: '10m', leadTime: '1m' } }),
      '--at',
      at.toISOString(),
    );
    assert.equal(started.code, 0, started.stderr);
    const status = parseJson<{ pending?: string }>(await cli('--json', 'status', id));
    const workflowStart = new Date(at.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, '');
    assert.match(status.pending ?? '', new RegExp(`SCHEDULED: its workflow starts at ${workflowStart.slice(0, 16)}`));
  });
});
