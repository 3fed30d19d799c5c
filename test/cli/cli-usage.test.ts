import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { testTemporalEnv } from '../support/test-env';
import { cliEnv, runAll, runCli, writeSpec } from './cli-runner';

const COMMANDS = [
  [],
  ['start'],
  ['schedule'],
  ['schedule', 'create'],
  ['schedule', 'list'],
  ['schedule', 'describe'],
  ['schedule', 'pause'],
  ['schedule', 'unpause'],
  ['schedule', 'trigger'],
  ['schedule', 'backfill'],
  ['schedule', 'delete'],
  ['list'],
  ['status'],
  ['end'],
  ['extend'],
  ['cancel'],
  ['token'],
  ['recordings'],
];

void describe('showrunner CLI: usage, validation and errors (no worker needed)', () => {
  let connection: Connection;
  let client: Client;
  const env = cliEnv(undefined, { SHOWRUNNER_TASK_QUEUE: `cli-usage-${randomBytes(3).toString('hex')}` });
  before(async () => {
    const temporal = testTemporalEnv();
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, namespace: temporal.namespace });
  });
  after(async () => connection.close());

  void test('--help works for every command and exits 0', async () => {
    const results = await runAll(
      COMMANDS.map((c) => [...c, '--help']),
      env,
    );
    results.forEach((r, i) => {
      const name = ['showrunner', ...COMMANDS[i]!].join(' ');
      assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`Usage: ${name}`), name);
    });
  });

  void test('an invalid spec exits 2, lists every failing field and starts nothing', async () => {
    const id = `cli-bad-${randomBytes(3).toString('hex')}`;
    const file = await writeSpec({
      id,
      name: 'Bad spec',
      schedule: { duration: '2m', end: '2030-01-01T00:00:00Z' },
      participants: [{ userId: 'a' }, { userId: 'a' }],
      policies: { pollInterval: '10ms', unknownPolicy: true },
    });
    const human = await runCli(['start', file], env);
    assert.equal(human.code, 2, human.stderr);
    assert.equal(human.stdout, '');
    for (const field of ['schedule.end', 'participants', 'policies.pollInterval', 'policies']) {
      assert.match(human.stderr, new RegExp(`- ${field.replace('.', '\\.')}: `), human.stderr);
    }
    const json = await runCli(['--json', 'start', file], env);
    assert.equal(json.code, 2);
    const error = (JSON.parse(json.stderr) as { error: { exitCode: number; issues: { path: string }[] } }).error;
    assert.equal(error.exitCode, 2);
    assert.deepEqual([...new Set(error.issues.map((i) => i.path))].sort(), [
      'participants',
      'policies',
      'policies.pollInterval',
      'schedule.end',
    ]);
    await assert.rejects(client.workflow.getHandle(`show-${id}`).describe(), WorkflowNotFoundError);
  });

  void test('bad arguments are usage errors (exit 2) that say what is wrong', async () => {
    const file = await writeSpec({ id: 'cli-usage-ok', name: 'Ok', schedule: { duration: '2m' } });
    const cases: [string[], RegExp][] = [
      [['start', file, '--at', 'tomorrow'], /ISO 8601 time with a time zone/],
      [['start', file, '--at', '2020-01-01T00:00:00Z'], /in the past/],
      [['start', '/nonexistent/spec.yaml'], /cannot read/],
      [['list', '--phase', 'ON_AIR'], /Allowed choices/],
      [['extend', 'some-show'], /--until/],
      [['token', 'some-show', '--user', 'bob', '--capabilities', 'ADMIN'], /PUBLISH/],
      [['token', 'some-show', '--user', 'bob', '--duration', '1.5'], /whole minutes/],
      [['schedule', 'create', 'nightly', file, '--cron', '0 0 * * *', '--interval', '1h'], /exactly one of/],
      [['schedule', 'create', 'Bad_Id', file, '--interval', '1h'], /lowercase/],
      [['schedule', 'create', 'nightly', file, '--calendar', '{nope'], /must be JSON/],
      [['schedule', 'create', 'nightly', file, '--calendar', '{"hour":1.5}'], /"hour" must use whole numbers/],
      [
        ['schedule', 'create', 'nightly', file, '--calendar', '[{"minute":{"start":0,"end":30,"step":7.5}}]'],
        /"minute" must use whole numbers \(got 7.5\)/,
      ],
      [
        ['schedule', 'create', `nightly-${randomBytes(3).toString('hex')}`, file, '--cron', '61 * * * *'],
        /Invalid --cron or --calendar: Minute/,
      ],
      [['schedule', 'create', 'nightly', file, '--interval', '1h', '--time-zone', 'Mars/Olympus'], /IANA/],
      [['schedule', 'create', 'nightly', file, '--interval', 'often'], /--interval must be a duration/],
      [['schedule', 'backfill', 'nightly', '--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z'], /before/],
      [['frobnicate'], /unknown command/],
    ];
    const results = await runAll(
      cases.map(([args]) => args),
      env,
    );
    results.forEach((r, i) => {
      const [args, message] = cases[i]!;
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    });
    const json = await runCli(['--json', 'list', '--phase', 'ON_AIR'], env);
    assert.equal(json.code, 2);
    assert.match((JSON.parse(json.stderr) as { error: { message: string } }).error.message, /Allowed choices/);
  });

  void test('an unknown show or schedule exits 1 with the command to look it up', async () => {
    const results = await runAll(
      [
        ['status', 'no-such-show'],
        ['end', 'no-such-show'],
        ['token', 'no-such-show', '--user', 'bob'],
        ['recordings', 'no-such-show'],
        ['schedule', 'describe', 'no-such-schedule'],
        ['schedule', 'pause', 'no-such-schedule'],
      ],
      env,
    );
    for (const r of results.slice(0, 4)) {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /No show with id no-such-show: check `showrunner list`/);
    }
    for (const r of results.slice(4)) {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /No schedule with id no-such-schedule: check `showrunner schedule list`/);
    }
    const json = await runCli(['--json', 'status', 'no-such-show'], env);
    assert.equal(json.code, 1);
    assert.equal(json.stdout, '');
    assert.equal((JSON.parse(json.stderr) as { error: { exitCode: number } }).error.exitCode, 1);
  });

  void test('an unreachable Temporal exits 3 and says how to point at one', async () => {
    // Both wait out the connect timeout, so at the same time.
    const [r, json] = await Promise.all([
      runCli(['--address', '127.0.0.1:1', 'list'], env),
      runCli(['list', '--json'], { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' }),
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /Cannot reach Temporal at 127\.0\.0\.1:1: is the server running\? set TEMPORAL_ADDRESS/);
    assert.equal(json.code, 3);
    assert.equal((JSON.parse(json.stderr) as { error: { exitCode: number } }).error.exitCode, 3);
  });
});
