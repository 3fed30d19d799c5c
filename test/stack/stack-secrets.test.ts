import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { audienceCallerToken } from '../../client/cli/actions/audience-token-action';
import { CliError } from '../../client/cli/cli-errors';
import type { LocalStack } from '../../dev/stack/local-stack';
import { exportBlock, stackEnv } from '../../dev/stack/stack-env';
import { stackSummary } from '../../dev/stack/stack-summary';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-stack-secrets-'));
const TOKEN = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6';

/** What stackEnv and stackSummary read of a stack, without starting one. */
function fakeStack(): LocalStack {
  const tokenFile = path.join(dir, 'audience-token');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  return {
    temporal: { address: '127.0.0.1:7233', namespace: 'default', uiUrl: 'http://127.0.0.1:8233' },
    keyRingEnv: { SHOWRUNNER_ENCRYPTION_KEY_FILE: path.join(dir, 'encryption-keys') },
    emulator: { endpoint: 'http://127.0.0.1:4566' },
    s3Server: { endpoint: 'http://127.0.0.1:7070' },
    codec: { url: 'http://127.0.0.1:8888' },
    events: { url: 'http://127.0.0.1:8090' },
    audience: { url: 'http://127.0.0.1:8091' },
    audienceCaller: { name: 'local', token: TOKEN },
    audienceTokenFile: tokenFile,
    taskQueue: 'showrunner',
    monitorTaskQueue: 'showrunner-monitor',
    keyFile: undefined,
    keyCreated: false,
    dir,
    persistent: false,
  } as unknown as LocalStack;
}

void describe('the local stack prints no secret: the audience caller token is in a file', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void test('the export block and the summary name the token file, never the token', () => {
    const stack = fakeStack();
    const env = new Map(stackEnv(stack));
    assert.equal(env.get('SHOWRUNNER_AUDIENCE_TOKEN_FILE'), stack.audienceTokenFile);
    assert.ok(!env.has('SHOWRUNNER_AUDIENCE_TOKEN'));
    const summary = stackSummary(stack, { envFile: path.join(dir, 'stack.env') });
    assert.ok(!summary.includes(TOKEN), 'the token is not printed');
    assert.ok(!exportBlock(stackEnv(stack)).includes(TOKEN));
    assert.ok(summary.includes(stack.audienceTokenFile), 'the summary says where the token is');
  });

  void test('the CLI reads the token from SHOWRUNNER_AUDIENCE_TOKEN_FILE, or from SHOWRUNNER_AUDIENCE_TOKEN', () => {
    const stack = fakeStack();
    assert.equal(audienceCallerToken({ SHOWRUNNER_AUDIENCE_TOKEN_FILE: stack.audienceTokenFile }), TOKEN);
    assert.equal(audienceCallerToken({ SHOWRUNNER_AUDIENCE_TOKEN: 'inline-token' }), 'inline-token');
    assert.equal(audienceCallerToken({}), undefined);
  });

  void test('both set, or a file that is gone: a usage error naming the variable and the file, not the token', () => {
    const stack = fakeStack();
    assert.throws(
      () =>
        audienceCallerToken({
          SHOWRUNNER_AUDIENCE_TOKEN: 'inline-token',
          SHOWRUNNER_AUDIENCE_TOKEN_FILE: stack.audienceTokenFile,
        }),
      (e: unknown) => e instanceof CliError && e.exitCode === 2 && /only one of/.test(e.message),
    );
    const gone = path.join(dir, 'gone');
    assert.throws(
      () => audienceCallerToken({ SHOWRUNNER_AUDIENCE_TOKEN_FILE: gone }),
      (e: unknown) =>
        e instanceof CliError && e.exitCode === 2 && e.message.includes(gone) && e.message.includes('ENOENT'),
    );
  });
});
