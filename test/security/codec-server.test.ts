import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { CodecServerConfigError, loadCodecServerConfig } from '../../security/codec-server-config';
import { startCodecServer, type RunningCodecServer } from '../../security/codec-server';
import { createDataConverter } from '../../security/data-converter';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../security/encryption-codec';
import { ENCRYPTION_KEYS_VAR, generateKey, loadKeyRing, type KeyRing } from '../../security/encryption-keys';
import { payloadToJson, type PayloadJson } from '../../security/payload-json';
import { startShowHarness, TEST_KEY_RING_ENV, type ShowHarness } from '../support/show-harness';
import { requireEnv, TEST_ENV_VARS } from '../support/test-env';

const TOKEN = `operator-${randomBytes(24).toString('base64url')}`;
const UI_ORIGIN = 'http://temporal-ui.test:8080';
const SECRET = `fake-stream-key-sk_us-east-1_${randomUUID()}`;

const ring = (id: string, key = generateKey()): KeyRing => loadKeyRing({ [ENCRYPTION_KEYS_VAR]: `${id}:${key}` });
const toJson = (value: unknown): PayloadJson => payloadToJson(defaultPayloadConverter.toPayload(value));
const fromJson = (json: PayloadJson): unknown =>
  defaultPayloadConverter.fromPayload({
    metadata: Object.fromEntries(Object.entries(json.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(json.data, 'base64'),
  });
const metadataText = (json: PayloadJson, key: string) => Buffer.from(json.metadata[key] ?? '', 'base64').toString();

/** Ways a secret could sit in serialized bytes: as is, or base64-encoded from any of the three byte offsets. */
function leaks(haystack: Uint8Array, secret: string): boolean {
  const bytes = Buffer.from(haystack);
  const variants = [secret];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.from(secret.slice(offset)).toString('base64');
    variants.push(b64.slice(0, b64.length - 4));
  }
  return variants.some((v) => bytes.includes(Buffer.from(v)) || bytes.toString('latin1').includes(v));
}

interface CallOptions {
  token?: string | null;
  origin?: string;
  body?: string;
  contentType?: string;
  method?: string;
}

async function call(server: RunningCodecServer, route: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { 'X-Namespace': 'default' };
  if (options.token !== null) headers.Authorization = `Bearer ${options.token ?? TOKEN}`;
  if (options.origin) headers.Origin = options.origin;
  if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${server.url}${route}`, {
    method: options.method ?? 'POST',
    headers,
    body: options.body,
  });
  const text = await response.text();
  return { response, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function codecCall(server: RunningCodecServer, action: 'encode' | 'decode', payloads: PayloadJson[]) {
  const result = await call(server, `/${action}`, { body: JSON.stringify({ payloads }) });
  return { ...result, payloads: (result.json?.payloads ?? []) as PayloadJson[] };
}

void describe('codec server over HTTP', () => {
  const keyRing = ring('ops-1');
  const lines: string[] = [];
  let server: RunningCodecServer;
  before(async () => {
    server = await startCodecServer({
      keyRing,
      tokens: [`other-${randomBytes(16).toString('hex')}`, TOKEN],
      corsOrigins: [UI_ORIGIN],
      corsAllowCredentials: true,
      maxBodyBytes: 64 * 1024,
      log: (line) => lines.push(line),
    });
  });
  after(async () => server.stop());

  void test('listens on loopback by default', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  void test('encode then decode round-trips payloads, metadata included', async () => {
    const originals = [toJson({ streamKey: SECRET }), toJson('plain'), toJson(null)];
    const encoded = await codecCall(server, 'encode', originals);
    assert.equal(encoded.response.status, 200, encoded.text);
    assert.equal(encoded.response.headers.get('cache-control'), 'no-store');
    assert.equal(encoded.payloads.length, 3);
    for (const p of encoded.payloads) assert.equal(metadataText(p, METADATA_ENCODING_KEY), ENCRYPTED_ENCODING);
    assert.ok(!encoded.text.includes(SECRET) && !leaks(Buffer.from(encoded.text), SECRET));

    // Mounted under any prefix: only the last path segment routes (the protocol's rule; the CLI adds a namespace).
    const decoded = await call(server, '/default/decode', { body: JSON.stringify({ payloads: encoded.payloads }) });
    assert.equal(decoded.response.status, 200, decoded.text);
    const payloads = decoded.json?.payloads as PayloadJson[];
    assert.deepEqual(payloads, originals);
    assert.deepEqual(fromJson(payloads[0]!), { streamKey: SECRET });
  });

  void test('payloads that are not encrypted pass through decode untouched', async () => {
    const plain = [toJson({ hello: 'world' })];
    const decoded = await codecCall(server, 'decode', plain);
    assert.equal(decoded.response.status, 200, decoded.text);
    assert.deepEqual(decoded.payloads, plain);
  });

  void test('401 without a token, with a wrong one, or with another scheme', async () => {
    const body = JSON.stringify({ payloads: [toJson('x')] });
    for (const token of [null, 'wrong-token-0123456789abcdef', `${TOKEN}x`, TOKEN.slice(0, -1), '']) {
      const { response, json, text } = await call(server, '/decode', { token, body });
      assert.equal(response.status, 401, `token ${String(token)}: ${text}`);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal(json?.payloads, undefined);
    }
    const basic = await fetch(`${server.url}/encode`, {
      method: 'POST',
      headers: { Authorization: `Basic ${TOKEN}`, 'Content-Type': 'application/json' },
      body,
    });
    assert.equal(basic.status, 401);
    // Unknown routes say nothing to a caller without a token either.
    assert.equal((await call(server, '/keys', { token: null, body })).response.status, 401);
  });

  void test('preflight from the UI origin gets the CORS headers, without a token', async () => {
    const response = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: UI_ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-namespace',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), UI_ORIGIN);
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    for (const h of ['content-type', 'x-namespace', 'authorization']) assert.ok(allowed.includes(h), `missing ${h}`);
    assert.match(response.headers.get('vary') ?? '', /Origin/);

    // The real request from that origin carries them too, so the browser hands the UI the answer.
    const decoded = await call(server, '/decode', { origin: UI_ORIGIN, body: JSON.stringify({ payloads: [] }) });
    assert.equal(decoded.response.status, 200);
    assert.equal(decoded.response.headers.get('access-control-allow-origin'), UI_ORIGIN);
  });

  void test('a disallowed origin gets no CORS headers, on preflight or request', async () => {
    for (const origin of ['http://evil.test', 'http://temporal-ui.test:8081', `${UI_ORIGIN}/`]) {
      const preflight = await fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(preflight.status, 403, origin);
      for (const name of [
        'access-control-allow-origin',
        'access-control-allow-credentials',
        'access-control-allow-headers',
      ])
        assert.equal(preflight.headers.get(name), null, `${origin}: ${name}`);
      const request = await call(server, '/decode', { origin, body: JSON.stringify({ payloads: [] }) });
      assert.equal(request.response.headers.get('access-control-allow-origin'), null, origin);
    }
  });

  void test('clear 400s for bad JSON, a bad shape or bad base64; 413 past the size limit', async () => {
    const badJson = await call(server, '/decode', { body: '{"payloads": [' });
    assert.equal(badJson.response.status, 400);
    assert.match(String(badJson.json?.error), /not valid JSON/);

    const noPayloads = await call(server, '/decode', { body: JSON.stringify({ items: [] }) });
    assert.equal(noPayloads.response.status, 400);
    assert.match(String(noPayloads.json?.error), /payloads/);

    const badBase64 = await call(server, '/decode', {
      // Plain text where base64 belongs, the usual client mistake.
      body: JSON.stringify({ payloads: [{ metadata: { encoding: 'json/plain; x' }, data: 'AAAA' }] }),
    });
    assert.equal(badBase64.response.status, 400);
    assert.match(String(badBase64.json?.error), /payloads\.0\.metadata\.encoding: must be base64/);

    const notJson = await call(server, '/decode', { body: 'payloads=1', contentType: 'text/plain' });
    assert.equal(notJson.response.status, 415);

    const get = await call(server, '/decode', { method: 'GET' });
    assert.equal(get.response.status, 405);

    const huge = await codecCall(server, 'encode', [toJson('x'.repeat(80 * 1024))]);
    assert.equal(huge.response.status, 413);
  });

  void test('/health answers without a token and tells nothing', async () => {
    const response = await fetch(`${server.url}/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  void test('logs name requests and outcomes, never payloads, tokens or keys', () => {
    const all = lines.join('\n');
    assert.match(all, /POST \/decode 200 namespace=default payloads=\d+/);
    assert.match(all, /POST \/decode 401/);
    for (const secret of [SECRET, TOKEN, keyRing.current.key.toString('base64')]) assert.ok(!all.includes(secret));
  });
});

