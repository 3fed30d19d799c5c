import type { ShowState } from '../workflows/show/state';
import { showFigures, type ShowFigures } from './show-figures';
import { buildTimeline, type ShowEvent } from './show-timeline';

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * The timeline events a show's own state can tell, for figures inside the workflow (its final details) where its
 * history is out of reach. The state keeps each composition's start and end, the incidents (with the destination
 * that went RECONNECTING, FAILED or came back) and the timings, but not every state each destination passed
 * through, nor the phases over time, nor when publishers came and went (none are returned). So, unlike the events from history (client/report), these assume a destination
 * ACTIVE from its composition's first ACTIVE (`compositionActiveAt`, known for the first composition only; a
 * replacement counts from its start, overstating availability by its start-up, a few seconds) until an incident
 * says otherwise; phases are reduced to the moment the show began to end.
 */
export function eventsFromState(state: ShowState): ShowEvent[] {
  const events: ShowEvent[] = [];
  state.compositions.forEach((run, i) => {
    // Runs carried from before startedAt was recorded count from the show's start.
    const startedAt = ms(run.startedAt) ?? state.startAt;
    const activeAt = i === 0 ? (ms(state.timings.compositionActiveAt) ?? startedAt) : startedAt;
    events.push({
      at: startedAt,
      type: 'composition-started',
      compositionArn: run.arn,
      destinations: run.destinations.map((d) => ({ id: d.id, kind: d.kind, state: 'STARTING' })),
    });
    if (i > 0 || state.timings.compositionActiveAt !== undefined)
      for (const d of run.destinations)
        events.push({
          at: activeAt,
          type: 'destination-state',
          compositionArn: run.arn,
          destinationId: d.id,
          state: 'ACTIVE',
        });
    const endedAt = ms(run.endedAt);
    if (endedAt !== undefined)
      events.push({ at: endedAt, type: 'composition-ended', compositionArn: run.arn, state: run.state });
  });
  const states: Record<string, string> = {
    DESTINATION_RECONNECTING: 'RECONNECTING',
    DESTINATION_RECOVERED: 'ACTIVE',
    DESTINATION_FAILED: 'FAILED',
  };
  for (const incident of state.incidents) {
    const at = Date.parse(incident.at);
    events.push({
      at,
      type: 'incident',
      kind: incident.kind,
      detail: incident.detail,
      destinationId: incident.destinationId,
    });
    const destinationState = states[incident.kind];
    if (destinationState && incident.destinationId && incident.compositionArn)
      events.push({
        at,
        type: 'destination-state',
        compositionArn: incident.compositionArn,
        destinationId: incident.destinationId,
        state: destinationState,
      });
    if (incident.kind === 'COMPOSITION_RESTARTED')
      events.push({
        at,
        type: 'restart',
        compositionArn: incident.compositionArn,
        manual: false,
        reason: incident.detail,
      });
  }
  // A requested restart is recorded just before the restart it causes.
  const restarts = events.filter((e): e is Extract<ShowEvent, { type: 'restart' }> => e.type === 'restart');
  for (const requested of state.incidents.filter((i) => i.kind === 'RESTART_REQUESTED')) {
    const at = Date.parse(requested.at);
    const restart = restarts.find((r) => r.at >= at && r.compositionArn === requested.compositionArn);
    if (restart) restart.manual = true;
  }
  const endedAt = ms(state.timings.endedAt);
  if (endedAt !== undefined) events.push({ at: endedAt, type: 'phase', phase: 'ENDING' });
  return events;
}

/**
 * The figures of a show from its state, over its planned start (or first composition, if earlier) to its tidy-up
 * (or end): what the show's final details show, and what the recordings index can carry (see eventsFromState for
 * what the state cannot know).
 */
export function figuresFromState(state: ShowState): ShowFigures {
  const end = Date.parse(state.timings.tidiedAt ?? state.timings.endedAt ?? new Date(state.endAt).toISOString());
  const start = Math.min(state.startAt, ...state.compositions.map((c) => ms(c.startedAt) ?? state.startAt));
  return showFigures(buildTimeline(eventsFromState(state), { start, end: Math.max(start, end) }));
}
