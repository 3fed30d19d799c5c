import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StartCompositionCommand } from '@aws-sdk/client-ivs-realtime';
import { createAwsClients } from '../../activities/aws-clients';
import { createCompositionActivities } from '../../activities/composition-activities';
import { MONITOR_LIST_CALLS_PER_SECOND } from '../../contracts/monitor-pacing';
import { NOT_YET_FAILURE_TYPE } from '../../contracts/failure-types';
import { createStage, emulatorFixturePerSuite, freshChannelArn } from '../support/emulator-scenarios';

const COMPOSITIONS = 230; // three pages of ListCompositions (100 per page)

void describe('pollCompositions: one poll of a busy account', () => {
  const fixture = emulatorFixturePerSuite({
    quotas: { compositionsPerAccount: COMPOSITIONS + 10, compositionsPerStage: 5 },
    // Nobody joins these stages: keep their compositions from idling out during the test.
    timings: { idleStopWithoutParticipantsMs: 60 * 60_000, compositionStartMs: 10 },
  });

  void test('paces its calls, within one poll and across polls, so the account stays within its ListCompositions rate', async () => {
    const arns: string[] = [];
    for (let s = 0; arns.length < COMPOSITIONS; s++) {
      const stageArn = await createStage(fixture.ivs, `poll-${s}`);
      for (let c = 0; c < 5 && arns.length < COMPOSITIONS; c++) {
        const { composition } = await fixture.ivs.send(
          new StartCompositionCommand({ stageArn, destinations: [{ channel: { channelArn: freshChannelArn() } }] }),
        );
        arns.push(composition!.arn!);
      }
    }
    const listedAt: number[] = [];
    const metrics = fixture.emulator.metrics;
    const record = metrics.record.bind(metrics);
    metrics.record = (accountId, region, operation, errorType, now = Date.now()) => {
      if (operation === 'ListCompositions') listedAt.push(now);
      record(accountId, region, operation, errorType, now);
    };
    const aws = createAwsClients({
      defaultRegion: 'us-east-1',
      ivsEndpoint: fixture.emulator.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const activities = createCompositionActivities(aws);
      // The caller knows nothing yet, so every watched composition differs and the poll returns them.
      const known = arns.map((arn) => ({ arn, state: 'GONE' as const, destinations: [] }));
      const snapshots = await activities.pollCompositions({ region: 'us-east-1', known });
      assert.equal(snapshots.length, COMPOSITIONS);
      assert.ok(
        snapshots.every((s) => s.state !== 'GONE'),
        'every composition was found on some page',
      );
      assert.equal(listedAt.length, Math.ceil(COMPOSITIONS / 100));
      // At most the monitor's share in any second, as the emulator received them (10 ms of slack for the trip).
      const spaced = (what: string) => {
        const busiest = Math.max(...listedAt.map((t) => listedAt.filter((x) => x >= t && x < t + 990).length));
        assert.ok(
          busiest <= MONITOR_LIST_CALLS_PER_SECOND,
          `${what}: ${busiest} calls within a second (${listedAt.map((t) => t - listedAt[0]!).join(', ')} ms)`,
        );
      };
      spaced('one poll');

      // Nothing changed since: NotYet (Temporal retries at the poll interval), after the same paced listing.
      await assert.rejects(activities.pollCompositions({ region: 'us-east-1', known: snapshots }), (e: unknown) => {
        assert.equal((e as { type?: string }).type, NOT_YET_FAILURE_TYPE);
        return true;
      });
      spaced('a poll right after another');

      // Polls at once (one brought forward by an event while another still runs) share the same turns.
      listedAt.length = 0;
      await Promise.allSettled(
        [1, 2].map(() => activities.pollCompositions({ region: 'us-east-1', known: snapshots })),
      );
      assert.equal(listedAt.length, 2 * Math.ceil(COMPOSITIONS / 100));
      spaced('two polls at once');
    } finally {
      metrics.record = record;
      aws.destroy();
    }
  });
});
