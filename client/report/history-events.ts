import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type LoadedDataConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { CompositionSnapshot, StartedComposition } from '../../contracts/composition';
import { SHOW_PHASE } from '../../contracts/search-attributes';
import { isEndingPhase, type ShowResult } from '../../contracts/show-status';
import type { PublisherSeen } from '../../contracts/stage';
import type { ShowEvent, Span } from '../../timeline/show-timeline';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Names as the workflow defines them (show-messages.ts, the activity factories). */
const COMPOSITION_CHANGED = 'compositionChanged';
const RESTART_UPDATE = 'restartComposition';
const TERMINAL_COMPOSITION = new Set(['STOPPED', 'FAILED', 'GONE']);

export interface ShowHistory {
  workflowId: string;
  /** Temporal's status of the latest run (RUNNING, COMPLETED, FAILED, ...). */
  status: string;
  /** From the first run's start to the last run's close, or to now while it runs. */
  window: Span;
  events: ShowEvent[];
  /** The show's result, when it completed. */
  result?: ShowResult;
  /** Runs read (more than one after continue-as-new). */
  runs: number;
  /** Participant ID → user ID, for the publishers the show saw. */
  userIds: Record<string, string>;
}

/** A Keyword search attribute: a JSON string (older SDKs wrote a one-element list). */
const keyword = (payload: Payload): string => {
  const value = defaultPayloadConverter.fromPayload<string | string[]>(payload);
  return Array.isArray(value) ? (value[0] ?? '') : value;
};

const timeOf = (event: HistoryEvent): number => {
  const t = event.eventTime;
  if (!t) return 0;
  const seconds = typeof t.seconds === 'number' ? t.seconds : Number(t.seconds?.toString() ?? 0);
  return seconds * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
};

/** Decodes a payload the way the client would: the codec chain (Showrunner's encryption) in reverse, then JSON. */
export function payloadDecoder(converter: LoadedDataConverter) {
  return async <T>(payloads: Payload[] | null | undefined, index = 0): Promise<T | undefined> => {
    let decoded = payloads ?? [];
    if (decoded.length <= index) return undefined;
    for (const codec of [...converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    return converter.payloadConverter.fromPayload<T>(decoded[index]!);
  };
}

export type PayloadDecoder = ReturnType<typeof payloadDecoder>;

/**
 * The show's timeline events from its Temporal history (all runs, oldest first). History is the complete record:
 * phases are the ShowPhase search attribute upserts, compositions are the startComposition results, destination
 * states are the composition monitor's compositionChanged signals, ends are the stop activities' results,
 * restarts are stops the show made before it began to end (requested when a restartComposition update was
 * accepted since the composition started), publishers are awaitPublisher results; incidents come from the
 * result, when the show completed. Each at the time its event was recorded.
 */
export async function eventsFromHistory(
  runs: HistoryEvent[][],
  decode: PayloadDecoder,
): Promise<Omit<ShowHistory, 'workflowId' | 'status' | 'window'> & { window?: Span }> {
  const events: ShowEvent[] = [];
  let window: Span | undefined;
  let result: ShowResult | undefined;
  let phase = 'SCHEDULED';
  const userIds: Record<string, string> = {};
  for (const [runIndex, history] of runs.entries()) {
    const scheduled = new Map<string, { name: string; input: Payload[] | null | undefined; phase: string }>();
    let restartRequested = false;
    for (const event of history) {
      const at = timeOf(event);
      const started = event.workflowExecutionStartedEventAttributes;
      if (started) {
        window ??= { start: at, end: at };
        const carried = started.searchAttributes?.indexedFields?.[SHOW_PHASE.name];
        const initial = carried ? keyword(carried) : undefined;
        if (runIndex === 0 || initial) {
          phase = initial ?? phase;
          events.push({ at, type: 'phase', phase });
        }
      }
      const upsert =
        event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[SHOW_PHASE.name];
      if (upsert) {
        phase = keyword(upsert);
        events.push({ at, type: 'phase', phase });
      }
      const activity = event.activityTaskScheduledEventAttributes;
      if (activity)
        scheduled.set(String(event.eventId), {
          name: activity.activityType?.name ?? '',
          input: activity.input?.payloads,
          phase,
        });
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed) {
        const task = scheduled.get(String(completed.scheduledEventId));
        const payloads = completed.result?.payloads;
        if (task?.name === 'startComposition') {
          const composition = await decode<StartedComposition>(payloads);
          if (composition) {
            restartRequested = false;
            events.push({
              at,
              type: 'composition-started',
              compositionArn: composition.arn,
              destinations: composition.destinations.map((d) => ({ id: d.id, kind: d.kind, state: d.state })),
            });
          }
        } else if (task?.name === 'stopComposition' || task?.name === 'awaitCompositionStopped') {
          const input = await decode<{ arn: string }>(task.input);
          const output = await decode<{ state: string }>(payloads);
          if (input && output && TERMINAL_COMPOSITION.has(output.state))
            events.push({ at, type: 'composition-ended', compositionArn: input.arn, state: output.state });
          if (input && task.name === 'stopComposition' && !isEndingPhase(task.phase))
            events.push({ at, type: 'restart', compositionArn: input.arn, manual: restartRequested });
        } else if (task?.name === 'awaitPublisher') {
          const seen = await decode<PublisherSeen>(payloads);
          if (seen) {
            if (seen.userId) userIds[seen.participantId] = seen.userId;
            events.push({ at, type: 'publisher', who: seen.userId ?? seen.participantId, published: true });
          }
        }
      }
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (signal?.signalName === COMPOSITION_CHANGED) {
        const snapshot = await decode<CompositionSnapshot>(signal.input?.payloads);
        if (snapshot) {
          for (const d of snapshot.destinations)
            events.push({
              at,
              type: 'destination-state',
              compositionArn: snapshot.arn,
              destinationId: d.id,
              state: d.state,
            });
          if (TERMINAL_COMPOSITION.has(snapshot.state))
            events.push({ at, type: 'composition-ended', compositionArn: snapshot.arn, state: snapshot.state });
        }
      }
      if (event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === RESTART_UPDATE)
        restartRequested = true;
      const done = event.workflowExecutionCompletedEventAttributes;
      if (done) result = await decode<ShowResult>(done.result?.payloads);
      if (window) window.end = Math.max(window.end, at);
    }
  }
  for (const incident of result?.incidents ?? [])
    events.push({
      at: Date.parse(incident.at),
      type: 'incident',
      kind: incident.kind,
      detail: incident.detail,
      destinationId: incident.destinationId,
    });
  return { events, window, result, runs: runs.length, userIds };
}

/**
 * Reads every run of a show's workflow, newest to oldest through each run's continuedExecutionRunId, and returns
 * its timeline events. A running show's window reaches to now.
 */
export async function readShowHistory(client: Client, workflowId: string): Promise<ShowHistory> {
  const latest = client.workflow.getHandle(workflowId);
  const description = await latest.describe();
  const runs: HistoryEvent[][] = [];
  let runId: string | undefined = description.runId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    runs.unshift(events);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  const decode = payloadDecoder(client.workflow.options.loadedDataConverter);
  const read = await eventsFromHistory(runs, decode);
  const status = description.status.name;
  const start = read.window?.start ?? description.startTime.getTime();
  const end = status === 'RUNNING' ? Date.now() : (read.window?.end ?? description.closeTime?.getTime() ?? Date.now());
  return { ...read, workflowId, status, window: { start, end } };
}
