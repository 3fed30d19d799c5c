import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultFailureConverter, defaultPayloadConverter, type LoadedDataConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { eventsFromHistory, payloadDecoder } from '../../client/report/history-events';
import { buildTimeline } from '../../timeline/show-timeline';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const T0 = Date.parse('2026-03-01T20:00:00Z');
const A = 'arn:aws:ivs:us-east-1:123456789012:composition/A';
const B = 'arn:aws:ivs:us-east-1:123456789012:composition/B';
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const payloads = (value: unknown) => ({ payloads: [payload(value)] });

/** History events as the server records them: an ID, a time, and one kind of attributes. */
function history(events: [number, Record<string, unknown>][]): HistoryEvent[] {
  return events.map(([seconds, attributes], i) => ({
    eventId: i + 1,
    eventTime: { seconds: T0 / 1000 + Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) },
    ...attributes,
  })) as unknown as HistoryEvent[];
}
const upsert = (phase: string) => ({
  upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: { ShowPhase: payload(phase) } } },
});
const scheduled = (name: string, input: unknown) => ({
  activityTaskScheduledEventAttributes: { activityType: { name }, input: payloads(input) },
});
const completed = (scheduledEventId: number, result: unknown) => ({
  activityTaskCompletedEventAttributes: { scheduledEventId, result: payloads(result) },
});
const started = (destinations: { id: string; kind: string }[], arn: string) => ({
  arn,
  state: 'STARTING',
  destinations: destinations.map((d) => ({ ...d, state: 'STARTING' })),
});

/** Without a codec: the decoding path is the client's (codecs, then the payload converter). */
const plain: LoadedDataConverter = {
  payloadConverter: defaultPayloadConverter,
  failureConverter: defaultFailureConverter,
  payloadCodecs: [],
};

void describe('timeline events from a show’s Temporal history', () => {
  void test('phases, compositions, destination states, a requested restart, publishers and incidents across two runs', async () => {
    const first = history([
      [0, { workflowExecutionStartedEventAttributes: {} }], // 1
      [1, upsert('PREPARING')], // 2
      [2, scheduled('awaitPublisher', { stageArn: 's' })], // 3
      [3, completed(3, { sessionId: 'st-1', participantId: 'p-1', userId: 'alice' })], // 4
      [4, scheduled('startComposition', { idempotencyToken: 't' })], // 5
      [5, completed(5, started([{ id: 'cA', kind: 'channel' }], A))], // 6
      [
        6,
        {
          workflowExecutionSignaledEventAttributes: {
            signalName: 'compositionChanged',
            input: payloads({ arn: A, state: 'ACTIVE', destinations: [{ id: 'cA', state: 'ACTIVE' }] }),
          },
        },
      ], // 7
      [
        7,
        {
          workflowExecutionUpdateAcceptedEventAttributes: {
            acceptedRequest: { input: { name: 'restartComposition' } },
          },
        },
      ], // 8
      [7.5, upsert('RECOVERING')], // 9
      [8, scheduled('stopComposition', { arn: A })], // 10
      [8.2, completed(10, { state: 'STOPPING' })], // 11
      [8.3, scheduled('awaitCompositionStopped', { arn: A })], // 12
      [9, completed(12, { state: 'STOPPED' })], // 13
      [10, { workflowExecutionContinuedAsNewEventAttributes: { newExecutionRunId: 'run-2' } }], // 14
    ]);
    const second = history([
      [
        10,
        {
          workflowExecutionStartedEventAttributes: {
            continuedExecutionRunId: 'run-1',
            searchAttributes: { indexedFields: { ShowPhase: payload('RECOVERING') } },
          },
        },
      ], // 1
      [11, scheduled('startComposition', { idempotencyToken: 't2' })], // 2
      [12, completed(2, started([{ id: 'cB', kind: 'channel' }], B))], // 3
      [20, upsert('ENDING')], // 4
      [20, upsert('TIDYING')], // 5
      [21, scheduled('stopComposition', { arn: B })], // 6
      [22, completed(6, { state: 'STOPPED' })], // 7
      [23, upsert('COMPLETED')], // 8
      [
        23,
        {
          workflowExecutionCompletedEventAttributes: {
            result: payloads({
              showId: 'x',
              incidents: [{ at: new Date(T0 + 7_000).toISOString(), kind: 'RESTART_REQUESTED', detail: 'operator' }],
            }),
          },
        },
      ], // 9
    ]);
    const read = await eventsFromHistory([first, second], payloadDecoder(plain));
    assert.deepEqual(read.window, { start: T0, end: T0 + 23_000 });
    assert.equal(read.runs, 2);
    assert.deepEqual(read.userIds, { 'p-1': 'alice' });
    const at = (e: { at: number }) => (e.at - T0) / 1000;
    const timeline = buildTimeline(read.events, read.window);
    assert.deepEqual(
      timeline.phases.map((p) => [p.phase, at({ at: p.start })]),
      [
        ['SCHEDULED', 0],
        ['PREPARING', 1],
        ['RECOVERING', 7.5],
        ['ENDING', 20],
        ['TIDYING', 20],
        ['COMPLETED', 23],
      ],
    );
    // The stop during RECOVERING is the (requested) restart; the one while TIDYING is the tidy-up.
    assert.deepEqual(
      timeline.restarts.map((r) => [at(r), r.manual, r.compositionArn]),
      [[8.2, true, A]],
    );
    assert.deepEqual(
      read.events.filter((e) => e.type === 'composition-ended').map((e) => [at(e), e.compositionArn]),
      [
        [9, A],
        [22, B],
      ],
    );
    assert.deepEqual(
      timeline.destinations.map((d) => [d.row, d.state, at({ at: d.start }), at({ at: d.end })]),
      [
        ['channel', 'STARTING', 5, 6],
        ['channel', 'ACTIVE', 6, 9],
        ['channel', 'STARTING', 12, 22],
      ],
    );
    assert.deepEqual(timeline.publishers, [{ who: 'alice', start: T0 + 3_000, end: T0 + 23_000, open: true }]);
    assert.deepEqual(
      timeline.incidents.map((i) => i.kind),
      ['RESTART_REQUESTED'],
    );
  });
});
