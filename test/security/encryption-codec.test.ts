import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createDataConverter } from '../../security/data-converter';
import { ENCRYPTED_ENCODING, EncryptionCodec, METADATA_ENCRYPTION_KEY_ID } from '../../security/encryption-codec';
import {
  describeKeyRing,
  ENCRYPTION_KEY_FILE_VAR,
  ENCRYPTION_KEYS_VAR,
  formatKeyRing,
  generateKey,
  KeyRingError,
  loadKeyRing,
  type KeyRing,
} from '../../security/encryption-keys';
import { TEST_ENV_VARS, requireEnv } from '../support/test-env';

const SECRET = `fake-participant-token.eyJhbGciOiJFUzM4NCJ9.${randomUUID()}`;

const ring = (...entries: [string, string][]): KeyRing =>
  loadKeyRing({ [ENCRYPTION_KEYS_VAR]: entries.map((e) => e.join(':')).join(',') });
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const fromPayload = <T>(payload: Payload): T => defaultPayloadConverter.fromPayload<T>(payload);
const metadataText = (payload: Payload, key: string) => Buffer.from(payload.metadata?.[key] ?? []).toString();
const containsBytes = (haystack: Uint8Array, needle: string) => Buffer.from(haystack).includes(Buffer.from(needle));

/** Asserts `fn` throws a KeyRingError whose message matches `pattern` and quotes none of `secrets`. */
function assertKeyRingError(fn: () => unknown, pattern: RegExp, secrets: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof KeyRingError, `expected KeyRingError, got ${String(error)}`);
    assert.match(error.message, pattern);
    for (const secret of secrets)
      assert.ok(!error.message.includes(secret), `message leaks key material: ${error.message}`);
    return true;
  });
}

void describe('EncryptionCodec', () => {
  const keyA = generateKey();
  const keyB = generateKey();

  void test('round-trips payloads, each with its own IV', async () => {
    const codec = new EncryptionCodec(ring(['a', keyA]));
    const originals = [toPayload({ token: SECRET, n: 1 }), toPayload(undefined), toPayload(new Uint8Array([0, 1, 2]))];
    const encoded = await codec.encode(originals);
    assert.equal(encoded.length, 3);
    for (const payload of encoded) {
      assert.equal(metadataText(payload, METADATA_ENCODING_KEY), ENCRYPTED_ENCODING);
      assert.equal(metadataText(payload, METADATA_ENCRYPTION_KEY_ID), 'a');
    }
    const decoded = await codec.decode(encoded);
    assert.deepEqual(fromPayload(decoded[0]!), { token: SECRET, n: 1 });
    assert.equal(fromPayload(decoded[1]!), undefined);
    assert.deepEqual(fromPayload(decoded[2]!), new Uint8Array([0, 1, 2]));

    const [again] = await codec.encode([originals[0]!]);
    assert.notDeepEqual(Buffer.from(again!.data!), Buffer.from(encoded[0]!.data!), 'same plaintext, different IV');
  });

  void test('encoded bytes contain neither the secret nor the original encoding', async () => {
    const codec = new EncryptionCodec(ring(['a', keyA]));
    const [encoded] = await codec.encode([toPayload({ participantToken: SECRET, streamKey: 'sk_us-east-1_abc' })]);
    const wire = temporal.api.common.v1.Payload.encode(encoded!).finish();
    assert.ok(!containsBytes(wire, SECRET));
    assert.ok(!containsBytes(wire, 'sk_us-east-1_abc'));
    assert.ok(!containsBytes(wire, 'json/plain'));
  });

  void test('passes through payloads that are not encrypted', async () => {
    const codec = new EncryptionCodec(ring(['a', keyA]));
    const plain = toPayload({ hello: 'world' });
    const [decoded] = await codec.decode([plain]);
    assert.equal(decoded, plain);
  });

  void test('rotation: old payloads stay readable, new ones use the new current key', async () => {
    const [underA] = await new EncryptionCodec(ring(['a', keyA])).encode([toPayload(SECRET)]);
    const rotated = new EncryptionCodec(ring(['b', keyB], ['a', keyA]));
    assert.equal(fromPayload((await rotated.decode([underA!]))[0]!), SECRET);

    const [underB] = await rotated.encode([toPayload(SECRET)]);
    assert.equal(metadataText(underB!, METADATA_ENCRYPTION_KEY_ID), 'b');
    // Once `a` is retired, its payloads are unreadable but `b`'s are fine.
    const bOnly = new EncryptionCodec(ring(['b', keyB]));
    assert.equal(fromPayload((await bOnly.decode([underB!]))[0]!), SECRET);
    await assert.rejects(bOnly.decode([underA!]), /key id "a"/);
  });

  void test('unknown key id: the error names the id, not any key', async () => {
    const [encoded] = await new EncryptionCodec(ring(['retired-2024', keyA])).encode([toPayload(SECRET)]);
    await assert.rejects(new EncryptionCodec(ring(['b', keyB])).decode([encoded!]), (error: Error) => {
      assert.match(error.message, /key id "retired-2024".*not in the key ring/);
      assert.ok(!error.message.includes(keyA) && !error.message.includes(keyB));
      return true;
    });
  });

  void test('tampered ciphertext, tag, IV or key id fail authentication', async () => {
    const codec = new EncryptionCodec(ring(['a', keyA], ['b', keyB]));
    const [encoded] = await codec.encode([toPayload(SECRET)]);
    const data = encoded!.data!;
    for (const index of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[index]! ^= 0x01;
      await assert.rejects(codec.decode([{ ...encoded!, data: tampered }]), /failed authentication/, `byte ${index}`);
    }
    const relabelled = {
      ...encoded!,
      metadata: { ...encoded!.metadata, [METADATA_ENCRYPTION_KEY_ID]: Buffer.from('b') },
    };
    await assert.rejects(codec.decode([relabelled]), /failed authentication/);
    await assert.rejects(codec.decode([{ ...encoded!, data: data.subarray(0, 20) }]), /too short/);
    const noKeyId = { ...encoded!, metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING) } };
    await assert.rejects(codec.decode([noKeyId]), /no encryption-key-id metadata/);
  });

  void test('createDataConverter wires the codec in', () => {
    const converter = createDataConverter(ring(['a', keyA]));
    assert.equal(converter.payloadCodecs?.length, 1);
    assert.ok(converter.payloadCodecs?.[0] instanceof EncryptionCodec);
  });
});

