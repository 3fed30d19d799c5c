import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseDuration } from '../../show-spec/durations';
import type { FieldIssue } from '../../contracts/issues';
import { loadShowSpecFile, parseShowSpec, parseShowSpecText, ShowSpecError } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import { LOCAL_STACK_BUCKET } from '../../dev/aws/local-aws';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const minimal = (): ShowSpecInput => ({ id: 'demo', name: 'Demo', schedule: { duration: '1h' } });
const withSpec = (patch: Record<string, unknown>): unknown => ({ ...minimal(), ...patch });

/** The issues a spec fails with; fails the test if it parses or throws anything but a ShowSpecError. */
function issuesOf(input: unknown): FieldIssue[] {
  try {
    parseShowSpec(input);
  } catch (error) {
    if (error instanceof ShowSpecError) return error.issues;
    throw error;
  }
  assert.fail(`expected the spec to be rejected: ${JSON.stringify(input)}`);
}

function assertRejected(input: unknown, path: string, message: RegExp = /./): void {
  const issues = issuesOf(input);
  assert.ok(
    issues.some((i) => i.path === path && message.test(i.message)),
    `expected an issue at ${path} matching ${String(message)}, got ${JSON.stringify(issues)}`,
  );
}

void describe('examples', () => {
  void test('basic-show.yaml parses', async () => {
    const spec = await loadShowSpecFile(path.join(EXAMPLES, 'basic-show.yaml'));
    assert.equal(spec.id, 'weekly-dev-talk-ep42');
    assert.deepEqual(
      spec.participants.map((p) => [p.userId, p.role]),
      [
        ['host-alice', 'host'],
        ['host-bob', 'host'],
        ['guest-carmen', 'guest'],
      ],
    );
    assert.equal(spec.ingest?.protocol, 'RTMPS');
    assert.match(spec.composition?.channelArn ?? '', /:channel\//);
    // The bucket `npm run stack` makes, so the example runs on the local stack as it is.
    assert.deepEqual(spec.composition?.recording, { bucket: LOCAL_STACK_BUCKET, hlsSegmentSeconds: 2 });
    assert.deepEqual(spec.individualRecording?.storage, { bucket: LOCAL_STACK_BUCKET });
    assert.equal(spec.schedule.start, undefined, 'starts now: a fixed date would soon be in the past');
    assert.deepEqual(spec.policies, parseShowSpec(minimal()).policies, 'default policies');
    assert.equal(spec.schedule.duration, 90 * MINUTE);
    assert.equal(spec.participants[2]?.tokenDuration, 3 * HOUR);
  });

  void test('recorded-panel.json parses', async () => {
    const spec = await loadShowSpecFile(path.join(EXAMPLES, 'recorded-panel.json'));
    assert.equal(spec.composition?.layout.type, 'pip');
    assert.equal(spec.composition?.channelArn, undefined);
    assert.ok(spec.composition?.recording && 'storageConfigurationArn' in spec.composition.recording);
    assert.equal(spec.policies.restartBackoff.max, 2 * MINUTE);
    assert.equal(Date.parse(spec.schedule.end ?? '') - Date.parse(spec.schedule.start ?? ''), 90 * MINUTE);
  });

  void test('invalid-show.yaml lists every failing field, exactly those its header comment announces', async () => {
    const file = path.join(EXAMPLES, 'invalid-show.yaml');
    const error = await loadShowSpecFile(file).then(
      () => assert.fail('invalid-show.yaml parsed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ShowSpecError);
    assert.equal(error.source, file);
    assert.ok(error.message.includes(file));
    const announced = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^# {3}(\S+) {2,}\S/.exec(line)?.[1])
      .filter((p): p is string => p !== undefined);
    assert.ok(announced.length >= 5);
    assert.deepEqual(error.issues.map((i) => i.path).sort(), announced.sort());
    for (const issue of error.issues) assert.ok(issue.message.length > 0);
  });
});

void describe('defaults', () => {
  void test('a minimal spec gets every default', () => {
    const spec = parseShowSpec(minimal());
    assert.deepEqual(spec, {
      id: 'demo',
      name: 'Demo',
      tags: {},
      schedule: { duration: HOUR, leadTime: 2 * MINUTE },
      participants: [],
      policies: {
        startComposition: 'on-first-publisher',
        publisherWaitTimeout: 15 * MINUTE,
        pollInterval: 10_000,
        reconnectingTolerance: 60_000,
        maxCompositionRestarts: 3,
        restartBackoff: { initial: 5_000, multiplier: 2, max: 60_000 },
        recordingsSettleTimeout: 5 * MINUTE,
        keep: { stage: false, ingestConfiguration: false, publicKey: false, recordingsIndex: true },
      },
    });
  });

  void test('participants, ingest, composition and individual recording get theirs', () => {
    const spec = parseShowSpec(
      withSpec({
        participants: [{ userId: 'alice' }],
        ingest: {},
        composition: { recording: { bucket: 'recordings' } },
        individualRecording: { storage: { bucket: 'recordings' } },
        policies: { restartBackoff: { initial: '1s' }, keep: { stage: true } },
      }),
    );
    assert.deepEqual(spec.participants, [
      {
        userId: 'alice',
        role: 'guest',
        attributes: {},
        capabilities: ['PUBLISH', 'SUBSCRIBE'],
        tokenDuration: 720 * MINUTE,
      },
    ]);
    assert.deepEqual(spec.ingest, { enabled: true, protocol: 'RTMPS', allowInsecure: false, attributes: {} });
    assert.deepEqual(spec.composition, {
      enabled: true,
      layout: { type: 'grid' },
      encoder: { preset: 'hd-720p30' },
      recording: { bucket: 'recordings', hlsSegmentSeconds: 2 },
    });
    assert.deepEqual(spec.individualRecording, {
      enabled: true,
      storage: { bucket: 'recordings' },
      mediaType: 'AUDIO_VIDEO',
      hlsSegmentSeconds: 6,
      reconnectWindowSeconds: 0,
    });
    // Partly given nested objects keep what was given and fill the rest.
    assert.deepEqual(spec.policies.restartBackoff, { initial: 1_000, multiplier: 2, max: 60_000 });
    assert.deepEqual(spec.policies.keep, {
      stage: true,
      ingestConfiguration: false,
      publicKey: false,
      recordingsIndex: true,
    });
  });
});

void describe('durations', () => {
  const cases: [string | number, number][] = [
    ['90s', 90_000],
    ['5m', 5 * MINUTE],
    ['1h', HOUR],
    ['1.5h', 90 * MINUTE],
    ['2 hours', 2 * HOUR],
    ['PT1H30M', 90 * MINUTE],
    ['PT90S', 90_000],
    ['PT1.5S', 1_500],
    ['P1D', 24 * HOUR],
    [120_000, 120_000],
    [60_000.4, 60_000],
  ];
  for (const [input, millis] of cases) {
    void test(`${JSON.stringify(input)} is ${millis} ms`, () => {
      // leadTime: its 0 minimum lets sub-minute values through.
      assert.equal(
        parseShowSpec(withSpec({ schedule: { duration: '1h', leadTime: input } })).schedule.leadTime,
        millis,
      );
    });
  }

  void test('parseDuration rejects what is not a duration', () => {
    for (const text of ['soon', 'P', 'PT', 'P1DT', '1:30', '5 parsecs', 'PT1H30', '1e3m']) {
      assert.equal(parseDuration(text), undefined, text);
    }
  });

  void test('bad durations are rejected naming the field', () => {
    for (const bad of ['soon', 'P', 'PT', '1:30', '   ']) {
      assertRejected(withSpec({ schedule: { duration: bad } }), 'schedule.duration', /must be a duration like/);
    }
    assertRejected(withSpec({ schedule: { duration: true } }), 'schedule.duration');
    assertRejected(
      withSpec({ participants: [{ userId: 'a', tokenDuration: 'forever' }] }),
      'participants.0.tokenDuration',
    );
    assertRejected(withSpec({ policies: { restartBackoff: { max: 'later' } } }), 'policies.restartBackoff.max');
  });

  void test('numbers are milliseconds, and bounds apply', () => {
    // 5 means 5 ms, not 5 minutes: below the 1-minute minimum.
    assertRejected(withSpec({ schedule: { duration: 5 } }), 'schedule.duration', /between 1m and 1d/);
    assertRejected(withSpec({ schedule: { duration: '-5m' } }), 'schedule.duration', /between/);
    assertRejected(withSpec({ policies: { pollInterval: '500ms' } }), 'policies.pollInterval', /between 1s and 10m/);
    assertRejected(withSpec({ participants: [{ userId: 'a', tokenDuration: '15d' }] }), 'participants.0.tokenDuration');
    assert.equal(
      parseShowSpec(withSpec({ participants: [{ userId: 'a', tokenDuration: '14d' }] })).participants[0]?.tokenDuration,
      20_160 * MINUTE,
    );
  });

  void test('an empty duration string is a ShowSpecError', () => {
    assertRejected(withSpec({ schedule: { duration: '' } }), 'schedule.duration');
  });

  void test('an out-of-range message shows the value given', () => {
    assertRejected(withSpec({ schedule: { duration: '25h' } }), 'schedule.duration', /got (25h|1d 1h|1\.04d)/);
  });
});

void describe('rules', () => {
  void test('RTMP needs allowInsecure', () => {
    assertRejected(withSpec({ ingest: { protocol: 'RTMP' } }), 'ingest.protocol', /allowInsecure/);
    assert.equal(
      parseShowSpec(withSpec({ ingest: { protocol: 'RTMP', allowInsecure: true } })).ingest?.protocol,
      'RTMP',
    );
  });

  void test('exactly one of end and duration', () => {
    const start = '2030-05-01T10:00:00Z';
    assertRejected(
      withSpec({ schedule: { start, end: '2030-05-01T11:00:00Z', duration: '1h' } }),
      'schedule.end',
      /exactly one/,
    );
    assertRejected(withSpec({ schedule: { start } }), 'schedule.end', /exactly one/);
    assert.equal(
      parseShowSpec(withSpec({ schedule: { start, end: '2030-05-01T12:00:00+01:00' } })).schedule.duration,
      undefined,
    );
    assertRejected(withSpec({ schedule: { start, end: '2030-05-01T09:00:00Z' } }), 'schedule.end', /after start/);
    // Without a start, end is measured from now.
    const inAnHour = new Date(Date.now() + HOUR).toISOString();
    assert.equal(parseShowSpec(withSpec({ schedule: { end: inAnHour } })).schedule.end, inAnHour);
    assertRejected(
      withSpec({ schedule: { end: new Date(Date.now() - HOUR).toISOString() } }),
      'schedule.end',
      /after start/,
    );
  });

  void test('times need a time zone', () => {
    assertRejected(withSpec({ schedule: { start: '2030-05-01T10:00:00', duration: '1h' } }), 'schedule.start');
  });

  void test('a show lasts at most 24 hours', () => {
    const start = '2030-05-01T10:00:00Z';
    assertRejected(withSpec({ schedule: { duration: '25h' } }), 'schedule.duration');
    assertRejected(withSpec({ schedule: { duration: 24 * HOUR + 1 } }), 'schedule.duration');
    assert.equal(parseShowSpec(withSpec({ schedule: { duration: '24h' } })).schedule.duration, 24 * HOUR);
    assertRejected(withSpec({ schedule: { start, end: '2030-05-02T10:00:01Z' } }), 'schedule.end', /at most 24 hours/);
    parseShowSpec(withSpec({ schedule: { start, end: '2030-05-02T10:00:00Z' } }));
    assertRejected(
      withSpec({ schedule: { end: new Date(Date.now() + 25 * HOUR).toISOString() } }),
      'schedule.end',
      /24 hours/,
    );
  });

  void test('at most 12 participants', () => {
    const people = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: `user-${i}` }));
    assert.equal(parseShowSpec(withSpec({ participants: people(12) })).participants.length, 12);
    assertRejected(withSpec({ participants: people(13) }), 'participants', /at most 12/);
  });

  void test('userIds are unique', () => {
    assertRejected(
      withSpec({ participants: [{ userId: 'a' }, { userId: 'b' }, { userId: 'a' }] }),
      'participants',
      /unique/,
    );
  });

  void test('attributes total at most 1 KB, counted in bytes', () => {
    const sized = (bytes: number) => ({ k: 'x'.repeat(bytes - 1) });
    parseShowSpec(withSpec({ participants: [{ userId: 'a', attributes: sized(1024) }] }));
    assertRejected(
      withSpec({ participants: [{ userId: 'a', attributes: sized(1025) }] }),
      'participants.0.attributes',
      /1 KB/,
    );
    // 'é' is two bytes in UTF-8: 513 of them are 1026 bytes although only 513 characters.
    assertRejected(
      withSpec({ participants: [{ userId: 'a', attributes: { k: 'é'.repeat(513) } }] }),
      'participants.0.attributes',
    );
    assertRejected(withSpec({ ingest: { attributes: sized(2000) } }), 'ingest.attributes');
  });

  void test('reserved tag prefixes', () => {
    for (const key of ['aws:cost', 'AWS:cost', 'showrunner:show-id']) {
      assertRejected(withSpec({ tags: { [key]: 'x' } }), 'tags', /reserved/);
    }
    assert.deepEqual(parseShowSpec(withSpec({ tags: { 'team:aws': 'x' } })).tags, { 'team:aws': 'x' });
  });

  void test('unknown fields are rejected at every level', () => {
    assertRejected(withSpec({ stage: 'x' }), '(spec)', /Unrecognized key: "stage"/);
    assertRejected(withSpec({ schedule: { duration: '1h', timezone: 'UTC' } }), 'schedule', /timezone/);
    assertRejected(withSpec({ participants: [{ userId: 'a', token: 'x' }] }), 'participants.0', /token/);
    assertRejected(withSpec({ policies: { keep: { channel: true } } }), 'policies.keep', /channel/);
    assertRejected(
      withSpec({ composition: { recording: { bucket: 'recordings' }, layout: { type: 'grid', pipWidth: 1 } } }),
      'composition.layout',
      /pipWidth/,
    );
    assertRejected(
      withSpec({ individualRecording: { storage: { bucket: 'recordings', prefix: 'x' } } }),
      'individualRecording.storage',
    );
  });

  void test('unknown fields in composition.recording are rejected', () => {
    assertRejected(
      withSpec({ composition: { recording: { bucket: 'recordings', hlsSegmentSecond: 4 } } }),
      'composition.recording',
    );
  });

  void test('an enabled composition needs somewhere to go', () => {
    assertRejected(withSpec({ composition: {} }), 'composition.channelArn', /needs a channelArn/);
    parseShowSpec(withSpec({ composition: { enabled: false } }));
  });

  void test('every failing field is reported, not just the first', () => {
    const issues = issuesOf({ id: 'Bad Id', name: '', schedule: { duration: '1h' }, region: 'moon' });
    assert.deepEqual([...new Set(issues.map((i) => i.path))].sort(), ['id', 'name', 'region']);
  });
});