void describe('codec server with OIDC access tokens (what the UI passes)', () => {
  const issuer = 'https://login.example.test/';
  const audience = 'showrunner-codec';
  let jwks: Server;
  let server: RunningCodecServer;
  let sign: (claims?: { iss?: string; aud?: string; exp?: string }) => Promise<string>;
  let signWithOtherKey: () => Promise<string>;

  before(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    // A real JWKS endpoint, as an identity provider serves it: the codec server fetches it over HTTP.
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    const token = (key: KeyLike, claims: { iss?: string; aud?: string; exp?: string } = {}) =>
      new SignJWT({ sub: 'operator@example.test' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(claims.iss ?? issuer)
        .setAudience(claims.aud ?? audience)
        .setIssuedAt()
        .setExpirationTime(claims.exp ?? '5m')
        .sign(key);
    sign = (claims) => token(privateKey, claims);
    signWithOtherKey = () => token(other.privateKey);
    server = await startCodecServer({ keyRing: ring('jwt-1'), tokens: [TOKEN], jwt: { jwksUrl, issuer, audience } });
  });
  after(async () => {
    await server.stop();
    await new Promise((resolve) => jwks.close(resolve));
  });

  void test('a JWT from the issuer for the audience is accepted, and static tokens still are', async () => {
    const body = JSON.stringify({ payloads: [toJson(SECRET)] });
    assert.equal((await call(server, '/encode', { token: await sign(), body })).response.status, 200);
    assert.equal((await call(server, '/encode', { token: TOKEN, body })).response.status, 200);
  });

  void test('another audience or issuer, an expired token or a foreign signature: 401', async () => {
    const body = JSON.stringify({ payloads: [toJson(SECRET)] });
    const bad = {
      audience: await sign({ aud: 'someone-else' }),
      issuer: await sign({ iss: 'https://evil.example.test/' }),
      expired: await sign({ exp: '-10m' }),
      signature: await signWithOtherKey(),
    };
    for (const [what, token] of Object.entries(bad)) {
      const { response } = await call(server, '/encode', { token, body });
      assert.equal(response.status, 401, what);
    }
  });
});

void describe('codec server configuration', () => {
  const token = 'a'.repeat(32);
  void test('defaults: loopback, port 8888, no CORS origins', () => {
    const config = loadCodecServerConfig({ SHOWRUNNER_CODEC_TOKENS: token });
    assert.deepEqual(config, {
      tokens: [token],
      corsOrigins: [],
      corsAllowCredentials: false,
      host: '127.0.0.1',
      port: 8888,
      maxBodyBytes: 8 * 1024 * 1024,
    });
  });

  void test('flags win over variables; lists are comma separated', () => {
    const config = loadCodecServerConfig(
      {
        SHOWRUNNER_CODEC_TOKENS: `${token}, ${'b'.repeat(20)}`,
        SHOWRUNNER_CODEC_PORT: '9000',
        SHOWRUNNER_CODEC_CORS_ORIGINS: 'http://localhost:8080, https://ui.example.com',
        SHOWRUNNER_CODEC_CORS_ALLOW_CREDENTIALS: 'true',
      },
      { port: '9100', host: '0.0.0.0' },
    );
    assert.equal(config.port, 9100);
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(config.tokens, [token, 'b'.repeat(20)]);
    assert.deepEqual(config.corsOrigins, ['http://localhost:8080', 'https://ui.example.com']);
    assert.equal(config.corsAllowCredentials, true);
  });

  void test('tokens from a file, one per line', (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codec-tokens-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'tokens');
    fs.writeFileSync(file, `# operators\n${token}\n\n${'c'.repeat(16)}\n`);
    assert.deepEqual(loadCodecServerConfig({ SHOWRUNNER_CODEC_TOKEN_FILE: file }).tokens, [token, 'c'.repeat(16)]);
  });

  void test('errors name the variable and never quote a token', () => {
    const weak = 'short-secret';
    assert.throws(
      () =>
        loadCodecServerConfig({
          SHOWRUNNER_CODEC_TOKENS: weak,
          SHOWRUNNER_CODEC_PORT: 'http',
          SHOWRUNNER_CODEC_CORS_ORIGINS: 'https://ui.example.com/path',
        }),
      (e: unknown) => {
        assert.ok(e instanceof CodecServerConfigError);
        assert.match(e.message, /SHOWRUNNER_CODEC_TOKENS: token 1 is shorter than 16/);
        assert.match(e.message, /SHOWRUNNER_CODEC_PORT: must be a port number/);
        assert.match(e.message, /SHOWRUNNER_CODEC_CORS_ORIGINS entry 1: must be an origin/);
        assert.ok(!e.message.includes(weak));
        return true;
      },
    );
    assert.throws(() => loadCodecServerConfig({}), /set SHOWRUNNER_CODEC_TOKENS .* or SHOWRUNNER_CODEC_TOKEN_FILE/);
    assert.throws(
      () => loadCodecServerConfig({ SHOWRUNNER_CODEC_TOKENS: token, SHOWRUNNER_CODEC_TOKEN_FILE: '/x' }),
      /only one of/,
    );
    assert.throws(() => loadCodecServerConfig({ SHOWRUNNER_CODEC_TOKENS: token }, { port: '70000' }), /--port/);
  });

  void test('a JWT issuer may replace the tokens, but only with all three of its variables', () => {
    const jwt = {
      SHOWRUNNER_CODEC_JWT_JWKS_URL: 'https://login.example.com/.well-known/jwks.json',
      SHOWRUNNER_CODEC_JWT_ISSUER: 'https://login.example.com/',
      SHOWRUNNER_CODEC_JWT_AUDIENCE: 'codec',
    };
    const config = loadCodecServerConfig(jwt);
    assert.deepEqual(config.tokens, []);
    assert.deepEqual(config.jwt, {
      jwksUrl: jwt.SHOWRUNNER_CODEC_JWT_JWKS_URL,
      issuer: jwt.SHOWRUNNER_CODEC_JWT_ISSUER,
      audience: jwt.SHOWRUNNER_CODEC_JWT_AUDIENCE,
    });
    assert.throws(
      () => loadCodecServerConfig({ SHOWRUNNER_CODEC_JWT_JWKS_URL: jwt.SHOWRUNNER_CODEC_JWT_JWKS_URL }),
      /SHOWRUNNER_CODEC_JWT_ISSUER, SHOWRUNNER_CODEC_JWT_AUDIENCE: required together/,
    );
    assert.throws(
      () => loadCodecServerConfig({ ...jwt, SHOWRUNNER_CODEC_JWT_JWKS_URL: 'file:///etc/jwks.json' }),
      /SHOWRUNNER_CODEC_JWT_JWKS_URL: must be an http\(s\) URL/,
    );
  });

  void test('refuses to start without a token', async () => {
    await assert.rejects(startCodecServer({ keyRing: ring('x'), tokens: [] }), /token/);
  });
});

