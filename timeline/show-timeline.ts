/**
 * A show's story as events, and the intervals they make: phases, each destination's state over time, restarts,
 * publishers, incidents. Pure and workflow-safe (no Node built-ins, no AWS SDK, no spec schema), so the CLI's
 * report (events from Temporal history) and the workflow itself (events from its state) compute the same thing.
 * Times are epoch milliseconds.
 */

import { isEndingPhase } from '../contracts/show-status';

export type DestinationKind = 'channel' | 's3';

export type ShowEvent =
  /** The show entered a phase (ShowPhase). */
  | { at: number; type: 'phase'; phase: string }
  | {
      at: number;
      type: 'composition-started';
      compositionArn: string;
      destinations: { id: string; kind: DestinationKind; state?: string }[];
    }
  /** A destination's state as observed (IVS: STARTING, ACTIVE, RECONNECTING, FAILED, STOPPING, STOPPED). */
  | { at: number; type: 'destination-state'; compositionArn: string; destinationId: string; state: string }
  /** The composition stopped, failed or disappeared: its destinations are off from here. */
  | { at: number; type: 'composition-ended'; compositionArn: string; state: string }
  | { at: number; type: 'restart'; compositionArn?: string; manual: boolean; reason?: string }
  /** A publisher seen (`published`) or gone (`unpublished`); `who` is a user ID or participant ID when known. */
  | { at: number; type: 'publisher'; who: string; published: boolean }
  | { at: number; type: 'incident'; kind: string; detail: string; destinationId?: string };

export interface Span {
  start: number;
  end: number;
}

export interface PhaseSpan extends Span {
  phase: string;
}

/**
 * One destination row of the picture. A show replaces its composition on a restart, and each composition has
 * destinations with new IDs; a row is the role they play ("channel", "s3"; "channel 2" when a composition has
 * two), so one row follows the channel across restarts.
 */
export interface DestinationSpan extends Span {
  row: string;
  kind: DestinationKind;
  compositionArn: string;
  destinationId: string;
  state: string;
}

export interface Timeline {
  window: Span;
  phases: PhaseSpan[];
  destinations: DestinationSpan[];
  /** Rows in first-seen order. */
  rows: { row: string; kind: DestinationKind }[];
  restarts: Extract<ShowEvent, { type: 'restart' }>[];
  publishers: { who: string; start: number; end: number; open: boolean }[];
  incidents: Extract<ShowEvent, { type: 'incident' }>[];
  /** When the show began to end (ENDING or a terminal phase): what happens after is the tidy-up, not the show. */
  endingAt?: number;
}

/** Destination states that end a composition's destination. */
const TERMINAL_DESTINATION = new Set(['STOPPED']);

function rowName(kind: DestinationKind, ordinal: number): string {
  return ordinal === 1 ? kind : `${kind} ${ordinal}`;
}

/**
 * Turns events (in any order) into intervals within `window`. Events outside the window are clamped to it; an
 * interval still open at the window's end ends there (a running show is drawn up to now).
 */
export function buildTimeline(events: readonly ShowEvent[], window: Span): Timeline {
  const sorted = [...events]
    .map((e) => ({ ...e, at: Math.min(Math.max(e.at, window.start), window.end) }))
    .sort((a, b) => a.at - b.at);
  const timeline: Timeline = {
    window,
    phases: [],
    destinations: [],
    rows: [],
    restarts: [],
    publishers: [],
    incidents: [],
  };
  let phase: { phase: string; start: number } | undefined;
  /** Open destination spans by destination ID. */
  const open = new Map<string, DestinationSpan>();
  const rowOf = new Map<string, { row: string; kind: DestinationKind; compositionArn: string }>();
  const openPublishers = new Map<string, { who: string; start: number; end: number; open: boolean }>();

  const closeDestination = (id: string, at: number) => {
    const span = open.get(id);
    if (!span) return;
    span.end = at;
    if (span.end > span.start) timeline.destinations.push(span);
    open.delete(id);
  };
  const setDestination = (id: string, state: string, at: number) => {
    const where = rowOf.get(id);
    if (!where) return;
    const current = open.get(id);
    if (current?.state === state) return;
    closeDestination(id, at);
    if (TERMINAL_DESTINATION.has(state)) return;
    open.set(id, { ...where, destinationId: id, state, start: at, end: at });
  };

  for (const e of sorted) {
    switch (e.type) {
      case 'phase':
        if (phase?.phase === e.phase) break;
        // Zero-length phases stay: several phases can be entered in one workflow task (ENDING, then TIDYING), and
        // the last one (COMPLETED) at the very end; the show still went through them.
        if (phase) timeline.phases.push({ ...phase, end: e.at });
        phase = { phase: e.phase, start: e.at };
        if (isEndingPhase(e.phase)) timeline.endingAt ??= e.at;
        break;
      case 'composition-started': {
        const ordinals = new Map<DestinationKind, number>();
        for (const d of e.destinations) {
          const ordinal = (ordinals.get(d.kind) ?? 0) + 1;
          ordinals.set(d.kind, ordinal);
          const row = rowName(d.kind, ordinal);
          if (!timeline.rows.some((r) => r.row === row)) timeline.rows.push({ row, kind: d.kind });
          rowOf.set(d.id, { row, kind: d.kind, compositionArn: e.compositionArn });
          setDestination(d.id, d.state ?? 'STARTING', e.at);
        }
        break;
      }
      case 'destination-state':
        setDestination(e.destinationId, e.state, e.at);
        break;
      case 'composition-ended':
        for (const [id, where] of rowOf) if (where.compositionArn === e.compositionArn) closeDestination(id, e.at);
        break;
      case 'restart':
        timeline.restarts.push(e);
        break;
      case 'publisher': {
        const current = openPublishers.get(e.who);
        if (e.published && !current) openPublishers.set(e.who, { who: e.who, start: e.at, end: e.at, open: true });
        if (!e.published && current) {
          timeline.publishers.push({ ...current, end: e.at, open: false });
          openPublishers.delete(e.who);
        }
        break;
      }
      case 'incident':
        timeline.incidents.push(e);
        break;
    }
  }
  if (phase) timeline.phases.push({ ...phase, end: Math.max(phase.start, window.end) });
  for (const id of [...open.keys()]) closeDestination(id, window.end);
  for (const p of openPublishers.values()) timeline.publishers.push({ ...p, end: window.end });
  timeline.destinations.sort((a, b) => a.start - b.start);
  timeline.publishers.sort((a, b) => a.start - b.start);
  return timeline;
}