void describe('files', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-spec-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function fileIssues(name: string, content: string): Promise<ShowSpecError> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return loadShowSpecFile(file).then(
      () => assert.fail(`${name} parsed`),
      (e: unknown) => {
        assert.ok(e instanceof ShowSpecError, String(e));
        return e;
      },
    );
  }

  void test('a YAML syntax error is a (file) issue', async () => {
    const error = await fileIssues('broken.yaml', 'id: demo\nschedule: {duration: 1h\nname: x\n');
    assert.equal(error.issues.length, 1);
    assert.equal(error.issues[0]?.path, '(file)');
    assert.match(error.issues[0]?.message ?? '', /not valid YAML/);
  });

  void test('a JSON syntax error is a (file) issue', async () => {
    const error = await fileIssues('broken.json', '{"id": "demo",}');
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ['(file)'],
    );
    assert.match(error.issues[0]?.message ?? '', /not valid JSON/);
  });

  void test('an empty file is rejected as a whole', async () => {
    const error = await fileIssues('empty.yaml', '# nothing here\n');
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ['(spec)'],
    );
  });

  void test('a missing file gives a clear issue', async () => {
    const missing = path.join(dir, 'no-such-show.yaml');
    const error = await loadShowSpecFile(missing).then(
      () => assert.fail('parsed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ShowSpecError);
    assert.deepEqual(error.issues, [{ path: '(file)', message: `cannot read ${missing}: ENOENT` }]);
  });

  void test('parseShowSpecText reads YAML and JSON', () => {
    const yaml = 'id: demo\nname: Demo\nschedule:\n  duration: 30m\n';
    assert.equal(parseShowSpecText(yaml, 'yaml').schedule.duration, 30 * MINUTE);
    assert.equal(parseShowSpecText(JSON.stringify(minimal()), 'json').schedule.duration, HOUR);
  });
});