void describe('codec server against real workflow history', () => {
  const keyRing = ring('history-1');
  let connection: Connection;
  let namespace: string;
  let server: RunningCodecServer;
  const started: string[] = [];

  before(async () => {
    connection = await Connection.connect({ address: requireEnv(TEST_ENV_VARS.temporalAddress) });
    namespace = requireEnv(TEST_ENV_VARS.temporalNamespace);
    server = await startCodecServer({ keyRing, tokens: [TOKEN] });
  });
  after(async () => {
    const client = new Client({ connection, namespace });
    await Promise.allSettled(started.map((id) => client.workflow.getHandle(id).terminate('test finished')));
    await connection.close();
    await server.stop();
  });

  /** The start event's input as the server stores it: no data converter on this read. */
  async function startWithSecret(): Promise<Payload[]> {
    const client = new Client({ connection, namespace, dataConverter: createDataConverter(keyRing) });
    const workflowId = `codec-server-test-${randomUUID()}`;
    // Nothing polls this task queue: the start event is all the history this test needs.
    await client.workflow.start('unservedWorkflow', {
      taskQueue: `codec-server-test-${randomUUID()}`,
      workflowId,
      args: [{ showId: 'demo', streamKey: SECRET }],
    });
    started.push(workflowId);
    const response = await connection.workflowService.getWorkflowExecutionHistory({
      namespace,
      execution: { workflowId },
    });
    const bytes = temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(response).finish();
    assert.ok(!leaks(bytes, SECRET), 'the secret is in raw history');
    return response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  }

  void test('POST /decode turns an encrypted start input from history back into the secret', async () => {
    const input = await startWithSecret();
    assert.equal(input.length, 1);
    const decoded = await codecCall(server, 'decode', input.map(payloadToJson));
    assert.equal(decoded.response.status, 200, decoded.text);
    assert.deepEqual(fromJson(decoded.payloads[0]!), { showId: 'demo', streamKey: SECRET });
  });

  void test('a server with the wrong key ring answers 400, never garbage', async () => {
    const input = (await startWithSecret()).map(payloadToJson);
    // Another key id, and the same id with another key (a key replaced in place instead of rotated).
    for (const wrong of [ring('history-2'), ring('history-1')]) {
      const other = await startCodecServer({ keyRing: wrong, tokens: [TOKEN] });
      try {
        const decoded = await codecCall(other, 'decode', input);
        assert.equal(decoded.response.status, 400, decoded.text);
        assert.match(String(decoded.json?.error), /not in the key ring|failed authentication/);
        assert.equal(decoded.json?.payloads, undefined);
        assert.ok(!decoded.text.includes(SECRET));
        assert.ok(!decoded.text.includes(wrong.current.key.toString('base64')));
      } finally {
        await other.stop();
      }
    }
  });
});

