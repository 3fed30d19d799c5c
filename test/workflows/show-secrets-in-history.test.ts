import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { GetIngestConfigurationCommand } from '@aws-sdk/client-ivs-realtime';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { locationOf } from '../../contracts/arn';
import { EncryptionCodec } from '../../security/encryption-codec';
import { loadKeyRing } from '../../security/encryption-keys';
import { compositionMonitorWorkflowId } from '../../contracts/ids';
import { issueTokenUpdate } from '../../contracts/show-messages';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import {
  baseShowSpec,
  compositionActive,
  endShow,
  publishWithFirstToken,
  showEmulatorConfig,
  showHarnessPerSuite,
  waitForPhase,
  waitForStatus,
} from '../support/show-scenarios';
import { testTemporalEnv } from '../support/test-env';

type History = temporal.api.history.v1.IHistory;

/**
 * Ways a secret could sit in serialized history: as is, or base64-encoded inside a longer base64 text. Base64
 * output depends on where the secret starts modulo 3 bytes, so encode it from each of three offsets and drop
 * the last characters, which depend on what follows.
 */
function encodings(secret: string): string[] {
  const variants = [secret];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.from(secret.slice(offset)).toString('base64');
    variants.push(b64.slice(0, b64.length - 4));
  }
  return variants;
}

/** Every Payload anywhere in a history (activity results, update outcomes, signals, continue-as-new input...). */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if ('data' in value && 'metadata' in value) found.push(value as Payload);
  else for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

void describe('show workflow: secrets never reach history in plain text', () => {
  const h = showHarnessPerSuite(showEmulatorConfig());
  let raw: Client;
  before(() => {
    // Same connection, no data converter: what an operator without the key sees.
    raw = new Client({ connection: h.client.connection, namespace: testTemporalEnv().namespace });
  });

  async function rawHistory(workflowId: string): Promise<History> {
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
    return { events };
  }

  void test('participant tokens and the stream key appear in history only encrypted', async () => {
    const handle = await h.startShow(
      baseShowSpec(h.showId('secrets'), {
        name: 'Secrets',
        participants: [{ userId: 'alice', role: 'host' }, { userId: 'bob' }],
        ingest: { enabled: true },
      }),
    );
    const status = await waitForPhase(handle, 'WAITING_FOR_PUBLISHER');
    // A token issued later travels back as an update result, another way into history.
    await handle.executeUpdate(issueTokenUpdate, { args: [{ userId: 'carol' }] });
    // Going live adds the composition and its monitor's signals to history.
    const tokens = (await publishWithFirstToken(h, handle)).tokens.map((t) => t.token);
    assert.equal(tokens.length, 3);
    const live = await waitForStatus(handle, 'composition active', compositionActive);
    const { ingestConfiguration } = await h.fixture.ivs.send(
      new GetIngestConfigurationCommand({ arn: status.resources.ingestConfigurationArn }),
    );
    const streamKey = ingestConfiguration!.streamKey!;
    assert.ok(streamKey.length > 10);
    assert.equal((await endShow(h, handle, { token: tokens[0] })).outcome, 'COMPLETED');

    const { region, account } = locationOf(live.composition!.arn);
    const histories = [
      await rawHistory(handle.workflowId),
      await rawHistory(compositionMonitorWorkflowId(`${h.taskQueue}-monitor`, account, region)),
    ];
    // Names Temporal keeps in plain text, one in each history (the show's signals, the monitor's polls).
    const plainTextIn = ['compositionChanged', 'pollCompositions'];
    for (const [i, history] of histories.entries()) {
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      assert.ok(bytes.includes(plainTextIn[i]!), 'the byte search sees plain-text parts of history');
      for (const secret of [...tokens, streamKey])
        for (const variant of encodings(secret))
          assert.ok(!bytes.includes(variant), `a secret (${secret.slice(0, 8)}…) is in history in plain text`);
    }

    // Control: with the key, the tokens are there, so the search above looked where they are kept.
    const codec = new EncryptionCodec(loadKeyRing(TEST_KEY_RING_ENV));
    const decoded = await codec.decode(payloadsIn(histories[0]));
    const plain = Buffer.concat(decoded.map((p) => Buffer.from(p.data ?? new Uint8Array())));
    for (const token of tokens) assert.ok(plain.includes(token), 'the token is in the encrypted history');
    assert.ok(!plain.includes(streamKey), 'the stream key never enters history, even encrypted');
  });
});
