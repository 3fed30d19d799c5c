import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CreateStageCommand, GetStageCommand, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { EmulatorControlClient } from '../../emulator/src';
import { parseCommandLine } from '../../emulator/src/cli-options';
import { parseEmulatorConfig } from '../../emulator/src/config';
import { rejectsWithControlError, rejectsWithSdkError } from '../support/emulator-assertions';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';
import { emulatorFixturePerSuite } from '../support/emulator-scenarios';
import { signedRequest } from '../support/raw-ivs-request';

/** A raw control API request with the headers a browser or another host would send. */
function controlRequest(
  endpoint: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; json: { error?: string; message?: string } }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path: `/_emulator${path}`, headers },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: text ? (JSON.parse(text) as { error?: string; message?: string }) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const config = (argv: string[], env: Record<string, string> = {}) => parseEmulatorConfig(parseCommandLine(argv, env));

void describe('emulator hardening', () => {
  void describe('command line and environment', () => {
    void test('boolean environment variables are parsed as booleans, and a bad value is an error naming it', () => {
      assert.equal(config([], { IVS_EMULATOR_NO_SIGV4: 'false' }).verifySignatures, true);
      assert.equal(config([], { IVS_EMULATOR_NO_SIGV4: '0' }).verifySignatures, true);
      assert.equal(config([], { IVS_EMULATOR_NO_SIGV4: 'true' }).verifySignatures, false);
      assert.equal(config([], {}).verifySignatures, true);
      assert.equal(config([], { IVS_EMULATOR_NO_RATE_LIMITS: 'no' }).rateLimits, true);
      assert.equal(config([], { IVS_EMULATOR_LOG_REQUESTS: 'off' }).logRequests, false);
      assert.equal(config([], { IVS_EMULATOR_NO_CONTROL_API: 'yes' }).controlApi, false);
      assert.throws(() => config([], { IVS_EMULATOR_NO_SIGV4: 'maybe' }), /IVS_EMULATOR_NO_SIGV4/);
      // Flags win over the environment.
      assert.equal(config(['--clock-scale', '5'], { IVS_EMULATOR_CLOCK_SCALE: '10' }).clockScale, 5);
      assert.equal(config([], { IVS_EMULATOR_CLOCK_SCALE: '10' }).clockScale, 10);
    });

    void test('credentials and the control token come from the environment or a file; the account key shortcut follows them', () => {
      assert.equal(config([]).accountKeyShortcut, true, 'no credentials configured: the shortcut is on');
      const fromEnv = config([], { IVS_EMULATOR_CREDENTIALS: 'AKIDA:secretA:111122223333,AKIDB:secretB:222233334444' });
      assert.deepEqual(
        fromEnv.credentials.map((c) => c.accountId),
        ['111122223333', '222233334444'],
      );
      assert.equal(fromEnv.accountKeyShortcut, false, 'configured credentials turn the shortcut off');
      assert.equal(config(['--credential', 'AKID:s:111122223333']).accountKeyShortcut, false);
      assert.equal(config(['--credential', 'AKID:s:111122223333', '--account-key-shortcut']).accountKeyShortcut, true);
      assert.equal(config(['--no-account-key-shortcut']).accountKeyShortcut, false);

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-secrets-'));
      try {
        fs.writeFileSync(path.join(dir, 'credentials'), '# local stack\nAKIDF:secretF:333344445555\n');
        fs.writeFileSync(path.join(dir, 'token'), 'a-control-token-of-some-length\n');
        const fromFiles = config(['--credentials-file', path.join(dir, 'credentials')], {
          IVS_EMULATOR_CONTROL_TOKEN_FILE: path.join(dir, 'token'),
        });
        assert.deepEqual(fromFiles.credentials, [
          { accessKeyId: 'AKIDF', secretAccessKey: 'secretF', accountId: '333344445555' },
        ]);
        assert.equal(fromFiles.controlToken, 'a-control-token-of-some-length');
        assert.equal(
          config(['--control-token', 'flag-token-of-some-length']).controlToken,
          'flag-token-of-some-length',
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      assert.throws(() => config([], { IVS_EMULATOR_CREDENTIALS: 'AKID:secret' }), /ACCOUNT_ID/);
    });
  });

  void describe('the 12-digit access key shortcut', () => {
    let fx: EmulatorFixture;
    void test('with credentials configured a 12-digit key is refused, unless the shortcut is asked for', async () => {
      const credentials = [{ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret', accountId: '111122223333' }];
      fx = await startEmulatorFixture({ credentials });
      try {
        const configured = fx.client({ accessKeyId: 'AKIDLOCAL' });
        // The fixture's clients sign with the secret "test"; a configured key needs its own.
        configured.config.credentials = async () => ({ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' });
        await configured.send(new ListStagesCommand({}));
        await rejectsWithSdkError(
          fx.client({ accessKeyId: '210000000001', maxAttempts: 1 }).send(new ListStagesCommand({})),
          'UnrecognizedClientException',
          403,
        );
      } finally {
        await fx.stop();
      }
      fx = await startEmulatorFixture({ credentials, accountKeyShortcut: true });
      try {
        await fx.client({ accessKeyId: '210000000001' }).send(new ListStagesCommand({}));
      } finally {
        await fx.stop();
      }
    });
  });

  void describe('control API', () => {
    const fx = emulatorFixturePerSuite({ controlHosts: ['ivs-emulator'] });
    const port = () => new URL(fx.emulator.endpoint).port;

    void test('a request addressed to a foreign Host or from a foreign Origin is refused before it acts', async () => {
      const stageArn = (await fx.ivs.send(new CreateStageCommand({}))).stage!.arn!;
      const json = { 'content-type': 'application/json' };
      const rebound = await controlRequest(fx.emulator.endpoint, 'POST', '/reset', {
        ...json,
        host: `evil.example:${port()}`,
      });
      assert.equal(rebound.status, 403);
      assert.match(rebound.json.message ?? '', /loopback address or a configured --control-host/);
      const foreign = await controlRequest(fx.emulator.endpoint, 'POST', '/reset', {
        ...json,
        host: `127.0.0.1:${port()}`,
        origin: 'http://evil.example',
      });
      assert.equal(foreign.status, 403);
      assert.match(foreign.json.message ?? '', /cross-origin/);
      const crossSite = await controlRequest(fx.emulator.endpoint, 'GET', '/inventory', {
        host: `localhost:${port()}`,
        'sec-fetch-site': 'cross-site',
      });
      assert.equal(crossSite.status, 403);
      await fx.ivs.send(new GetStageCommand({ arn: stageArn }));

      for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, `ivs-emulator:${port()}`]) {
        const health = await controlRequest(fx.emulator.endpoint, 'GET', '/health', { host });
        assert.equal(health.status, 200, host);
      }
    });

    void test('a request that changes state needs Content-Type application/json, and preflights are refused', async () => {
      const stageArn = (await fx.ivs.send(new CreateStageCommand({}))).stage!.arn!;
      const host = `127.0.0.1:${port()}`;
      for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
        const answer = await controlRequest(
          fx.emulator.endpoint,
          'POST',
          '/reset',
          type === undefined ? { host } : { host, 'content-type': type },
          type === undefined ? undefined : '{}',
        );
        assert.equal(answer.status, 415, String(type));
      }
      const preflight = await controlRequest(fx.emulator.endpoint, 'OPTIONS', '/reset', {
        host,
        origin: `http://${host}`,
        'access-control-request-method': 'POST',
      });
      assert.equal(preflight.status, 403);
      await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    });
  });

  void describe('control token and no control API', () => {
    void test('with a control token every control request needs it; without the control API /_emulator is not served', async () => {
      const token = 'control-token-for-the-test';
      let fx = await startEmulatorFixture({ controlToken: token });
      try {
        await rejectsWithControlError(fx.control.health(), 401, 'UnauthorizedException');
        await rejectsWithControlError(
          new EmulatorControlClient(fx.emulator.endpoint, { token: 'wrong-token-of-enough-length' }).health(),
          401,
          'UnauthorizedException',
        );
        const control = new EmulatorControlClient(fx.emulator.endpoint, { token });
        assert.equal((await control.health()).status, 'ok');
        await control.reset();
      } finally {
        await fx.stop();
      }
      fx = await startEmulatorFixture({ controlApi: false });
      try {
        const res = await fetch(`${fx.emulator.endpoint}/_emulator/health`);
        assert.equal(res.status, 404);
        await fx.ivs.send(new ListStagesCommand({}));
      } finally {
        await fx.stop();
      }
    });
  });

  void describe('regions', () => {
    const fx = emulatorFixturePerSuite();
    void test('requests signed for a region without an IVS Real-Time endpoint are refused and leave no state behind', async () => {
      const madeUp = Array.from({ length: 300 }, (_, i) => `xx-made-${i}`);
      for (const region of madeUp) {
        const answer = await signedRequest(fx.emulator.endpoint, { path: '/ListStages', body: {} }, { region });
        assert.equal(answer.status, 403, region);
        assert.equal(answer.headers['x-amzn-errortype'], 'InvalidSignatureException');
      }
      const refused = await signedRequest(
        fx.emulator.endpoint,
        { path: '/CreateStage', body: {} },
        { region: 'ap-southeast-2' },
      );
      assert.match((JSON.parse(refused.text) as { message: string }).message, /valid region.*us-east-1/);
      await fx.client({ region: 'eu-west-1' }).send(new CreateStageCommand({}));

      const scopes = Object.keys((await fx.control.metrics()).api);
      assert.ok(!scopes.some((s) => /xx-made|ap-southeast-2/.test(s)), scopes.join(', '));
      assert.deepEqual(
        (await fx.control.inventory()).regions.map((r) => r.region),
        ['eu-west-1'],
      );
    });
  });
});