void describe('failure messages in history (real worker)', () => {
  let h: ShowHarness;
  let server: RunningCodecServer;
  before(async () => {
    h = await startShowHarness({ clockScale: 1, timings: { compositionStartMs: 500, compositionStopMs: 500 } });
    server = await startCodecServer({ keyRing: loadKeyRing(TEST_KEY_RING_ENV), tokens: [TOKEN] });
  });
  after(async () => {
    await server.stop();
    await h.stop();
  });

  void test('an activity failure and the workflow failure are stored encrypted; the codec server reads them', async () => {
    // The emulator's ValidationException quotes the bucket name: a stand-in for a secret in an error message.
    const bucket = `missing-${randomBytes(8).toString('hex')}`;
    const handle = await h.startShow({
      id: h.showId('failure-enc'),
      name: 'Encrypted failures',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice' }],
      composition: { recording: { bucket } },
      policies: { pollInterval: '1s' },
    });
    // Through the codec, the client still sees the real messages.
    await assert.rejects(handle.result(), (e: unknown) => {
      const messages: string[] = [];
      for (let c = e as { message?: string; cause?: unknown } | undefined; c; c = c.cause as typeof c)
        messages.push(c.message ?? '');
      assert.ok(
        messages.some((m) => m.includes(bucket)),
        `messages: ${messages.join(' | ')}`,
      );
      return true;
    });

    const response = await h.client.connection.workflowService.getWorkflowExecutionHistory({
      namespace: requireEnv(TEST_ENV_VARS.temporalNamespace),
      execution: { workflowId: handle.workflowId },
    });
    const bytes = temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(response).finish();
    assert.ok(!leaks(bytes, bucket), 'the bucket name is in raw history');

    const events = response.history?.events ?? [];
    const activityFailure = events.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes
      ?.failure;
    const workflowFailure = events.find((e) => e.workflowExecutionFailedEventAttributes)
      ?.workflowExecutionFailedEventAttributes?.failure;
    for (const [what, failure] of [
      ['activity', activityFailure],
      ['workflow', workflowFailure],
    ] as const) {
      assert.ok(failure, `no ${what} failure in history`);
      assert.equal(failure.message, 'Encoded failure', what);
      assert.equal(failure.stackTrace ?? '', '', what);
      assert.ok(failure.encodedAttributes, what);
    }

    const decoded = await codecCall(server, 'decode', [payloadToJson(activityFailure!.encodedAttributes!)]);
    assert.equal(decoded.response.status, 200, decoded.text);
    const attributes = fromJson(decoded.payloads[0]!) as { message: string; stack_trace: string };
    assert.ok(attributes.message.includes(bucket), attributes.message);
  });
});

