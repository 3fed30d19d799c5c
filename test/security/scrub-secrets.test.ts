import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode } from '@opentelemetry/api';
import type { LogEntry } from '@temporalio/worker';
import { scrubSecrets, scrubValue } from '../../security/scrub-secrets';
import { jsonLogLine } from '../../worker/observability';
import { scrubbingExporter } from '../../worker/scrubbing-span-exporter';

const JWT = `eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCJ9.${randomBytes(60).toString('base64url')}.${randomBytes(48).toString('base64url')}`;
const STREAM_KEY = `sk_us-east-1_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
// An AWS secret access key's shape: 40 characters of base64.
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = randomBytes(180).toString('base64');
const SECRETS = [JWT, STREAM_KEY, AWS_SECRET, SESSION_TOKEN];

void describe('token-shaped strings never reach logs or spans', () => {
  void test('scrubSecrets removes JWTs, stream keys, bearer tokens and AWS keys, and leaves the rest', () => {
    const message =
      `IssueParticipantToken answered ${JWT}; ingest sk: ${STREAM_KEY}; creds ${AWS_SECRET} / ${SESSION_TOKEN}; ` +
      `Authorization: Bearer opaque-${randomBytes(8).toString('hex')}`;
    const scrubbed = scrubSecrets(message);
    for (const secret of SECRETS) assert.ok(!scrubbed.includes(secret.slice(0, 24)), scrubbed);
    assert.match(scrubbed, /\[redacted JWT\].*\[redacted stream key\].*\[redacted secret key\].*Bearer \[redacted\]/s);
    // Ordinary text survives: ARNs, IDs, hex digests, durations.
    const ordinary =
      'stage arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234 failed after 3 attempts (sha1 ' +
      `${randomBytes(20).toString('hex')}, request 6f1c2f9e-8d55-4d4b-9c1e-0d4b0b2f6b5e)`;
    assert.equal(scrubSecrets(ordinary), ordinary);
  });

  void test('the worker’s JSON log lines are scrubbed, message and metadata', () => {
    const entry: LogEntry = {
      level: 'WARN',
      message: `Activity failed: token ${JWT}`,
      timestampNanos: BigInt(Date.now()) * 1_000_000n,
      meta: { error: new Error(`stream key ${STREAM_KEY}`), detail: { credentials: AWS_SECRET } },
    };
    const line = jsonLogLine(entry);
    for (const secret of SECRETS) assert.ok(!line.includes(secret.slice(0, 24)), line);
    assert.match(line, /Activity failed: token \[redacted JWT\]/);
  });

  void test('spans are exported with scrubbed status messages, attributes and exception events', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(scrubbingExporter(memory))] });
    const span = provider.getTracer('test').startSpan('RunActivity:issueParticipantTokens');
    span.setAttribute('error.detail', `token ${JWT}`);
    span.recordException(new Error(`IVS rejected ${STREAM_KEY} with ${AWS_SECRET}`));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `failed: ${JWT}` });
    span.end();
    await provider.forceFlush();
    const [exported] = memory.getFinishedSpans();
    assert.ok(exported);
    const text = JSON.stringify({ status: exported.status, attributes: exported.attributes, events: exported.events });
    for (const secret of SECRETS) assert.ok(!text.includes(secret.slice(0, 24)), text);
    assert.equal(exported.name, 'RunActivity:issueParticipantTokens');
    assert.equal(exported.spanContext().traceId, span.spanContext().traceId);
    assert.match(String(exported.events[0]?.attributes?.['exception.message']), /\[redacted stream key\]/);
    await provider.shutdown();
  });

  void test('private keys: PEM blocks, a JWK’s d (plain, in JSON, JSON-escaped) and a JWK object', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const jwk = privateKey.export({ format: 'jwk' });
    const d = jwk.d!;
    const texts = [
      `could not import ${pem} as given`,
      `key: ${sec1}`,
      `JSON ${JSON.stringify(jwk)}`,
      `nested ${JSON.stringify({ message: JSON.stringify({ privateKey: jwk }) })}`,
      `cut short ${pem.slice(0, 120)}`,
    ];
    for (const text of texts) {
      const scrubbed = scrubSecrets(text);
      assert.ok(!scrubbed.includes(d) && !scrubbed.includes(pem.split('\n')[1]!), scrubbed);
      assert.match(scrubbed, /\[redacted private key\]/);
    }
    const scrubbedObject = scrubValue({ msg: 'signer', key: { ...jwk } });
    assert.equal(scrubbedObject.key.d, '[redacted private key]');
    assert.equal(scrubbedObject.key.x, jwk.x, 'the public parts stay');
  });
});