void describe('loadKeyRing', () => {
  const keyA = generateKey();
  const keyB = generateKey();
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-keys-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void test('reads the inline list, first key current', () => {
    const keys = loadKeyRing({ [ENCRYPTION_KEYS_VAR]: ` b:${keyB} , a:${keyA} ` });
    assert.equal(keys.current.id, 'b');
    assert.deepEqual(keys.current.key, Buffer.from(keyB, 'base64'));
    assert.deepEqual([...keys.byId.keys()], ['b', 'a']);
    assert.equal(describeKeyRing(keys), 'current=b, also=a');
  });

  void test('formatKeyRing round-trips through loadKeyRing', () => {
    const keys = ring(['b', keyB], ['a', keyA]);
    const again = loadKeyRing({ [ENCRYPTION_KEYS_VAR]: formatKeyRing(keys) });
    assert.equal(again.current.id, 'b');
    assert.deepEqual(again.byId, keys.byId);
  });

  void test('generateKey makes distinct 32-byte keys', () => {
    assert.equal(Buffer.from(keyA, 'base64').length, 32);
    assert.notEqual(keyA, keyB);
  });

  void test('reads a key file with comments and blank lines', () => {
    const file = path.join(dir, 'keys');
    fs.writeFileSync(
      file,
      `# rotated 2025-06-01\n\nb:${keyB}   # current\n\r\n  # retired, kept for old histories\na:${keyA}\n`,
    );
    const keys = loadKeyRing({ [ENCRYPTION_KEY_FILE_VAR]: file });
    assert.equal(keys.current.id, 'b');
    assert.deepEqual([...keys.byId.keys()], ['b', 'a']);
  });

  void test('rejects bad base64 without quoting it', () => {
    const bad = 'not*base64!!';
    assertKeyRingError(
      () => ring(['a', bad]),
      /SHOWRUNNER_ENCRYPTION_KEYS.*\n.*entry 1 \(key id "a"\): key is not valid base64/,
      [bad],
    );
  });

  void test('rejects keys that are not 32 bytes without quoting them', () => {
    const short = randomBytes(16).toString('base64');
    assertKeyRingError(
      () => ring(['a', keyA], ['b', short]),
      /entry 2 \(key id "b"\): key must be 32 bytes for AES-256, got 16/,
      [short],
    );
  });

  void test('rejects duplicate key ids', () => {
    assertKeyRingError(() => ring(['a', keyA], ['a', keyB]), /entry 2: duplicate key id "a"/, [keyA, keyB]);
  });

  void test('rejects bad key ids without quoting them (a swapped entry would put the key there)', () => {
    assertKeyRingError(
      () => loadKeyRing({ [ENCRYPTION_KEYS_VAR]: `${keyA}:a` }),
      /entry 1: the key id looks like a key/,
      [keyA, keyA.slice(0, 20)],
    );
    assertKeyRingError(() => ring(['x'.repeat(65), keyA]), /entry 1: key id must match \[A-Za-z0-9._-\]\{1,64\}/, [
      keyA,
    ]);
    assertKeyRingError(() => loadKeyRing({ [ENCRYPTION_KEYS_VAR]: keyA }), /entry 1 must be keyId:base64key/, [keyA]);
  });

  void test('an entry written the wrong way round never echoes the key, whatever its alphabet', () => {
    const raw = randomBytes(32);
    // Keys that fit the key id rule, so today's check on ids let them through to messages that quote the id.
    const unpadded = (() => {
      for (;;) {
        const k = randomBytes(32).toString('base64').replace(/=+$/, '');
        if (/^[A-Za-z0-9]+$/.test(k)) return k;
      }
    })();
    for (const key of [unpadded, raw.toString('base64url'), raw.toString('hex')]) {
      assertKeyRingError(
        () => loadKeyRing({ [ENCRYPTION_KEYS_VAR]: `${key}:a` }),
        /entry 1: the key id looks like a key; entries are keyId:base64key, key id first/,
        [key, key.slice(0, 16), key.slice(-16)],
      );
      assertKeyRingError(
        () => loadKeyRing({ [ENCRYPTION_KEYS_VAR]: `a:${keyA},${key}:${keyB}` }),
        /entry 2: the key id looks like a key/,
        [key, key.slice(0, 16), keyA, keyB],
      );
    }
  });

  void test('a key id read from a payload is echoed only once it is a valid one', async () => {
    const codec = new EncryptionCodec(ring(['a', keyA]));
    const [sealed] = await codec.encode([toPayload('x')]);
    for (const forged of [SECRET, `a"\n{"level":"error"}`, 'x'.repeat(65)]) {
      const payload = {
        ...sealed!,
        metadata: { ...sealed!.metadata, [METADATA_ENCRYPTION_KEY_ID]: Buffer.from(forged) },
      };
      await assert.rejects(codec.decode([payload]), (error: Error) => {
        assert.match(error.message, /not a valid key id/);
        assert.ok(!error.message.includes(forged.slice(0, 20)), error.message);
        return true;
      });
    }
  });

  void test('lists every broken entry at once', () => {
    const short = randomBytes(31).toString('base64');
    assertKeyRingError(
      () => loadKeyRing({ [ENCRYPTION_KEYS_VAR]: `a:${keyA},b:${short},a:${keyB},c:%%%` }),
      /entry 2 .*32 bytes[\s\S]*entry 3: duplicate key id "a"[\s\S]*entry 4 .*base64/,
      [keyA, keyB, short],
    );
  });

  void test('key file errors name the variable and the file, never the keys', () => {
    const file = path.join(dir, 'bad-keys');
    const short = randomBytes(24).toString('base64');
    fs.writeFileSync(file, `# keys\na:${keyA}\nb:${short}\n`);
    assertKeyRingError(
      () => loadKeyRing({ [ENCRYPTION_KEY_FILE_VAR]: file }),
      /SHOWRUNNER_ENCRYPTION_KEY_FILE \(.*bad-keys\) is invalid:\n.*entry 2 \(key id "b"\): key must be 32 bytes/,
      [keyA, short],
    );

    const onlyComments = path.join(dir, 'empty-keys');
    fs.writeFileSync(onlyComments, '# nothing yet\n\n');
    assertKeyRingError(() => loadKeyRing({ [ENCRYPTION_KEY_FILE_VAR]: onlyComments }), /no keys given/, []);
    assertKeyRingError(
      () => loadKeyRing({ [ENCRYPTION_KEY_FILE_VAR]: path.join(dir, 'missing') }),
      /SHOWRUNNER_ENCRYPTION_KEY_FILE: cannot read .*missing: ENOENT/,
      [],
    );
  });

  void test('needs exactly one of the two variables', () => {
    assertKeyRingError(
      () => loadKeyRing({}),
      /set SHOWRUNNER_ENCRYPTION_KEYS .* or SHOWRUNNER_ENCRYPTION_KEY_FILE/,
      [],
    );
    assertKeyRingError(
      () => loadKeyRing({ [ENCRYPTION_KEYS_VAR]: `a:${keyA}`, [ENCRYPTION_KEY_FILE_VAR]: '/x' }),
      /only one of/,
      [keyA],
    );
  });
});

