import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { locationOf } from '../../contracts/arn';
import { startEventsEndpoint } from '../../events/events-endpoint';
import { baseShowSpec, showEmulatorConfig, showHarnessPerSuite, waitForPhase } from '../support/show-scenarios';
import { waitFor } from '../support/wait-for';

const OTHER_ACCOUNT = '111122223333';

void describe('events endpoint: every account of SHOWRUNNER_AWS_ACCOUNTS', () => {
  const h = showHarnessPerSuite(showEmulatorConfig(), {
    worker: { accounts: { [OTHER_ACCOUNT]: { roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/showrunner-shows` } } },
  });

  void test('an event about a show in another account is looked up there and signals the show', async () => {
    // A slow poll: only an event can move the show past WAITING_FOR_PUBLISHER within the test.
    const handle = await h.startShow(
      baseShowSpec(h.showId('xevents'), { account: OTHER_ACCOUNT, policies: { pollInterval: '60s' } }),
    );
    const stageArn = (await waitForPhase(handle, 'WAITING_FOR_PUBLISHER')).resources.stageArn!;
    assert.equal(locationOf(stageArn).account, OTHER_ACCOUNT);
    const scopes: string[] = [];
    const endpoint = await startEventsEndpoint({
      port: 0,
      host: '127.0.0.1',
      regions: ['us-east-1'],
      accounts: [OTHER_ACCOUNT],
      ivs: (scope) => {
        scopes.push(`${scope.account ?? 'own'}/${scope.region}`);
        return h.workers.aws.ivs(scope);
      },
      client: h.client,
    });
    try {
      const res = await fetch(`${endpoint.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          version: '0',
          id: randomUUID(),
          'detail-type': 'IVS Stage Update',
          source: 'aws.ivs',
          account: OTHER_ACCOUNT,
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: [stageArn],
          detail: { event_name: 'Participant Published', session_id: 's', user_id: 'alice', participant_id: 'p' },
        }),
      });
      assert.deepEqual(await res.json(), { received: 1, signalled: 1, ignored: 0 });
      assert.deepEqual(scopes, [`${OTHER_ACCOUNT}/us-east-1`]);
      const { events } = await handle.fetchHistory();
      await waitFor(
        async () =>
          (events ?? []).some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'ivsEvent') ||
          ((await handle.fetchHistory()).events ?? []).some(
            (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'ivsEvent',
          ),
        5_000,
        { description: 'the ivsEvent signal in the show’s history' },
      );
    } finally {
      await endpoint.stop();
      await handle.terminate('test over').catch(() => undefined);
    }
  });
});
