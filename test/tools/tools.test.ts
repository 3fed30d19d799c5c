import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ensureTemporalCli, TEMPORAL_CLI_ENV_VAR } from '../../dev/tools/ensure-temporal-cli';
import { firstBuildNotice } from '../../dev/tools/go-install';
import { toolSpec } from '../../dev/tools/tool-versions';
import { canConnect, isPortFree } from '../../dev/process/net-utils';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../../dev/services/search-attributes';
import { restartTemporalDevServer, startTemporalDevServer } from '../../dev/services/temporal-dev-server';
import { startVersitygw } from '../../dev/services/versitygw';
import { runTemporalCli } from '../../dev/tools/temporal-cli-exec';
import { testS3ClientConfig, testTemporalEnv } from '../support/test-env';

function tempDir(t: { after(fn: () => void): void }, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  }
}

void describe('suite S3 server (versitygw)', () => {
  void test('accepts create-bucket, put, list and get with metadata', async () => {
    const s3 = new S3Client(testS3ClientConfig());
    const bucket = `tools-test-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'shows/show-1/manifest.json',
        Body: '{"ok":true}',
        ContentType: 'application/json',
        Metadata: { showid: 'show-1' },
      }),
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'shows/' }));
    assert.deepEqual(
      listed.Contents?.map((o) => o.Key),
      ['shows/show-1/manifest.json'],
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'shows/show-1/manifest.json' }));
    assert.equal(await got.Body?.transformToString(), '{"ok":true}');
    assert.equal(got.ContentType, 'application/json');
    assert.deepEqual(got.Metadata, { showid: 'show-1' });
    s3.destroy();
  });
});

void describe('suite Temporal dev server', () => {
  void test('answers workflow list at TEMPORAL_ADDRESS', async () => {
    const { address, namespace, cliPath } = testTemporalEnv();
    const { stdout } = await runTemporalCli(cliPath, ['workflow', 'list', '--address', address, '-n', namespace]);
    assert.equal(typeof stdout, 'string');
  });

  void test('has the Showrunner search attributes registered', async () => {
    const { address, namespace, cliPath } = testTemporalEnv();
    const { stdout } = await runTemporalCli(cliPath, [
      'operator',
      'search-attribute',
      'list',
      '--address',
      address,
      '-n',
      namespace,
      '-o',
      'json',
    ]);
    const custom = (JSON.parse(stdout) as { customAttributes: Record<string, string> }).customAttributes;
    assert.deepEqual(custom, {
      ShowId: 'INDEXED_VALUE_TYPE_KEYWORD',
      ShowPhase: 'INDEXED_VALUE_TYPE_KEYWORD',
      StageArn: 'INDEXED_VALUE_TYPE_KEYWORD',
      ChannelArn: 'INDEXED_VALUE_TYPE_KEYWORD',
      ScheduledStart: 'INDEXED_VALUE_TYPE_DATETIME',
    });
    assert.deepEqual(Object.keys(custom).sort(), Object.keys(SHOWRUNNER_SEARCH_ATTRIBUTES).sort());
  });

  void test('serves the Web UI', async () => {
    const response = await fetch(testTemporalEnv().uiUrl);
    assert.equal(response.status, 200);
    await response.body?.cancel();
  });
});

void describe('ensureTemporalCli', () => {
  void test('rejects a TEMPORAL_CLI that does not exist, naming the variable and path', async (t) => {
    const missing = path.join(tempDir(t, 'tools-test-'), 'no-such-temporal');
    await assert.rejects(
      withEnv('TEMPORAL_CLI', missing, () => ensureTemporalCli()),
      (error: Error) => error.message.includes('TEMPORAL_CLI') && error.message.includes(missing),
    );
  });

  void test('rejects a TEMPORAL_CLI that is not executable', async (t) => {
    const file = path.join(tempDir(t, 'tools-test-'), 'temporal');
    fs.writeFileSync(file, 'not a binary', { mode: 0o644 });
    await assert.rejects(
      withEnv('TEMPORAL_CLI', file, () => ensureTemporalCli()),
      /not an executable/,
    );
  });

  void test('prefers TEMPORAL_CLI over PATH and the cache', async () => {
    const { cliPath } = testTemporalEnv();
    assert.equal(await withEnv('TEMPORAL_CLI', cliPath, () => ensureTemporalCli()), cliPath);
  });
});

void describe('startVersitygw', () => {
  void test('stop() frees the port', async (t) => {
    const server = await startVersitygw({ dataDir: tempDir(t, 'tools-test-s3-') });
    assert.equal(await canConnect(server.port), true);
    assert.equal(await isPortFree(server.port), false);
    await server.stop();
    assert.equal(await canConnect(server.port), false);
    assert.equal(await isPortFree(server.port), true);
  });
});

void describe('startTemporalDevServer', () => {
  void test('restarts on the same dbFile keeping workflows, registering newly added search attributes', async (t) => {
    const dir = tempDir(t, 'tools-test-temporal-');
    let server = await startTemporalDevServer({
      headless: true,
      dbFile: path.join(dir, 'temporal.db'),
      logFile: path.join(dir, 'server.log'),
      searchAttributes: { ShowId: 'Keyword' },
    });
    t.after(() => server.stop());
    const cli = server.cliPath;
    const workflowId = `restart-${randomUUID()}`;
    // No worker is needed: the execution just stays Running, which is enough to prove it survived.
    await runTemporalCli(cli, [
      'workflow',
      'start',
      '--address',
      server.address,
      '--type',
      'NoSuchWorkflow',
      '--task-queue',
      'nobody-listens',
      '--workflow-id',
      workflowId,
    ]);

    server = await restartTemporalDevServer({
      ...server,
      options: { ...server.options, searchAttributes: { ShowId: 'Keyword', ShowPhase: 'Keyword' } },
    });
    const { stdout } = await runTemporalCli(cli, [
      'workflow',
      'describe',
      '--address',
      server.address,
      '-w',
      workflowId,
      '-o',
      'json',
    ]);
    assert.match(stdout, new RegExp(workflowId));
    const attributes = await runTemporalCli(cli, ['operator', 'search-attribute', 'list', '--address', server.address]);
    assert.match(attributes.stdout, /ShowPhase/);
  });
});

void describe('first run', () => {
  void test('building the Temporal CLI says what is built, how long it takes and how TEMPORAL_CLI or PATH skip it', () => {
    const notice = firstBuildNotice(toolSpec('temporal'), TEMPORAL_CLI_ENV_VAR);
    assert.match(notice, /^the Temporal CLI \(dev server with its Web UI\) 1\.5\.1 is not installed: building it/);
    assert.match(notice, /go install -ldflags .* github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/);
    assert.match(notice, /about 7 minutes on two cores/);
    assert.match(notice, /set TEMPORAL_CLI=\/path\/to\/temporal, or put a temporal binary on PATH/);
  });
});