void describe('encrypted history on a real Temporal server', () => {
  let connection: Connection;
  let namespace: string;
  const keyRing = loadKeyRing({ [ENCRYPTION_KEYS_VAR]: `it:${generateKey()}` });
  const started: string[] = [];

  before(async () => {
    connection = await Connection.connect({ address: requireEnv(TEST_ENV_VARS.temporalAddress) });
    namespace = requireEnv(TEST_ENV_VARS.temporalNamespace);
  });
  after(async () => {
    const client = new Client({ connection, namespace });
    await Promise.allSettled(started.map((id) => client.workflow.getHandle(id).terminate('test finished')));
    await connection.close();
  });

  /** Starts a workflow no worker serves (so nothing runs), returning the raw history as Temporal stores it. */
  async function startAndFetchRawHistory(client: Client) {
    const workflowId = `encryption-test-${randomUUID()}`;
    // Nothing polls this task queue: the start event is all the history there is, and all this test needs.
    await client.workflow.start('unservedWorkflow', {
      taskQueue: `encryption-test-${randomUUID()}`,
      workflowId,
      args: [{ showId: 'demo', participantToken: SECRET }],
      memo: { note: SECRET },
    });
    started.push(workflowId);
    // Straight to the gRPC service: no data converter, no codec, exactly what the server stores.
    const response = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId } });
    const bytes = temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(response).finish();
    return { workflowId, response, bytes };
  }

  void test('a client without the codec stores the secret in plain text (control)', async () => {
    const { bytes } = await startAndFetchRawHistory(new Client({ connection, namespace }));
    assert.ok(containsBytes(bytes, SECRET), 'the byte search must be able to find an unencrypted secret');
  });

  void test('with the codec, history holds no trace of the secret, and the codec reads it back', async () => {
    const client = new Client({ connection, namespace, dataConverter: createDataConverter(keyRing) });
    const { workflowId, response, bytes } = await startAndFetchRawHistory(client);
    assert.ok(bytes.length > 0);
    assert.ok(!containsBytes(bytes, SECRET), 'secret found in raw history');
    assert.ok(!containsBytes(bytes, Buffer.from(SECRET).toString('base64').slice(0, 24)));

    const startedEvent = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input = startedEvent?.input?.payloads ?? [];
    assert.equal(input.length, 1);
    assert.equal(metadataText(input[0]!, METADATA_ENCODING_KEY), ENCRYPTED_ENCODING);
    assert.equal(metadataText(input[0]!, METADATA_ENCRYPTION_KEY_ID), 'it');
    const codec = new EncryptionCodec(keyRing);
    const [decoded] = await codec.decode(input);
    assert.deepEqual(fromPayload(decoded!), { showId: 'demo', participantToken: SECRET });

    const memo = startedEvent?.memo?.fields?.note;
    assert.ok(memo);
    assert.equal(fromPayload((await codec.decode([memo]))[0]!), SECRET);

    // The handle's fetchHistory is raw too: the same ciphertext comes back.
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const viaHandle = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.deepEqual(Buffer.from(viaHandle?.data ?? []), Buffer.from(input[0]!.data!));
  });
});
