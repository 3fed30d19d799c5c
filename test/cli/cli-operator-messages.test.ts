import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { pastStartWarning } from '../../client/cli/actions/start-show-action';
import { toCliError } from '../../client/cli/error-mapping';
import { statusQuery } from '../../contracts/show-messages';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { waitFor } from '../support/wait-for';
import { cliEnv, parseJson, runCli, writeSpec } from './cli-runner';
import { terminateRunningOn } from '../support/terminate-running';

const HOUR = 3_600_000;

void describe('showrunner CLI: what it says about stuck, failed and re-used shows', () => {
  let h: ShowHarness;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    h = await startShowHarness({ clockScale: 1 });
    env = cliEnv(h);
  });
  after(async () => {
    await terminateRunningOn(h.client, [h.taskQueue, `nobody-${process.pid}`]);
    await h.stop();
  });

  const cli = (...args: string[]) => runCli(args, env);
  /** A show without composition: LIVE as soon as its stage exists, COMPLETED soon after `end`. */
  const plainShow = (id: string, schedule: ShowSpecInput['schedule'] = { duration: '10m', leadTime: 0 }) => ({
    id,
    name: 'CLI messages',
    schedule,
    participants: [{ userId: 'host' }],
  });
  const waitPhase = (id: string, phase: string) =>
    waitFor(async () => (await h.client.workflow.getHandle(`show-${id}`).query(statusQuery)).phase === phase, 60_000, {
      intervalMs: 250,
      description: `${id} ${phase}`,
    });

  void test('start warns about a start in the past; terminate stops at once, says nothing is tidied, names the janitor', async () => {
    const id = h.showId('past');
    const start = new Date(Date.now() - HOUR).toISOString();
    const started = await cli(
      '--json',
      'start',
      await writeSpec(plainShow(id, { start, duration: '2h', leadTime: 0 })),
    );
    assert.equal(started.code, 0, started.stderr);
    const { warnings } = parseJson<{ warnings: string[] }>(started);
    assert.match(warnings[0] ?? '', /start .* is in the past: the show starts now and still ends at/);
    await waitPhase(id, 'LIVE');

    const missingReason = await cli('terminate', id);
    assert.equal(missingReason.code, 2, 'terminate needs a reason');
    const terminated = await cli('terminate', id, '--reason', 'wedged in a test');
    assert.equal(terminated.code, 0, terminated.stderr);
    assert.match(terminated.stdout, /terminated: its workflow stopped at once and tidied up nothing/);
    assert.match(terminated.stdout, /janitor/);
    const status = await cli('status', id);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /TERMINATED/);
    assert.match(status.stdout, /Failure: +wedged in a test/);
  });

  void test('status of a failed show gives the cause, not only FAILED', async () => {
    const id = h.showId('failed');
    const bucket = `missing-${randomBytes(6).toString('hex')}`;
    const started = await cli('start', await writeSpec({ ...plainShow(id), composition: { recording: { bucket } } }));
    assert.equal(started.code, 0, started.stderr);
    await waitFor(
      async () => (await h.client.workflow.getHandle(`show-${id}`).describe()).status.name === 'FAILED',
      60_000,
      {
        intervalMs: 250,
      },
    );
    const status = await cli('status', id);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Phase: +FAILED/);
    // The outcome line names the phase, the step and IVS's own words about the bucket, not only FAILED.
    assert.match(status.stdout, /Outcome: +FAILED: preparing \(ensureStorageConfiguration\): .*ValidationException/);
    assert.match(status.stdout, /Outcome: .*bucket must exist/i);
  });

  void test('cancel and status say why a show on a queue without a worker makes no progress', async () => {
    const id = h.showId('stuck');
    const queue = `nobody-${process.pid}`;
    const started = await cli('--task-queue', queue, 'start', await writeSpec(plainShow(id)));
    assert.equal(started.code, 0, started.stderr);
    const cancelled = await cli('--task-queue', queue, 'cancel', id);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, new RegExp(`not making progress: no worker polls its task queue ${queue}`));
    assert.match(cancelled.stdout, /showrunner terminate/);
    const status = await cli('status', id);
    assert.equal(status.code, 1);
    assert.match(status.stderr, /did not answer the status query .*no worker polls its task queue/);
    assert.doesNotMatch(status.stderr, /Cannot reach Temporal/);
  });

  void test('recordings notes a show ID used twice and reads another run with --run', async () => {
    const id = h.showId('reused');
    const runIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const started = await cli('start', await writeSpec(plainShow(id)));
      assert.equal(started.code, 0, started.stderr);
      await waitPhase(id, 'LIVE');
      const ended = await cli('end', id);
      assert.equal(ended.code, 0, ended.stderr);
      const handle = h.client.workflow.getHandle(`show-${id}`);
      await handle.result();
      runIds.push((await handle.describe()).runId);
    }
    const latest = await cli('recordings', id);
    assert.match(
      latest.stderr,
      new RegExp(`show ID ${id} was used for 2 shows; this is run ${runIds[1]} \\(the latest\\)`),
    );
    assert.match(latest.stderr, new RegExp(runIds[0]!));
    const first = await cli('recordings', id, '--run', runIds[0]!);
    assert.match(first.stderr, new RegExp(`this is run ${runIds[0]}\\.`));
    const malformed = await cli('recordings', id, '--run', 'not-a-run');
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /--run not-a-run is not a run ID/);
    const unknown = await cli('recordings', id, '--run', '00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /has no run 00000000-0000-4000-8000-000000000000/);
  });
});

void describe('CLI messages without a server', () => {
  void test('gRPC status codes become sentences; a deadline is a timeout, not an unreachable server', () => {
    const denied = Object.assign(new Error('7 PERMISSION_DENIED: Request unauthorized.'), { code: 7 });
    const message = toCliError(denied, '127.0.0.1:7233').message;
    assert.match(message, /^Temporal refused the request: these credentials may not do this/);
    assert.match(message, /\(Request unauthorized\.\)$/);
    assert.doesNotMatch(message, /PERMISSION_DENIED/);
    const late = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { code: 4 });
    const timeout = toCliError(late, '127.0.0.1:7233');
    assert.match(timeout.message, /did not answer in time/);
    assert.equal(timeout.exitCode, 1);
    const down = Object.assign(new Error('14 UNAVAILABLE: connect failed'), { code: 14 });
    assert.equal(toCliError(down, '127.0.0.1:7233').exitCode, 3);
  });

  void test('a past start is warned about, worse when the planned end has passed too', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    const spec = (schedule: ShowSpecInput['schedule']) =>
      parseShowSpec({ id: 'x', name: 'x', schedule, participants: [{ userId: 'a' }] });
    assert.equal(pastStartWarning(spec({ duration: '1h' }), now), undefined, 'no start: starts now');
    assert.equal(pastStartWarning(spec({ start: '2026-12-02T13:00:00Z', duration: '1h' }), now), undefined);
    assert.match(
      pastStartWarning(spec({ start: '2026-12-02T11:30:00Z', duration: '1h' }), now) ?? '',
      /is in the past: the show starts now and still ends at 2026-12-02T12:30:00Z/,
    );
    assert.match(
      pastStartWarning(spec({ start: '2026-03-12T16:00:00Z', duration: '90m' }), now) ?? '',
      /start 2026-03-12T16:00:00Z and planned end 2026-03-12T17:30:00Z are in the past/,
    );
  });
});
