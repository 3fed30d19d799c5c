import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import {
  CreateStageCommand,
  GetStageCommand,
  IVSRealTimeClient,
  ListStagesCommand,
  type IVSRealTimeClientConfig,
} from '@aws-sdk/client-ivs-realtime';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  EmulatorControlClient,
  startEmulator,
  type EmulatorConfigInput,
  type RunningEmulator,
} from '../../emulator/src';
import { perSuite } from '../support/per-suite';
import { rawRequest, type RawResponse } from '../support/raw-ivs-request';
import { waitFor } from '../support/wait-for';

/**
 * STS (AssumeRole, GetCallerIdentity) on the emulator's endpoint, over awsQuery: the temporary credentials it
 * issues act as the role's account for IVS calls, until they expire by the emulator's clock or a reset.
 * Needs only the emulator (no S3, no Temporal): `node --import tsx --test test/emulator/sts.test.ts` runs it.
 */
const ROLE_ACCOUNT = '111122223333';
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/ShowrunnerRole`;
const MASTER = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';

interface Sts {
  emulator: RunningEmulator;
  control: EmulatorControlClient;
  sts(credentials?: StsCredentials): STSClient;
  ivs(credentials: IVSRealTimeClientConfig['credentials']): IVSRealTimeClient;
  assume(input?: Partial<AssumeRoleCommandInput>): Promise<Credentials>;
  stop(): Promise<void>;
}

interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

async function startSts(config: EmulatorConfigInput = {}): Promise<Sts> {
  const emulator = await startEmulator({ rateLimits: false, ...config }, () => undefined);
  const clients: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  const sts = (credentials: StsCredentials = MASTER) =>
    track(new STSClient({ endpoint: emulator.endpoint, region: REGION, credentials, maxAttempts: 1 }));
  return {
    emulator,
    control: new EmulatorControlClient(emulator.endpoint),
    sts,
    ivs: (credentials) =>
      track(new IVSRealTimeClient({ endpoint: emulator.endpoint, region: REGION, credentials, maxAttempts: 1 })),
    async assume(input = {}) {
      const { Credentials } = await sts().send(
        new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'show-worker', ...input }),
      );
      assert.ok(Credentials?.AccessKeyId);
      return Credentials;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await emulator.stop();
    },
  };
}

const asIdentity = (c: Credentials): StsCredentials => ({
  accessKeyId: c.AccessKeyId!,
  secretAccessKey: c.SecretAccessKey!,
  sessionToken: c.SessionToken!,
});

async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** An awsQuery call signed the way the SDKs sign it, sent raw so the status and XML can be checked. */
async function stsRequest(
  endpoint: string,
  params: Record<string, string>,
  signing: StsCredentials & { service?: string; unsigned?: boolean } = MASTER,
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body = new URLSearchParams(params).toString();
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (signing.unsigned) return rawRequest(endpoint, { path: '/', headers, body });
  const signer = new SignatureV4({
    credentials: signing,
    region: REGION,
    service: signing.service ?? 'sts',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: +url.port,
      path: '/',
      headers,
      body,
    }),
  );
  return rawRequest(endpoint, { path: '/', headers: signed.headers, body });
}

/** The text of the first `<tag>` of an XML document (the documents here have no attributes on inner elements). */
function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function assertStsError(response: RawResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(response.status, status, response.text);
  assert.match(
    response.text,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>/,
  );
  assert.equal(xmlText(response.text, 'Code'), code, response.text);
  const requestId = response.headers['x-amzn-requestid'];
  assert.ok(requestId);
  assert.equal(xmlText(response.text, 'RequestId'), requestId, 'the body names the request like the header');
  if (message) assert.match(xmlText(response.text, 'Message') ?? '', message);
}

void describe('STS AssumeRole and GetCallerIdentity', () => {
  const fx = perSuite(
    () => startSts(),
    (s) => s.stop(),
  );

  void test('AssumeRole issues ASIA credentials for the role, expiring after DurationSeconds by the emulated clock', async () => {
    const before = Date.now();
    const { Credentials, AssumedRoleUser, $metadata } = await fx
      .sts()
      .send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'show-worker', ExternalId: 'tenant-42' }));
    assert.match(Credentials!.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(Credentials!.SecretAccessKey!.length, 40);
    assert.ok(Credentials!.SessionToken!.length >= 100);
    const expiresIn = Credentials!.Expiration!.getTime() - before;
    assert.ok(expiresIn > 3600_000 - 2_000 && expiresIn <= 3600_000 + 2_000, `default 3600 s, got ${expiresIn} ms`);
    assert.equal(AssumedRoleUser!.Arn, `arn:aws:sts::${ROLE_ACCOUNT}:assumed-role/ShowrunnerRole/show-worker`);
    assert.match(AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:show-worker$/);
    assert.ok($metadata.requestId);

    const short = await fx.assume({ DurationSeconds: 900, RoleSessionName: 'second' });
    const shortIn = short.Expiration!.getTime() - Date.now();
    assert.ok(shortIn > 895_000 && shortIn <= 901_000, `900 s, got ${shortIn} ms`);
    assert.notEqual(short.AccessKeyId, Credentials!.AccessKeyId, 'every call issues new credentials');

    // The role ID is the role's, whatever the session; a role path is not part of the assumed-role ARN.
    const again = await fx.sts().send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'other' }));
    assert.equal(again.AssumedRoleUser!.AssumedRoleId!.split(':')[0], AssumedRoleUser!.AssumedRoleId!.split(':')[0]);
    const pathed = await fx.sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/media/live/Runner`,
        RoleSessionName: 'p' + 'x',
      }),
    );
    assert.equal(pathed.AssumedRoleUser!.Arn, `arn:aws:sts::${ROLE_ACCOUNT}:assumed-role/Runner/px`);
  });

  void test('fromTemporaryCredentials: IVS calls act as the role account, invisible to the default account', async () => {
    const ivs = fx.ivs(
      fromTemporaryCredentials({
        params: { RoleArn: ROLE_ARN, RoleSessionName: 'showrunner' },
        masterCredentials: MASTER,
        clientConfig: { endpoint: fx.emulator.endpoint, region: REGION },
      }),
    );
    const { stage } = await ivs.send(new CreateStageCommand({ name: 'cross-account' }));
    assert.match(stage!.arn!, new RegExp(`^arn:aws:ivs:${REGION}:${ROLE_ACCOUNT}:stage/[a-zA-Z0-9]{12}$`));
    assert.deepEqual(
      (await ivs.send(new ListStagesCommand({}))).stages!.map((s) => s.arn),
      [stage!.arn],
    );

    const defaultAccount = fx.ivs(MASTER);
    assert.deepEqual((await defaultAccount.send(new ListStagesCommand({}))).stages, []);
    await rejectsWith(defaultAccount.send(new GetStageCommand({ arn: stage!.arn })), 'ResourceNotFoundException', 404);
    // The role's account is the same account its twelve-digit test key acts as.
    const sameAccount = fx.ivs({ accessKeyId: ROLE_ACCOUNT, secretAccessKey: 'test' });
    assert.equal((await sameAccount.send(new GetStageCommand({ arn: stage!.arn }))).stage!.name, 'cross-account');

    const inventory = await fx.control.inventory();
    assert.ok(inventory.regions.some((r) => r.accountId === ROLE_ACCOUNT && r.stages.length === 1));
    const metrics = fx.emulator.metrics.snapshot();
    assert.ok((metrics[`123456789012/${REGION}`]?.AssumeRole?.calls ?? 0) >= 1, 'AssumeRole is counted for the caller');
    assert.equal(metrics[`${ROLE_ACCOUNT}/${REGION}`]?.CreateStage?.calls, 1);
  });

  void test('GetCallerIdentity names the user of long-term keys and the assumed role of temporary ones', async () => {
    const user = await fx.sts().send(new GetCallerIdentityCommand({}));
    assert.equal(user.Account, '123456789012');
    assert.equal(user.Arn, 'arn:aws:iam::123456789012:user/emulator');
    assert.match(user.UserId!, /^AIDA[A-Z2-7]{17}$/);

    const digits = await fx
      .sts({ accessKeyId: '444455556666', secretAccessKey: 'test' })
      .send(new GetCallerIdentityCommand({}));
    assert.equal(digits.Account, '444455556666');

    const { Credentials, AssumedRoleUser } = await fx
      .sts()
      .send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'who-am-i' }));
    const role = await fx.sts(asIdentity(Credentials!)).send(new GetCallerIdentityCommand({}));
    assert.equal(role.Account, ROLE_ACCOUNT);
    assert.equal(role.Arn, AssumedRoleUser!.Arn);
    assert.equal(role.UserId, AssumedRoleUser!.AssumedRoleId);
  });

  void test('validation errors are 400 ValidationError naming the field, as STS words them', async () => {
    const assume = (input: Partial<AssumeRoleCommandInput>) =>
      fx.sts().send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'ok', ...input }));
    const cases: [Partial<AssumeRoleCommandInput>, RegExp][] = [
      [
        { RoleArn: 'arn:aws:iam::1:role' },
        /^1 validation error detected: Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20$/,
      ],
      [
        { RoleArn: 'arn:aws:iam::12345:role/Nope' },
        /^arn:aws:iam::12345:role\/Nope is invalid: roleArn must be an IAM role ARN/,
      ],
      [{ RoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:user/Someone` }, /is invalid: roleArn must be an IAM role ARN/],
      [{ RoleArn: `arn:aws:s3:::${ROLE_ACCOUNT}-bucket-name` }, /is invalid: roleArn/],
      [
        { RoleSessionName: 'has space' },
        /Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\*$/,
      ],
      [
        { RoleSessionName: 'x' },
        /at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2$/,
      ],
      [
        { RoleSessionName: 's'.repeat(65) },
        /at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64$/,
      ],
      [
        { DurationSeconds: 899 },
        /^1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900$/,
      ],
      [
        { DurationSeconds: 43_201 },
        /Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200$/,
      ],
      [
        { ExternalId: 'a b' },
        /Value 'a b' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      ],
      [
        { ExternalId: 'a' },
        /at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2$/,
      ],
      [
        { RoleArn: undefined },
        /^1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null$/,
      ],
      [
        { RoleArn: undefined, RoleSessionName: 'bad/name' },
        /^2 validation errors detected: Value null at 'roleArn' .*; Value 'bad\/name' at 'roleSessionName'/,
      ],
    ];
    for (const [input, message] of cases) {
      await rejectsWith(assume(input), 'ValidationError', 400, message);
    }
    // Values are echoed in the XML escaped, and read back as sent.
    await rejectsWith(
      assume({ RoleSessionName: '<b>&"x"' }),
      'ValidationError',
      400,
      /^1 validation error detected: Value '<b>&"x"' at 'roleSessionName'/,
    );
    // A value XML cannot carry at all is replaced in the echo, and the document stays readable.
    await rejectsWith(
      assume({ RoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/\u0001x` }),
      'ValidationError',
      400,
      /^1 validation error detected: Value 'arn:aws:iam::111122223333:role\/\uFFFDx' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\u0009/,
    );
    // The longest and shortest legal values pass.
    await assume({ RoleSessionName: 's'.repeat(64), DurationSeconds: 43_200, ExternalId: 'a:b/c@d' });
    await assume({ RoleSessionName: 'ab', DurationSeconds: 900, ExternalId: 'xy' });
  });

  void test('the awsQuery error document, unknown and missing actions, other versions', async () => {
    const endpoint = fx.emulator.endpoint;
    const invalid = await stsRequest(endpoint, { Action: 'AssumeRole', Version: '2011-06-15', RoleSessionName: 'x y' });
    assertStsError(invalid, 400, 'ValidationError', /Value null at 'roleArn'.*Value 'x y' at 'roleSessionName'/);
    assert.equal(invalid.headers['content-type'], 'text/xml');
    assertStsError(
      await stsRequest(endpoint, { Action: 'GetSessionToken', Version: '2011-06-15' }),
      400,
      'InvalidAction',
      /^Could not find operation GetSessionToken for version 2011-06-15/,
    );
    assertStsError(
      await stsRequest(endpoint, { Action: 'GetCallerIdentity', Version: '2010-01-01' }),
      400,
      'InvalidAction',
      /version 2010-01-01/,
    );
    assertStsError(await stsRequest(endpoint, { Version: '2011-06-15' }), 400, 'MissingAction');
    // Parameters in the query string count too; the body wins.
    const ok = await stsRequest(endpoint, { Action: 'GetCallerIdentity', Version: '2011-06-15' });
    assert.equal(ok.status, 200, ok.text);
    assert.match(
      ok.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><UserId>AIDA[A-Z2-7]{17}<\/UserId><Account>123456789012<\/Account><Arn>arn:aws:iam::123456789012:user\/emulator<\/Arn><\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
    );
    assert.equal(xmlText(ok.text, 'RequestId'), ok.headers['x-amzn-requestid']);
  });

  void test('SigV4 on STS: unsigned, wrongly signed, signed for another service or by an unknown key are 403', async () => {
    const endpoint = fx.emulator.endpoint;
    const call = { Action: 'GetCallerIdentity', Version: '2011-06-15' };
    assertStsError(
      await stsRequest(endpoint, call, { ...MASTER, unsigned: true }),
      403,
      'MissingAuthenticationToken',
      /^Request is missing Authentication Token$/,
    );
    assertStsError(
      await stsRequest(endpoint, call, { accessKeyId: 'test', secretAccessKey: 'wrong' }),
      403,
      'SignatureDoesNotMatch',
      /signature we calculated does not match/,
    );
    assertStsError(
      await stsRequest(endpoint, call, { ...MASTER, service: 'ivs' }),
      403,
      'SignatureDoesNotMatch',
      /scoped to correct service: 'sts'/,
    );
    assertStsError(
      await stsRequest(endpoint, call, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'test' }),
      403,
      'InvalidClientTokenId',
      /security token included in the request is invalid/,
    );
    await rejectsWith(
      fx
        .sts({ accessKeyId: 'test', secretAccessKey: 'wrong' })
        .send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'nope' })),
      'SignatureDoesNotMatch',
      403,
    );
    // A body changed after signing does not verify either.
    const url = new URL(endpoint);
    const headers = { host: url.host, 'content-type': 'application/x-www-form-urlencoded' };
    const signer = new SignatureV4({
      credentials: MASTER,
      region: REGION,
      service: 'sts',
      sha256: Hash.bind(null, 'sha256'),
    });
    const body = `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(ROLE_ARN)}&RoleSessionName=signed`;
    const signed = await signer.sign(
      new HttpRequest({ method: 'POST', hostname: url.hostname, port: +url.port, path: '/', headers, body }),
    );
    const tampered = await rawRequest(endpoint, {
      path: '/',
      headers: signed.headers,
      body: body.replace('111122223333', '999999999999'),
    });
    assertStsError(tampered, 403, 'SignatureDoesNotMatch');
    const genuine = await rawRequest(endpoint, { path: '/', headers: signed.headers, body });
    assert.equal(genuine.status, 200, genuine.text);
  });

  void test('temporary credentials need their own session token: a wrong or missing one is 403', async () => {
    const credentials = asIdentity(await fx.assume());
    const other = asIdentity(await fx.assume({ RoleSessionName: 'other-session' }));
    // Through the SDK, which signs the token in x-amz-security-token.
    assert.ok(Array.isArray((await fx.ivs(credentials).send(new ListStagesCommand({}))).stages));
    const wrongToken = { ...credentials, sessionToken: other.sessionToken };
    await rejectsWith(
      fx.ivs(wrongToken).send(new ListStagesCommand({})),
      'UnrecognizedClientException',
      403,
      /security token included in the request is invalid/,
    );
    const noToken = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
    await rejectsWith(fx.ivs(noToken).send(new ListStagesCommand({})), 'UnrecognizedClientException', 403);
    await rejectsWith(fx.sts(wrongToken).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
    assertStsError(
      await stsRequest(fx.emulator.endpoint, { Action: 'GetCallerIdentity', Version: '2011-06-15' }, noToken),
      403,
      'InvalidClientTokenId',
    );
    // The right token with the wrong secret is still a bad signature.
    await rejectsWith(
      fx.ivs({ ...credentials, secretAccessKey: other.secretAccessKey }).send(new ListStagesCommand({})),
      'InvalidSignatureException',
      403,
    );
  });

  void test('role chaining: temporary credentials assume another role, for at most an hour', async () => {
    const first = asIdentity(await fx.assume());
    const chained = await fx
      .sts(first)
      .send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::777788889999:role/Next', RoleSessionName: 'hop' }));
    assert.equal(chained.AssumedRoleUser!.Arn, 'arn:aws:sts::777788889999:assumed-role/Next/hop');
    const { stage } = await fx.ivs(asIdentity(chained.Credentials!)).send(new CreateStageCommand({ name: 'hop' }));
    assert.match(stage!.arn!, /:777788889999:stage\//);
    await rejectsWith(
      fx.sts(first).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'long', DurationSeconds: 7200 })),
      'ValidationError',
      400,
      /exceeds the 1 hour session limit for roles assumed by role chaining/,
    );
    // Long-term credentials may ask for longer.
    await fx.assume({ DurationSeconds: 7200 });
  });

  void test('a reset forgets every issued credential', async () => {
    const credentials = asIdentity(await fx.assume());
    await fx.ivs(credentials).send(new ListStagesCommand({}));
    await fx.control.reset();
    await rejectsWith(fx.ivs(credentials).send(new ListStagesCommand({})), 'UnrecognizedClientException', 403);
    await rejectsWith(fx.sts(credentials).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
    // Long-term credentials are configuration, not state: they still work.
    assert.equal((await fx.sts().send(new GetCallerIdentityCommand({}))).Account, '123456789012');
  });

  void test('IVS requests are routed as before: POST / with JSON is still an unknown IVS operation', async () => {
    const response = await rawRequest(fx.emulator.endpoint, {
      path: '/',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 404, response.text);
    assert.equal(response.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.equal(response.headers['content-type'], 'application/json');
    // Signed for sts, a POST / is STS's whatever its body, and STS takes forms only.
    const url = new URL(fx.emulator.endpoint);
    const signer = new SignatureV4({
      credentials: MASTER,
      region: REGION,
      service: 'sts',
      sha256: Hash.bind(null, 'sha256'),
    });
    const headers = { host: url.host, 'content-type': 'application/json' };
    const signed = await signer.sign(
      new HttpRequest({ method: 'POST', hostname: url.hostname, port: +url.port, path: '/', headers, body: '{}' }),
    );
    const json = await rawRequest(fx.emulator.endpoint, { path: '/', headers: signed.headers, body: '{}' });
    assert.equal(json.status, 415, json.text);
    assert.equal(xmlText(json.text, 'Code'), 'UnsupportedMediaType');
  });
});

void describe('STS credentials expire by the emulated clock', () => {
  const SCALE = 300;
  const fx = perSuite(
    () => startSts({ clockScale: SCALE }),
    (s) => s.stop(),
  );

  void test('after DurationSeconds of emulated time, IVS answers 403 ExpiredTokenException and STS ExpiredToken', async () => {
    // 900 emulated seconds are 3 real seconds at this scale.
    const issued = await fx.assume({ DurationSeconds: 900 });
    const credentials = asIdentity(issued);
    assert.deepEqual((await fx.ivs(credentials).send(new ListStagesCommand({}))).stages, []);
    await waitFor(async () => (await fx.control.clock()).epochMs >= issued.Expiration!.getTime(), 20_000, {
      description: 'the emulated clock passes the expiration',
    });
    await rejectsWith(
      fx.ivs(credentials).send(new ListStagesCommand({})),
      'ExpiredTokenException',
      403,
      /security token included in the request is expired/,
    );
    await rejectsWith(fx.sts(credentials).send(new GetCallerIdentityCommand({})), 'ExpiredToken', 403);
    // Expired credentials cannot assume a role either; fresh ones work.
    await rejectsWith(
      fx.sts(credentials).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'late' })),
      'ExpiredToken',
      403,
    );
    const fresh = asIdentity(await fx.assume({ DurationSeconds: 3600 }));
    assert.deepEqual((await fx.ivs(fresh).send(new ListStagesCommand({}))).stages, []);
  });
});

