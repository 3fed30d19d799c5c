import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DeletePublicKeyCommand,
  DeleteStageCommand,
  GetPublicKeyCommand,
  ListPublicKeysCommand,
  type PublicKeySummary,
} from '@aws-sdk/client-ivs-realtime';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { startTokenService, type TokenService } from '../../audience/token-service';
import { audienceSignerQuery } from '../../contracts/show-messages';
import { TAG_RUN_KEY, TAG_SHOW_ID } from '../../contracts/tags';
import { EncryptionCodec } from '../../security/encryption-codec';
import { loadKeyRing } from '../../security/encryption-keys';
import { rejectsWithControlError } from '../support/emulator-assertions';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import {
  baseShowSpec,
  endShow,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForPhase,
} from '../support/show-scenarios';
import { testTemporalEnv } from '../support/test-env';
import { runCliInProcess } from '../cli/run-in-process';

const WEB = { name: 'web', token: 'web-caller-token-0123456789' };
const TV = { name: 'tv', token: 'tv-caller-token-0123456789' };

/** Every Payload anywhere in a history. */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if ('data' in value && 'metadata' in value) found.push(value as Payload);
  else for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

/** A secret as is, or base64-encoded from each of three offsets inside a longer base64 text. */
function encodings(secret: string): string[] {
  const variants = [secret];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.from(secret.slice(offset)).toString('base64');
    variants.push(b64.slice(0, b64.length - 4));
  }
  return variants;
}