/** POST /decode with exactly these headers (node:http: fetch would not send a Host other than the URL's). */
function rawDecode(server: RunningCodecServer, headers: Record<string, string>, payloads: PayloadJson[]) {
  const url = new URL(server.url);
  const body = JSON.stringify({ payloads });
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/decode',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

void describe('codec server, loopback mode (the local stack’s Web UI)', () => {
  const keyRing = ring('local-1');
  const uiOrigin = 'http://127.0.0.1:8233';
  let server: RunningCodecServer;
  let encrypted: PayloadJson;
  before(async () => {
    server = await startCodecServer({ keyRing, loopbackWithoutToken: true, corsOrigins: [uiOrigin], tokens: [TOKEN] });
    const [payload] = await new EncryptionCodec(keyRing).encode([
      defaultPayloadConverter.toPayload({ secret: SECRET }),
    ]);
    encrypted = payloadToJson(payload!);
  });
  after(async () => server?.stop());

  void test('decodes without a token for the UI’s origin on a loopback Host, and for programs with no Origin', async () => {
    const host = new URL(server.url).host;
    const cases: Record<string, string>[] = [
      { Host: host, Origin: uiOrigin },
      { Host: host },
      { Host: `localhost:${new URL(server.url).port}` },
    ];
    for (const headers of cases) {
      const { status, text } = await rawDecode(server, headers, [encrypted]);
      assert.equal(status, 200, `${JSON.stringify(headers)}: ${text}`);
      const [decoded] = (JSON.parse(text) as { payloads: PayloadJson[] }).payloads;
      assert.deepEqual(fromJson(decoded!), { secret: SECRET });
    }
  });

  void test('refuses a foreign Host (DNS rebinding) and any other web page’s Origin, unless a token comes along', async () => {
    const host = new URL(server.url).host;
    const rebinding = await rawDecode(server, { Host: `attacker.example:${new URL(server.url).port}` }, [encrypted]);
    assert.equal(rebinding.status, 401);
    assert.doesNotMatch(rebinding.text, new RegExp(SECRET));
    const otherPage = await rawDecode(server, { Host: host, Origin: 'https://attacker.example' }, [encrypted]);
    assert.equal(otherPage.status, 401);
    const withToken = await rawDecode(
      server,
      { Host: `attacker.example:1`, Origin: 'https://attacker.example', Authorization: `Bearer ${TOKEN}` },
      [encrypted],
    );
    assert.equal(withToken.status, 200, 'a token is still accepted from anywhere it reaches');
  });

  void test('refuses to start on an address other machines can reach', async () => {
    await assert.rejects(
      startCodecServer({ keyRing, loopbackWithoutToken: true, host: '0.0.0.0' }),
      /only on a loopback address, not on 0\.0\.0\.0/,
    );
  });
});
