import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import { emulatorFixturePerSuite } from '../support/emulator-scenarios';
import { rawRequest } from '../support/raw-ivs-request';

/**
 * The restJson1 wire protocol as a non-SDK client sees it: raw requests with fetch (signatures off, so the
 * requests can be hand-written), headers and status codes of successes and failures, and the front door's
 * robustness: no bad request takes the server down or stops it from answering others.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const MAX_BODY_BYTES = 1024;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

void describe('IVS Real-Time restJson1 wire protocol', () => {
  const fx = emulatorFixturePerSuite({ verifySignatures: false, maxBodyBytes: MAX_BODY_BYTES });
  let endpoint: string;

  before(async () => {
    endpoint = fx.emulator.endpoint;
  });

  async function call(path: string, init: RequestInit = {}): Promise<Answer> {
    const res = await fetch(`${endpoint}${path}`, { method: 'POST', ...init });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  const json = (path: string, body: unknown) =>
    call(path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Every error: the status, `x-amzn-ErrorType`, a request ID and a JSON body with `exceptionMessage`. */
  function assertError(answer: Answer, status: number, type: string): string {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.headers.get('x-amzn-errortype'), type);
    assert.match(answer.headers.get('x-amzn-requestid') ?? '', UUID);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(typeof answer.body.exceptionMessage, 'string');
    assert.ok((answer.body.exceptionMessage as string).length > 0);
    return answer.body.exceptionMessage as string;
  }

  /** The server still serves a well-formed request. */
  async function assertHealthy(): Promise<void> {
    const answer = await json('/ListStages', {});
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(Array.isArray(answer.body.stages));
  }

  void test('successful responses carry a unique x-amzn-RequestId and ISO 8601 timestamps', async () => {
    const created = await json('/CreateStage', { name: 'wire', participantTokenConfigurations: [{ userId: 'u' }] });
    assert.equal(created.status, 200);
    assert.match(created.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(created.headers.get('x-amzn-errortype'), null);
    const stage = created.body.stage as { arn: string };
    const [token] = created.body.participantTokens as { token: string; expirationTime: unknown }[];
    assert.equal(typeof token!.expirationTime, 'string');
    assert.match(token!.expirationTime as string, ISO_8601);

    const got = await json('/GetStage', { arn: stage.arn });
    assert.equal(got.status, 200);
    const ids = [created, got].map((a) => a.headers.get('x-amzn-requestid') ?? '');
    for (const id of ids) assert.match(id, UUID);
    assert.notEqual(ids[0], ids[1]);

    const { sessionId } = await fx.control.join(token!.token);
    const session = await json('/GetStageSession', { stageArn: stage.arn, sessionId });
    assert.equal(session.status, 200);
    assert.match((session.body.stageSession as { startTime: string }).startTime, ISO_8601);

    // Tags operations bind the ARN in the path: GET answers a body, DELETE binds tagKeys from the query.
    const arnPath = `/tags/${encodeURIComponent(stage.arn)}`;
    assert.equal((await json(arnPath, { tags: { a: '1', b: '2' } })).status, 200);
    assert.equal((await call(`${arnPath}?tagKeys=a`, { method: 'DELETE' })).status, 200);
    const tags = await call(arnPath, { method: 'GET' });
    assert.equal(tags.status, 200);
    assert.deepEqual(tags.body, { tags: { b: '2' } });
  });

  void test('a model error has x-amzn-ErrorType and a JSON body with exceptionMessage', async () => {
    const missing = await json('/GetStage', { arn: 'arn:aws:ivs:us-east-1:123456789012:stage/AAAAAAAAAAAA' });
    assert.match(assertError(missing, 404, 'ResourceNotFoundException'), /AAAAAAAAAAAA/);
    const invalid = await json('/CreateStage', { name: 'has space' });
    assert.match(assertError(invalid, 400, 'ValidationException'), /'name'/);
    await assertHealthy();
  });

  void test('malformed JSON is a 400 SerializationException', async () => {
    const answer = await call('/CreateStage', { headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    assertError(answer, 400, 'SerializationException');
    await assertHealthy();
  });

  void test('a body that is JSON but not an object is a 400 SerializationException', async () => {
    for (const body of ['[]', '[{"name":"x"}]', 'null', '42', '"stage"', 'true']) {
      const answer = await call('/CreateStage', { headers: { 'content-type': 'application/json' }, body });
      assertError(answer, 400, 'SerializationException');
    }
    await assertHealthy();
  });

  void test('a content type other than JSON is a 415', async () => {
    // fetch labels a string body text/plain by itself.
    const answer = await call('/CreateStage', { body: JSON.stringify({ name: 'plain' }) });
    assertError(answer, 415, 'UnsupportedMediaTypeException');
    const xml = await call('/CreateStage', { headers: { 'content-type': 'application/xml' }, body: '<name/>' });
    assertError(xml, 415, 'UnsupportedMediaTypeException');
    const withCharset = await call('/CreateStage', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ name: 'charset' }),
    });
    assert.equal(withCharset.status, 200, 'parameters of the media type are fine');
    await assertHealthy();
  });

  void test('a JSON body is accepted as application/json, application/x-amz-json-1.0 or -1.1, or without a content type', async () => {
    // aws-elixir sends application/x-amz-json-1.1 for every restJson1 service and works against AWS.
    for (const type of ['application/json', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1', undefined]) {
      const body = Buffer.from(JSON.stringify({ name: 'typed' }));
      const answer = await call('/CreateStage', {
        headers: type === undefined ? {} : { 'content-type': type },
        // A Uint8Array body, so fetch adds no content type of its own.
        body: new Uint8Array(body),
      });
      assert.equal(answer.status, 200, `${type ?? 'no content type'}: ${JSON.stringify(answer.body)}`);
    }
    const form = await call('/CreateStage', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=form',
    });
    assertError(form, 415, 'UnsupportedMediaTypeException');
    assert.match(
      String(form.body.message),
      /application\/json, application\/x-amz-json-1\.0 or application\/x-amz-json-1\.1/,
    );
  });

  void test('a body over maxBodyBytes is a 413, declared or chunked, and the server answers the next request', async () => {
    const big = JSON.stringify({
      name: 'big',
      tags: { padding: 'x'.repeat(250) },
      extra: 'y'.repeat(2 * MAX_BODY_BYTES),
    });
    const declared = await call('/CreateStage', { headers: { 'content-type': 'application/json' }, body: big });
    assertError(declared, 413, 'RequestEntityTooLargeException');
    await assertHealthy();

    // Without a Content-Length the limit is enforced while reading.
    const chunked = await call('/CreateStage', {
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(MAX_BODY_BYTES / 2)));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    assertError(chunked, 413, 'RequestEntityTooLargeException');
    await assertHealthy();
    const inventory = await fx.control.inventory();
    assert.ok(!inventory.regions.some((r) => r.stages.some((s) => s.name === 'big')), 'nothing was created');
  });

  void test('an unknown path is a 404 UnknownOperationException', async () => {
    for (const path of ['/', '/NoSuchOperation', '/createstage', '/CreateStage/extra', '/v1/CreateStage']) {
      assertError(await json(path, {}), 404, 'UnknownOperationException');
    }
    await assertHealthy();
  });

  void test('a method the operation is not bound to is a 405', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await call('/CreateStage', { method });
      assertError(answer, 405, 'MethodNotAllowedException');
    }
    await assertHealthy();
  });

  void test('a tags path with invalid percent-encoding is a 400', async () => {
    assertError(await call('/tags/%E0%A4%A', { method: 'GET' }), 400, 'ValidationException');
    assertError(await call('/tags/%', { method: 'GET' }), 400, 'ValidationException');
    await assertHealthy();
  });

  void test('hostile bodies are answered, not crashed on', async () => {
    const send = (body: string | Buffer) =>
      rawRequest(endpoint, { path: '/CreateStage', headers: { 'content-type': 'application/json' }, body });
    const invalidUtf8 = await send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    assert.equal(invalidUtf8.status, 400);
    const nested = await send(`{"name":${'['.repeat(400)}${']'.repeat(400)}}`);
    assert.equal(nested.status, 400);
    assert.equal(nested.headers['x-amzn-errortype'], 'ValidationException');
    const pollution = await send('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    assert.equal(pollution.status, 200);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    const hugeNumber = await send('{"participantTokenConfigurations":[{"duration":1e400}]}');
    assert.equal(hugeNumber.status, 400);
    const wrongMembers = await send('{"name":{"a":1},"tags":["x"],"participantTokenConfigurations":"all"}');
    assert.equal(wrongMembers.status, 400);
    assert.match(wrongMembers.text, /3 validation errors detected/);
    await assertHealthy();
  });

  void test('a client that sends headers and then stalls does not block other requests', async () => {
    const stalled: net.Socket[] = [];
    const open = (data: string) =>
      new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(fx.emulator.port, '127.0.0.1', () => {
          socket.write(data);
          resolve(socket);
        });
        socket.on('error', reject);
        stalled.push(socket);
      });
    try {
      // Headers complete, body promised but never sent.
      await open(
        'POST /CreateStage HTTP/1.1\r\nHost: emulator\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na',
      );
      // Headers never finished.
      await open('POST /ListStages HTTP/1.1\r\nHost: emulator\r\nContent-Ty');
      // Chunked body that never ends.
      await open(
        'POST /ListStages HTTP/1.1\r\nHost: emulator\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n',
      );
      const started = Date.now();
      await Promise.all([assertHealthy(), assertHealthy(), json('/CreateStage', { name: 'meanwhile' })]);
      await assertHealthy();
      // Well under the server's 10 s headersTimeout, the only thing that would free it otherwise.
      assert.ok(Date.now() - started < 5_000, `other requests were answered promptly (${Date.now() - started} ms)`);
    } finally {
      for (const socket of stalled) socket.destroy();
    }
    await assertHealthy();
  });
});
