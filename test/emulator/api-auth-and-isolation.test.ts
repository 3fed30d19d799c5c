import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  IVSRealTimeClient,
  ListStagesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ivs-realtime';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';
import { emulatorFixturePerSuite } from '../support/emulator-scenarios';
import { errorBody, rawRequest, signedRequest, type RawResponse } from '../support/raw-ivs-request';

/**
 * Authentication as the service's front door does it (SigV4 with signing name `ivs`, 15 minutes of clock
 * skew), and the separation of state per account and region that follows from the caller's identity.
 */
function assertForbidden(response: RawResponse, type: string, message?: RegExp): void {
  assert.equal(response.status, 403, response.text);
  assert.equal(response.headers['x-amzn-errortype'], type);
  assert.ok(response.headers['x-amzn-requestid']);
  if (message) assert.match(errorBody(response).exceptionMessage, message);
}

async function rejectsWith(promise: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

void describe('SigV4 authentication', () => {
  let fx: EmulatorFixture;
  let endpoint: string;
  const clients: IVSRealTimeClient[] = [];
  const sdk = (accessKeyId: string, secretAccessKey: string) => {
    const c = new IVSRealTimeClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };

  before(async () => {
    fx = await startEmulatorFixture();
    endpoint = fx.emulator.endpoint;
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await fx.stop();
  });

  void test('an unsigned request is a 403 MissingAuthenticationTokenException', async () => {
    const response = await rawRequest(endpoint, {
      path: '/ListStages',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assertForbidden(response, 'MissingAuthenticationTokenException', /Missing Authentication Token/);
    assertForbidden(
      await rawRequest(endpoint, { path: '/ListStages', headers: { authorization: 'Bearer abc' }, body: '' }),
      'IncompleteSignatureException',
    );
  });

  void test('a wrong secret is a 403 InvalidSignatureException, through the SDK and raw', async () => {
    await rejectsWith(sdk('test', 'wrong').send(new ListStagesCommand({})), 'InvalidSignatureException', 403);
    assertForbidden(
      await signedRequest(endpoint, { path: '/ListStages', body: {} }, { secretAccessKey: 'wrong' }),
      'InvalidSignatureException',
      /signature we calculated does not match/,
    );
  });

  void test('a body changed after signing is a 403 InvalidSignatureException, with or without x-amz-content-sha256', async () => {
    const url = new URL(endpoint);
    for (const applyChecksum of [true, false]) {
      const request = new HttpRequest({
        method: 'POST',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/CreateStage',
        headers: { host: url.host, 'content-type': 'application/json' },
        body: '{"name":"signed"}',
      });
      // applyChecksum sends the payload hash as x-amz-content-sha256, as the JS SDK does; botocore does not.
      const signer = new SignatureV4({
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        region: 'us-east-1',
        service: 'ivs',
        sha256: Hash.bind(null, 'sha256'),
        applyChecksum,
      });
      const { headers } = await signer.sign(request);
      assert.equal('x-amz-content-sha256' in headers, applyChecksum);
      const tampered = await rawRequest(endpoint, { path: '/CreateStage', headers, body: '{"name":"tampered"}' });
      assertForbidden(tampered, 'InvalidSignatureException');
      const genuine = await rawRequest(endpoint, { path: '/CreateStage', headers, body: '{"name":"signed"}' });
      assert.equal(genuine.status, 200, genuine.text);
    }
    const inventory = await fx.control.inventory();
    assert.ok(!inventory.regions.some((r) => r.stages.some((s) => s.name === 'tampered')));
    const wrongService = await signedRequest(endpoint, { path: '/ListStages', body: {} }, { service: 'ivschat' });
    assertForbidden(wrongService, 'InvalidSignatureException', /scoped to correct service/);
  });

  void test('an unknown access key is a 403 UnrecognizedClientException', async () => {
    await rejectsWith(sdk('AKIDNOTKNOWN', 'test').send(new ListStagesCommand({})), 'UnrecognizedClientException', 403);
    // A twelve-digit key with any secret but `test` is known but wrongly signed.
    await rejectsWith(sdk('111111111111', 'nope').send(new ListStagesCommand({})), 'InvalidSignatureException', 403);
  });

  void test('a request signed 20 minutes ago is a 403 "Signature expired"; 10 minutes ago is fine', async () => {
    const old = await signedRequest(
      endpoint,
      { path: '/ListStages', body: {} },
      { signingDate: new Date(Date.now() - 20 * 60_000) },
    );
    assertForbidden(old, 'InvalidSignatureException', /Signature expired/);
    const future = await signedRequest(
      endpoint,
      { path: '/ListStages', body: {} },
      { signingDate: new Date(Date.now() + 20 * 60_000) },
    );
    assertForbidden(future, 'InvalidSignatureException', /Signature expired/);
    const skewed = await signedRequest(
      endpoint,
      { path: '/ListStages', body: {} },
      { signingDate: new Date(Date.now() - 10 * 60_000) },
    );
    assert.equal(skewed.status, 200, skewed.text);
  });

  void test('a correctly signed tags request with a URL-encoded ARN in the path works', async () => {
    const { stage } = await fx.ivs.send(new CreateStageCommand({ name: 'signed-tags' }));
    const path = `/tags/${encodeURIComponent(stage!.arn!)}`;
    assert.ok(path.includes('%3A') && path.includes('%2F'));
    const tagged = await signedRequest(endpoint, { path, body: { tags: { show: 'x', keep: 'y' } } });
    assert.equal(tagged.status, 200, tagged.text);
    const untagged = await signedRequest(endpoint, { method: 'DELETE', path, query: { tagKeys: ['show'] } });
    assert.equal(untagged.status, 200, untagged.text);
    const listed = await signedRequest(endpoint, { method: 'GET', path });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(JSON.parse(listed.text), { tags: { keep: 'y' } });
    // And the SDK's own encoding and signing of the same operations.
    await fx.ivs.send(new TagResourceCommand({ resourceArn: stage!.arn, tags: { 'with space': 'a/b', 'k=v': '1' } }));
    await fx.ivs.send(new UntagResourceCommand({ resourceArn: stage!.arn, tagKeys: ['keep', 'k=v'] }));
    assert.deepEqual((await fx.ivs.send(new ListTagsForResourceCommand({ resourceArn: stage!.arn }))).tags, {
      'with space': 'a/b',
    });
  });

  void test('with verifySignatures off, unsigned requests work', async () => {
    const open = await startEmulatorFixture({ verifySignatures: false });
    try {
      const response = await rawRequest(open.emulator.endpoint, {
        path: '/CreateStage',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"anonymous"}',
      });
      assert.equal(response.status, 200, response.text);
      const arn = (JSON.parse(response.text) as { stage: { arn: string } }).stage.arn;
      assert.match(arn, /^arn:aws:ivs:us-east-1:123456789012:stage\//, 'the default account and region');
      // A wrong signature is not checked either; the access key still selects the account.
      const wrong = await signedRequest(
        open.emulator.endpoint,
        { path: '/ListStages', body: {} },
        { accessKeyId: '444444444444', secretAccessKey: 'wrong' },
      );
      assert.equal(wrong.status, 200, wrong.text);
      assert.deepEqual(JSON.parse(wrong.text), { stages: [] });
    } finally {
      await open.stop();
    }
  });
});

void describe('account and region isolation', () => {
  const fx = emulatorFixturePerSuite();

  void test('a stage of account 111111111111 is invisible to account 222222222222 and to another region', async () => {
    const owner = fx.client({ accessKeyId: '111111111111' });
    const other = fx.client({ accessKeyId: '222222222222' });
    const ownerEu = fx.client({ accessKeyId: '111111111111', region: 'eu-west-1' });

    const { stage } = await owner.send(new CreateStageCommand({ name: 'isolated', tags: { owner: 'a' } }));
    const arn = stage!.arn!;
    assert.match(arn, /^arn:aws:ivs:us-east-1:111111111111:stage\/[a-zA-Z0-9]{12}$/);
    const { stage: euStage } = await ownerEu.send(new CreateStageCommand({ name: 'isolated-eu' }));
    assert.match(euStage!.arn!, /^arn:aws:ivs:eu-west-1:111111111111:stage\//);
    const { stage: otherStage } = await other.send(new CreateStageCommand({ name: 'other' }));
    assert.match(otherStage!.arn!, /^arn:aws:ivs:us-east-1:222222222222:stage\//);

    for (const [who, client] of [
      ['another account', other],
      ['another region', ownerEu],
    ] as const) {
      await rejectsWith(client.send(new GetStageCommand({ arn })), 'ResourceNotFoundException', 404);
      await rejectsWith(client.send(new DeleteStageCommand({ arn })), 'ResourceNotFoundException', 404);
      await rejectsWith(
        client.send(new TagResourceCommand({ resourceArn: arn, tags: { stolen: 'yes' } })),
        'ResourceNotFoundException',
        404,
      );
      await rejectsWith(
        client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
        'ResourceNotFoundException',
        404,
      );
      const listed = (await client.send(new ListStagesCommand({}))).stages!;
      assert.ok(!listed.some((s) => s.arn === arn), `${who} does not list it`);
    }
    assert.deepEqual(
      (await owner.send(new ListStagesCommand({}))).stages!.map((s) => s.arn),
      [arn],
    );
    assert.deepEqual(
      (await ownerEu.send(new ListStagesCommand({}))).stages!.map((s) => s.arn),
      [euStage!.arn],
    );
    // The failed attempts changed nothing.
    const intact = (await owner.send(new GetStageCommand({ arn }))).stage!;
    assert.deepEqual(intact.tags, { owner: 'a' });
    // The default credential `test` is account 123456789012: it sees none of these.
    assert.deepEqual((await fx.ivs.send(new ListStagesCommand({}))).stages, []);
  });
});
