import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { bucketNameProblem, showSpecProblems, specProblemsText } from '../../contracts/show-spec-check';
import { ENCODER_PRESETS } from '../../show-spec/encoder-presets';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { ShowSpec } from '../../show-spec/show-spec';

/** The show workflow's own check of its spec (issue 11 item 6), without the zod schema. */
const PRESETS = Object.keys(ENCODER_PRESETS);
const EXAMPLES = path.resolve(__dirname, '../../examples');

function validSpec(): ShowSpec {
  return parseShowSpec({
    id: 'checked',
    name: 'Checked show',
    account: '111122223333',
    region: 'eu-west-1',
    schedule: { start: '2030-01-01T10:00:00Z', end: '2030-01-01T11:00:00Z' },
    participants: [{ userId: 'alice', role: 'host', attributes: { team: 'a' } }],
    ingest: { enabled: true },
    composition: {
      channelArn: 'arn:aws:ivs:eu-west-1:111122223333:channel/abcd1234',
      encoder: { preset: 'hd-720p30' },
      recording: { bucket: 'show-recordings' },
    },
    individualRecording: {
      storage: { storageConfigurationArn: 'arn:aws:ivs:eu-west-1:111122223333:storage-configuration/x1' },
    },
  });
}

/** A parsed spec with one field replaced, as a client that bypasses the CLI could send it. */
function withField(path: string, value: unknown): unknown {
  const spec = JSON.parse(JSON.stringify(validSpec())) as Record<string, unknown>;
  const keys = path.split('.');
  let o = spec;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  Object.defineProperty(o, keys[keys.length - 1]!, { value, enumerable: true, configurable: true, writable: true });
  return spec;
}

const problemsOf = (spec: unknown) => showSpecProblems(spec, PRESETS);

void describe('the workflow-safe show spec check', () => {
  void test('accepts every parsed example spec', () => {
    assert.deepEqual(problemsOf(validSpec()), []);
    assert.deepEqual(
      problemsOf(parseShowSpec(parseYaml(readFileSync(path.join(EXAMPLES, 'basic-show.yaml'), 'utf8')))),
      [],
    );
    assert.deepEqual(
      problemsOf(parseShowSpec(JSON.parse(readFileSync(path.join(EXAMPLES, 'recorded-panel.json'), 'utf8')))),
      [],
    );
  });

  const cases: [string, unknown, string, RegExp][] = [
    ['account', '12345', 'account', /12-digit AWS account ID/],
    ['account', '__proto__', 'account', /12-digit AWS account ID/],
    ['account', 'constructor', 'account', /12-digit AWS account ID/],
    ['account', 111122223333, 'account', /must be a string/],
    ['region', 'us-east-1; rm -rf', 'region', /AWS region/],
    ['composition.recording.bucket', 'My_Bucket', 'composition.recording.bucket', /S3 bucket name/],
    ['composition.recording.bucket', 'a..b', 'composition.recording.bucket', /adjacent dots/],
    ['composition.recording.bucket', '10.0.0.1', 'composition.recording.bucket', /IP address/],
    [
      'composition.channelArn',
      'arn:aws:ivs:eu-west-1:111122223333:stage/abcd',
      'composition.channelArn',
      /IVS channel ARN/,
    ],
    [
      'individualRecording.storage.storageConfigurationArn',
      'arn:aws:s3:::bucket',
      'individualRecording.storage.storageConfigurationArn',
      /IVS storage-configuration ARN/,
    ],
    ['composition.encoder', { preset: 'toString' }, 'composition.encoder.preset', /must be one of/],
    ['schedule.start', 'tomorrow', 'schedule.start', /ISO 8601/],
    ['schedule.end', '2029-12-31T10:00:00Z', 'schedule.end', /after start/],
    ['schedule.end', '2030-01-03T10:00:00Z', 'schedule.end', /24 hours/],
    ['schedule.leadTime', -1, 'schedule.leadTime', /from 0/],
    ['policies.pollInterval', '10s', 'policies.pollInterval', /number/],
    ['policies.keep', undefined, 'policies.keep', /required/],
    ['tags', { 'showrunner:managed': 'false' }, 'tags.showrunner:managed', /reserved/],
    ['participants.0.tokenDuration', 90_000, 'participants.0.tokenDuration', /whole number of minutes/],
    ['id', '../other', 'id', /slug/],
  ];
  for (const [field, value, expectedPath, rule] of cases)
    void test(`refuses ${field} = ${JSON.stringify(value)}, naming ${expectedPath}`, () => {
      const problems = problemsOf(withField(field, value));
      const problem = problems.find((p) => p.path === expectedPath);
      assert.ok(problem, `problems: ${specProblemsText(problems)}`);
      assert.match(problem.rule, rule);
    });

  void test('reads own properties only: an inherited field is not there', () => {
    const spec = Object.create({ account: '__proto__', policies: {} }) as Record<string, unknown>;
    Object.assign(spec, JSON.parse(JSON.stringify(validSpec())));
    delete spec.account;
    assert.deepEqual(problemsOf(spec), []);
    assert.deepEqual(problemsOf(JSON.parse('{"__proto__": {"id": "x"}}')).slice(0, 1), [
      { path: 'id', rule: 'is required' },
    ]);
  });

  void test('anything that is not a spec is refused, never thrown on', () => {
    for (const value of [null, undefined, 42, 'spec', [], { schedule: null, participants: 'x', policies: [] }])
      assert.ok(problemsOf(value).length > 0, JSON.stringify(value));
  });

  void test('the S3 bucket rules', () => {
    for (const ok of ['abc', 'my.bucket-1', 'a'.repeat(63)]) assert.equal(bucketNameProblem(ok), undefined, ok);
    for (const bad of ['ab', 'a'.repeat(64), '-abc', 'abc-', 'ABC', 'a_b', 'a..b', '192.168.0.1'])
      assert.ok(bucketNameProblem(bad), bad);
  });
});