void describe('audience tokens: a show signs viewer tokens through the token service', () => {
  const h = showHarnessPerSuite(showEmulatorConfig());
  let service: TokenService;
  before(async () => {
    // signerTtlMs 0: every request asks the show, so the test sees a show's end at once.
    service = await startTokenService({
      port: 0,
      host: '127.0.0.1',
      callers: [WEB, TV],
      client: h.client,
      signerTtlMs: 0,
    });
  });
  after(() => service.stop());

  const mint = async (showId: string, body: unknown, caller: { token: string } | null = WEB) => {
    const res = await fetch(`${service.url}/shows/${showId}/viewer-tokens`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(caller ? { authorization: `Bearer ${caller.token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, string> };
  };

  async function showKeys(showId: string): Promise<PublicKeySummary[]> {
    const { publicKeys } = await h.fixture.ivs.send(new ListPublicKeysCommand({ maxResults: 100 }));
    return (publicKeys ?? []).filter((k) => k.tags?.[TAG_SHOW_ID] === showId);
  }

  async function rawHistoryBytes(workflowId: string): Promise<{ bytes: Buffer; payloads: Payload[] }> {
    const raw = new Client({ connection: h.client.connection, namespace: testTemporalEnv().namespace });
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await raw.workflowService.getWorkflowExecutionHistory({
        namespace: testTemporalEnv().namespace,
        execution: { workflowId },
        nextPageToken,
      });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    const history = { events };
    return {
      bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()),
      payloads: payloadsIn(history),
    };
  }

  void test('a viewer joins and subscribes with a minted token; after tidy-up the same token is refused', async () => {
    const showId = h.showId('audience');
    const handle = await h.startShow(
      baseShowSpec(showId, {
        audience: {
          maxTokenTtl: '5m',
          attributes: { maxBytes: 64, allowedKeys: ['seat'] },
          rateLimit: { tokensPerSecond: 0.01, burst: 3 },
        },
        // The stage outlives the show, so the refusal after tidy-up is the key's deletion, not the stage's.
        policies: { keep: { stage: true } },
      }),
    );
    const status = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');
    const stageArn = status.resources.stageArn!;

    // The key is the show's: one, tagged with its run.
    const [key, ...others] = await showKeys(showId);
    assert.ok(key && others.length === 0, 'one public key under the show’s tags');
    assert.ok(key.tags?.[TAG_RUN_KEY]);

    // Authentication and the show's limits come first.
    assert.equal((await mint(showId, { userId: 'v0' }, null)).status, 401);
    assert.equal((await mint(showId, { userId: 'v0' }, { token: 'wrong-token-0123456789' })).status, 401);
    assert.equal((await mint('no-such-show', { userId: 'v0' })).status, 404);
    const tooBig = await mint(showId, { userId: 'v0', attributes: { seat: 'x'.repeat(1100) } }, TV);
    assert.equal(tooBig.status, 400);
    assert.equal(tooBig.body.message, 'attributes: attributes must total at most 1 KB');
    const badKey = await mint(showId, { userId: 'v0', attributes: { vip: 'yes' } }, TV);
    assert.equal(badKey.status, 400);
    assert.match(badKey.body.message!, /key vip is not allowed/);
    assert.equal((await mint(showId, { userId: 'v0', capabilities: ['PUBLISH'] })).status, 400);

    // Three tokens a caller (the burst), then 429 with Retry-After; another caller has its own budget.
    const minted = [];
    for (let i = 1; i <= 3; i++) {
      const res = await mint(showId, { userId: `viewer-${i}`, attributes: { seat: `A${i}` } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      minted.push(res.body);
    }
    const limited = await mint(showId, { userId: 'viewer-4' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await mint(showId, { userId: 'viewer-tv' }, TV)).status, 201);

    // The documented claims, verified with the key IVS holds.
    const viewer = minted[0]!;
    assert.deepEqual(decodeProtectedHeader(viewer.token!), { alg: 'ES384', typ: 'JWT', kid: key.arn });
    const { publicKey } = await h.fixture.ivs.send(new GetPublicKeyCommand({ arn: key.arn }));
    const { payload } = await jwtVerify(viewer.token!, await importSPKI(publicKey!.publicKeyMaterial!, 'ES384'));
    assert.equal(payload.resource, stageArn);
    assert.equal(payload.user_id, 'viewer-1');
    assert.deepEqual(payload.attributes, { seat: 'A1' });
    assert.deepEqual(payload.capabilities, { allow_publish: false, allow_subscribe: true });
    assert.equal(payload.jti, viewer.participantId);
    assert.ok(payload.exp! - payload.iat! <= 300, 'at most the spec’s 5 minutes');

    // On the emulator: the viewer joins and subscribes, and may not publish.
    const joined = await h.fixture.control.join(viewer.token!);
    assert.equal(joined.stageArn, stageArn);
    assert.equal(joined.participantId, viewer.participantId);
    assert.equal(joined.publishing, false);
    await assert.rejects(h.fixture.control.publish({ token: viewer.token! }));
    await h.fixture.control.leave({ token: viewer.token! });

    const result = await endShow(h, handle);
    assert.ok(
      result.removed.some((r) => r.kind === 'public-key' && r.arn === key.arn),
      JSON.stringify(result),
    );
    assert.ok(result.kept.some((r) => r.kind === 'stage'));
    assert.deepEqual(await showKeys(showId), [], 'the key is gone: nothing leaked');

    // The stage is kept, the key deleted: the emulator refuses a token handed out before the deletion. AWS documents
    // only that tokens generated afterwards are invalid (emulator/conformance.md, public-key-deleted).
    const refused = await rejectsWithControlError(
      h.fixture.control.join(minted[1]!.token!),
      403,
      'AccessDeniedException',
    );
    assert.match(refused.message, /unknown public key/);
    const closed = await mint(showId, { userId: 'late' }, TV);
    assert.equal(closed.status, 409);
    assert.equal(closed.body.error, 'NoAudience');
    assert.equal(await handle.query(audienceSignerQuery), undefined);

    // The private key: in history only encrypted.
    const { bytes, payloads } = await rawHistoryBytes(handle.workflowId);
    assert.ok(bytes.includes('importAudienceKey'), 'the byte search sees plain-text parts of history');
    const decoded = await new EncryptionCodec(loadKeyRing(TEST_KEY_RING_ENV)).decode(payloads);
    const plain = Buffer.concat(decoded.map((p) => Buffer.from(p.data ?? new Uint8Array())));
    const d = /"d":"([A-Za-z0-9_-]+)"/.exec(plain.toString('utf8'))?.[1];
    assert.ok(
      d && d.length >= 60,
      'control: the decoded history holds the private key (so the search looks where it is)',
    );
    for (const variant of encodings(d))
      assert.ok(!bytes.includes(variant), 'the private key is in history in plain text');
    assert.ok(!bytes.includes('PRIVATE KEY'));
    assert.equal(decodeJwt(viewer.token!).jti, viewer.participantId);

    await h.fixture.ivs.send(new DeleteStageCommand({ arn: stageArn }));
  });

  void test('keep.publicKey: the key and its tokens outlive the show', async () => {
    const showId = h.showId('audience-kept');
    const handle = await h.startShow(
      baseShowSpec(showId, { audience: {}, policies: { keep: { stage: true, publicKey: true } } }),
    );
    const status = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');
    const res = await mint(showId, { userId: 'keeper' });
    assert.equal(res.status, 201);

    // The CLI asks the service the way an application backend would; the token is all it prints on stdout.
    Object.assign(process.env, { SHOWRUNNER_AUDIENCE_URL: service.url, SHOWRUNNER_AUDIENCE_TOKEN: TV.token });
    const cli = await runCliInProcess([
      'audience-token',
      showId,
      '--user',
      'cli-viewer',
      '--attributes',
      '{"seat":"B2"}',
    ]);
    assert.equal(cli.exitCode, 0, cli.stderr);
    assert.deepEqual(decodeJwt(cli.stdout.trim()).attributes, { seat: 'B2' });
    const refused = await runCliInProcess(['audience-token', showId, '--user', '']);
    assert.equal(refused.exitCode, 2, refused.stderr);
    assert.match(refused.stderr, /userId/);
    const result = await endShow(h, handle);
    const [key] = await showKeys(showId);
    assert.ok(key && result.kept.some((r) => r.kind === 'public-key' && r.arn === key.arn), JSON.stringify(result));
    assert.equal(key.tags?.['showrunner:keep'], 'true');
    const joined = await h.fixture.control.join(res.body.token!);
    assert.equal(joined.stageArn, status.resources.stageArn);
    await h.fixture.control.leave({ token: res.body.token! });
    await h.fixture.ivs.send(new DeletePublicKeyCommand({ arn: key.arn }));
    await h.fixture.ivs.send(new DeleteStageCommand({ arn: status.resources.stageArn }));
  });

  void test('a lost ImportPublicKey response leaves exactly one key, the recorded one, and tidy-up removes it', async () => {
    await h.fixture.control.addFault({ operation: 'ImportPublicKey', mode: 'lost-response', count: 1 });
    const showId = h.showId('audience-lost');
    const handle = await h.startShow(baseShowSpec(showId, { audience: {} }));
    await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');
    assert.deepEqual(await h.fixture.control.listFaults(), [], 'the fault fired');
    const keys = await showKeys(showId);
    assert.equal(keys.length, 1, JSON.stringify(keys));
    const minted = await mint(showId, { userId: 'after-a-lost-response' });
    assert.equal(minted.status, 201);
    assert.equal(decodeProtectedHeader(minted.body.token!).kid, keys[0]!.arn, 'signed with the key IVS holds');
    const joined = await h.fixture.control.join(minted.body.token!);
    await h.fixture.control.leave({ token: minted.body.token! });
    assert.ok(joined.participantId);
    const result = await endShow(h, handle);
    assert.deepEqual(result.swept ?? [], [], 'no stray key to sweep');
    assert.deepEqual(await showKeys(showId), []);
  });
});
