import type { DestinationKind, Span, Timeline } from './show-timeline';

/**
 * What an operator asks after a show, computed from its timeline:
 *
 * - **On-air window**: from the first moment any destination was ACTIVE to when the show began to end (ENDING or a
 *   terminal phase; the window's end for a show still running). Before it the show was getting ready; after it,
 *   tidying up: neither counts against availability. No window when nothing was ever ACTIVE.
 * - **Time on air**: within the on-air window, the time at least one channel destination was ACTIVE (what viewers
 *   see); for a show without a channel, at least one destination of any kind.
 * - **Availability** of a destination row: its ACTIVE time within the on-air window over the window's length. Time
 *   RECONNECTING, FAILED, STARTING again after a restart, or with no composition at all counts as unavailable.
 * - **Outage** of a row: a stretch of the on-air window in which the row was not ACTIVE. Its cause is the first state
 *   seen (RECONNECTING, FAILED, or OFF when the composition was gone); its time to recover runs to the row's next
 *   ACTIVE, and is absent when the row never came back before the show ended.
 *   A restart counts towards an outage when it came after the row's last ACTIVE stretch began (a restart stops the
 *   composition, so it ends that stretch) and before the row was ACTIVE again.
 * - **Recorded time**: ACTIVE time of the S3 destination rows over the whole show, and how many compositions wrote a
 *   recording (each writes its own prefix).
 */
export interface ShowFigures {
  onAir?: Span;
  timeOnAirMs: number;
  destinations: DestinationFigures[];
  outages: Outage[];
  restarts: { count: number; manual: number; automatic: number };
  recordings: { segments: number; recordedMs: number };
  /**
   * Per publisher: when first seen, and how long it published when its end is known (a history records when the
   * show saw a publisher, not when it left).
   */
  publishers: { who: string; firstSeenAt: number; publishedMs?: number }[];
  incidents: number;
}

export interface DestinationFigures {
  row: string;
  kind: DestinationKind;
  activeMs: number;
  /** 0..1; undefined without an on-air window. */
  availability?: number;
}

export interface Outage {
  row: string;
  start: number;
  cause: string;
  recoveredAt?: number;
  timeToRecoverMs?: number;
  /** Restarts that happened during the outage. */
  restarts: number;
}

/** Total length of the union of spans, clipped to `within`. */
export function unionLength(spans: readonly Span[], within: Span): number {
  const clipped = spans
    .map((s) => ({ start: Math.max(s.start, within.start), end: Math.min(s.end, within.end) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let cursor = -Infinity;
  for (const s of clipped) {
    const start = Math.max(s.start, cursor);
    if (s.end > start) total += s.end - start;
    cursor = Math.max(cursor, s.end);
  }
  return total;
}

/** Merges touching or overlapping spans. */
function merged(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

export function showFigures(timeline: Timeline): ShowFigures {
  const active = timeline.destinations.filter((d) => d.state === 'ACTIVE');
  const firstActive = active.length > 0 ? Math.min(...active.map((d) => d.start)) : undefined;
  const end = Math.min(timeline.endingAt ?? timeline.window.end, timeline.window.end);
  const onAir = firstActive !== undefined && end > firstActive ? { start: firstActive, end } : undefined;
  const hasChannel = timeline.rows.some((r) => r.kind === 'channel');
  const viewed = active.filter((d) => !hasChannel || d.kind === 'channel');

  const destinations: DestinationFigures[] = timeline.rows.map(({ row, kind }) => {
    const rowActive = active.filter((d) => d.row === row);
    const activeMs = onAir ? unionLength(rowActive, onAir) : 0;
    return {
      row,
      kind,
      activeMs,
      availability: onAir ? activeMs / (onAir.end - onAir.start) : undefined,
    };
  });

  const outages: Outage[] = [];
  if (onAir) {
    for (const { row } of timeline.rows) {
      const up = merged(timeline.destinations.filter((d) => d.row === row && d.state === 'ACTIVE'));
      let cursor = onAir.start;
      let upSince = onAir.start;
      const gaps: { start: number; end: number; recovered: boolean; upSince: number }[] = [];
      for (const s of up) {
        if (s.start >= onAir.end) break;
        if (s.start > cursor) gaps.push({ start: cursor, end: s.start, recovered: true, upSince });
        if (s.end > cursor) upSince = s.start;
        cursor = Math.max(cursor, s.end);
      }
      if (cursor < onAir.end) gaps.push({ start: cursor, end: onAir.end, recovered: false, upSince });
      for (const gap of gaps) {
        const first = timeline.destinations.find(
          (d) => d.row === row && d.state !== 'ACTIVE' && d.start <= gap.start && d.end > gap.start,
        );
        outages.push({
          row,
          start: gap.start,
          cause: first?.state ?? 'OFF',
          recoveredAt: gap.recovered ? gap.end : undefined,
          timeToRecoverMs: gap.recovered ? gap.end - gap.start : undefined,
          restarts: timeline.restarts.filter((r) => r.at > gap.upSince && r.at <= gap.end).length,
        });
      }
    }
    outages.sort((a, b) => a.start - b.start);
  }

  const recordingSpans = timeline.destinations.filter((d) => d.kind === 's3' && d.state === 'ACTIVE');
  const publishers = new Map<string, Timeline['publishers']>();
  for (const p of timeline.publishers) publishers.set(p.who, [...(publishers.get(p.who) ?? []), p]);
  const manual = timeline.restarts.filter((r) => r.manual).length;
  return {
    onAir,
    timeOnAirMs: onAir ? unionLength(viewed, onAir) : 0,
    destinations,
    outages,
    restarts: { count: timeline.restarts.length, manual, automatic: timeline.restarts.length - manual },
    recordings: {
      segments: new Set(recordingSpans.map((d) => d.compositionArn)).size,
      recordedMs: unionLength(recordingSpans, timeline.window),
    },
    publishers: [...publishers].map(([who, spans]) => ({
      who,
      firstSeenAt: Math.min(...spans.map((p) => p.start)),
      publishedMs: spans.some((p) => p.open) ? undefined : unionLength(spans, timeline.window),
    })),
    incidents: timeline.incidents.length,
  };
}