void describe('STS options', () => {
  void test('assumableRoles restricts AssumeRole to the listed ARNs; others are 403 AccessDenied', async () => {
    const s = await startSts({ assumableRoles: [`arn:aws:iam::${ROLE_ACCOUNT}:role/Showrunner*`] });
    try {
      await s.assume({ RoleArn: ROLE_ARN });
      await s.assume({ RoleArn: `${ROLE_ARN}-Eu` });
      await rejectsWith(
        s
          .sts()
          .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/Admin`, RoleSessionName: 'x1' })),
        'AccessDenied',
        403,
        new RegExp(
          `^User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ROLE_ACCOUNT}:role/Admin$`,
        ),
      );
      await rejectsWith(
        s
          .sts()
          .send(
            new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/ShowrunnerRole', RoleSessionName: 'x2' }),
          ),
        'AccessDenied',
        403,
      );
    } finally {
      await s.stop();
    }
  });

  void test('with verifySignatures off, temporary access keys still select the role account', async () => {
    const s = await startSts({ verifySignatures: false });
    try {
      const credentials = asIdentity(await s.assume());
      const { stage } = await s
        .ivs({ ...credentials, secretAccessKey: 'not-checked', sessionToken: 'not-checked' })
        .send(new CreateStageCommand({ name: 'open' }));
      assert.match(stage!.arn!, new RegExp(`:${ROLE_ACCOUNT}:stage/`));
    } finally {
      await s.stop();
    }
  });
});

const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const awsVersion = probe.status === 0 ? `${probe.stdout}${probe.stderr}`.trim() : undefined;

void describe(`STS from the AWS CLI (${awsVersion ?? 'aws CLI missing'})`, () => {
  const fx = perSuite(
    () => startSts(),
    (s) => s.stop(),
  );
  let home: string;
  before(() => {
    // A HOME of its own so a developer's ~/.aws config or credentials cannot change what is sent.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-cli-home-'));
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  function aws(
    args: string[],
    credentials: StsCredentials = MASTER,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: REGION,
    };
    if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
    // pyenv shims find their installation through PYENV_ROOT, which defaults to ~/.pyenv of the real HOME.
    if (process.env.PYENV_ROOT) env.PYENV_ROOT = process.env.PYENV_ROOT;
    else if (process.env.HOME) env.PYENV_ROOT = path.join(process.env.HOME, '.pyenv');
    return new Promise((resolve, reject) => {
      const child = spawn('aws', [...args, '--endpoint-url', fx.emulator.endpoint, '--output', 'json'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  const skipWithoutCli = (t: TestContext): boolean => {
    if (awsVersion) return false;
    t.skip(`the aws CLI is not on PATH (${probe.error?.message ?? `exit ${probe.status}`}); install it to run these`);
    return true;
  };

  void test('aws sts assume-role, then get-caller-identity and ivs-realtime with the issued credentials', async (t) => {
    if (skipWithoutCli(t)) return;
    const assumed = await aws([
      'sts',
      'assume-role',
      '--role-arn',
      ROLE_ARN,
      '--role-session-name',
      'cli',
      '--duration-seconds',
      '1800',
    ]);
    assert.equal(assumed.code, 0, assumed.stderr);
    const { Credentials, AssumedRoleUser } = JSON.parse(assumed.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      AssumedRoleUser: { Arn: string };
    };
    assert.equal(AssumedRoleUser.Arn, `arn:aws:sts::${ROLE_ACCOUNT}:assumed-role/ShowrunnerRole/cli`);
    assert.ok(Math.abs(Date.parse(Credentials.Expiration) - Date.now() - 1800_000) < 5_000, Credentials.Expiration);
    const temporary = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
    };
    const [identity, created] = await Promise.all([
      aws(['sts', 'get-caller-identity'], temporary),
      aws(['ivs-realtime', 'create-stage', '--name', 'from-cli'], temporary),
    ]);
    assert.equal(identity.code, 0, identity.stderr);
    assert.equal((JSON.parse(identity.stdout) as { Account: string }).Account, ROLE_ACCOUNT);
    assert.equal(created.code, 0, created.stderr);
    assert.match(
      (JSON.parse(created.stdout) as { stage: { arn: string } }).stage.arn,
      new RegExp(`:${ROLE_ACCOUNT}:stage/`),
    );
  });

  void test('aws sts assume-role with an invalid session name exits non-zero with ValidationError', async (t) => {
    if (skipWithoutCli(t)) return;
    const result = await aws(['sts', 'assume-role', '--role-arn', ROLE_ARN, '--role-session-name', 'no spaces']);
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /\(ValidationError\) when calling the AssumeRole operation: 1 validation error detected: Value 'no spaces' at 'roleSessionName'/,
    );
  });
});
