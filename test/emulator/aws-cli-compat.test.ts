import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import {
  CreateEncoderConfigurationCommand,
  CreateStorageConfigurationCommand,
  GetCompositionCommand,
  GetStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';

/**
 * The emulator against another AWS client: the AWS CLI (botocore), which serializes, percent-encodes and
 * signs on its own, so it catches protocol details the JS SDK happens to be lenient about.
 */
const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const awsVersion = probe.status === 0 ? `${probe.stdout}${probe.stderr}`.trim() : undefined;
const SKIP_REASON = `the aws CLI is not on PATH (${probe.error?.message ?? `exit ${probe.status}`}); install it to run these`;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

void describe(`AWS CLI compatibility (${awsVersion ?? 'aws CLI missing'})`, () => {
  let fx: EmulatorFixture;
  let home: string;

  before(async () => {
    fx = await startEmulatorFixture();
    // A HOME of its own so a developer's ~/.aws config or credentials cannot change what is sent.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-cli-home-'));
  });
  after(async () => {
    await fx.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  function aws(args: string[]): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    // pyenv shims find their installation through PYENV_ROOT, which defaults to ~/.pyenv of the real HOME.
    if (process.env.PYENV_ROOT) env.PYENV_ROOT = process.env.PYENV_ROOT;
    else if (process.env.HOME) env.PYENV_ROOT = path.join(process.env.HOME, '.pyenv');
    return new Promise((resolve, reject) => {
      const child = spawn(
        'aws',
        ['ivs-realtime', ...args, '--endpoint-url', fx.emulator.endpoint, '--output', 'json'],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function awsJson<T>(args: string[]): Promise<T> {
    const result = await aws(args);
    assert.equal(result.code, 0, `aws ${args.join(' ')} failed: ${result.stderr}`);
    return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
  }

  const skipWithoutCli = (t: TestContext): boolean => {
    if (awsVersion) return false;
    t.skip(SKIP_REASON);
    return true;
  };

  let stageArn: string;

  void test('create-stage and list-stages', async (t) => {
    if (skipWithoutCli(t)) return;
    const created = await awsJson<{
      stage: { arn: string; name: string; tags: Record<string, string> };
      participantTokens: { participantId: string; expirationTime: string; capabilities: string[] }[];
    }>([
      'create-stage',
      '--name',
      'cli-stage',
      '--tags',
      'team=cli,show=pilot',
      '--participant-token-configurations',
      JSON.stringify([{ userId: 'host', capabilities: ['PUBLISH', 'SUBSCRIBE'] }, { userId: 'viewer' }]),
    ]);
    stageArn = created.stage.arn;
    assert.match(stageArn, /^arn:aws:ivs:us-east-1:123456789012:stage\/[a-zA-Z0-9]{12}$/);
    assert.deepEqual(created.stage.tags, { team: 'cli', show: 'pilot' });
    assert.equal(created.participantTokens.length, 2);
    assert.notEqual(created.participantTokens[0]!.participantId, created.participantTokens[1]!.participantId);
    assert.ok(!Number.isNaN(Date.parse(created.participantTokens[0]!.expirationTime)), 'botocore parsed the timestamp');

    const listed = await awsJson<{ stages: { arn: string; name: string }[] }>(['list-stages', '--max-results', '10']);
    assert.deepEqual(
      listed.stages.map((s) => [s.arn, s.name]),
      [[stageArn, 'cli-stage']],
    );
    assert.equal((await fx.ivs.send(new GetStageCommand({ arn: stageArn }))).stage!.name, 'cli-stage');
  });

  // Each CLI run costs about a second of Python start-up: what does not depend on another runs concurrently.
  void describe('on the stage created above', { concurrency: true }, () => {
    void test('tag-resource, untag-resource, list-tags-for-resource (ARN in the path, tagKeys in the query)', async (t) => {
      if (skipWithoutCli(t)) return;
      await awsJson(['tag-resource', '--resource-arn', stageArn, '--tags', 'a=1,b=two words,c=x/y']);
      await awsJson(['untag-resource', '--resource-arn', stageArn, '--tag-keys', 'a', 'team']);
      const { tags } = await awsJson<{ tags: Record<string, string> }>([
        'list-tags-for-resource',
        '--resource-arn',
        stageArn,
      ]);
      assert.deepEqual(tags, { show: 'pilot', b: 'two words', c: 'x/y' });
    });

    void test('get-stage on a missing ARN exits non-zero with ResourceNotFoundException', async (t) => {
      if (skipWithoutCli(t)) return;
      const result = await aws(['get-stage', '--arn', 'arn:aws:ivs:us-east-1:123456789012:stage/AAAAAAAAAAAA']);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /ResourceNotFoundException/);
      assert.match(result.stderr, /GetStage/);
    });

    void test('create-participant-token', async (t) => {
      if (skipWithoutCli(t)) return;
      const { participantToken } = await awsJson<{
        participantToken: { token: string; userId: string; duration: number; capabilities: string[] };
      }>([
        'create-participant-token',
        '--stage-arn',
        stageArn,
        '--user-id',
        'guest',
        '--duration',
        '30',
        '--capabilities',
        'SUBSCRIBE',
        '--attributes',
        'displayName=Guest',
      ]);
      assert.equal(participantToken.token.split('.').length, 3);
      assert.equal(participantToken.userId, 'guest');
      assert.equal(participantToken.duration, 30);
      assert.deepEqual(participantToken.capabilities, ['SUBSCRIBE']);
    });

    void test('start-composition with --cli-input-json, then stop-composition', async (t) => {
      if (skipWithoutCli(t)) return;
      const bucket = await fx.createBucket('cli');
      const storageArn = (await fx.ivs.send(new CreateStorageConfigurationCommand({ s3: { bucketName: bucket } })))
        .storageConfiguration!.arn!;
      const encoderArn = (await fx.ivs.send(new CreateEncoderConfigurationCommand({}))).encoderConfiguration!.arn!;
      const input = {
        stageArn,
        layout: { grid: { featuredParticipantAttribute: 'featured' } },
        destinations: [{ s3: { storageConfigurationArn: storageArn, encoderConfigurationArns: [encoderArn] } }],
        tags: { via: 'cli' },
      };
      const { composition } = await awsJson<{
        composition: { arn: string; stageArn: string; state: string; destinations: { id: string }[] };
      }>(['start-composition', '--cli-input-json', JSON.stringify(input)]);
      assert.match(composition.arn, /^arn:aws:ivs:us-east-1:123456789012:composition\//);
      assert.equal(composition.stageArn, stageArn);
      assert.equal(composition.destinations.length, 1);
      const viaSdk = (await fx.ivs.send(new GetCompositionCommand({ arn: composition.arn }))).composition!;
      assert.deepEqual(viaSdk.tags, { via: 'cli' });

      await awsJson(['stop-composition', '--arn', composition.arn]);
      const stopping = (await fx.ivs.send(new GetCompositionCommand({ arn: composition.arn }))).composition!;
      assert.ok(['STOPPING', 'STOPPED'].includes(stopping.state!), stopping.state);
    });
  });
});
