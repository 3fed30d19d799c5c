import type { ShowFigures } from './show-figures';

/** 1 h 02 min 03 s, 4 min 05 s, 6.2 s: durations as people read them. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${String(m).padStart(h ? 2 : 1, '0')} min ${String(s % 60).padStart(2, '0')} s`;
  return h ? `${h} h ${rest}` : rest;
}

/** Percent with one decimal, never rounding an outage up to 100 %. */
export function formatAvailability(ratio: number | undefined): string {
  if (ratio === undefined) return '—';
  const percent = Math.floor(ratio * 1000) / 10;
  return `${percent.toFixed(1)} %`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The figures as Markdown: the report's text and the show's final details in the Web UI. */
export function figuresMarkdown(f: ShowFigures, recordingsIndex?: Record<string, number>): string[] {
  const lines = [
    '| | |',
    '|---|---|',
    `| On air | ${f.onAir ? `${iso(f.onAir.start)} → ${iso(f.onAir.end)}` : 'never'} |`,
    `| Time on air | ${formatDuration(f.timeOnAirMs)} |`,
    ...f.destinations.map(
      (d) =>
        `| Availability, ${d.row} | ${formatAvailability(d.availability)} (${formatDuration(d.activeMs)} ACTIVE) |`,
    ),
    `| Restarts | ${f.restarts.count} (${f.restarts.automatic} automatic, ${f.restarts.manual} requested) |`,
    `| Recorded | ${formatDuration(f.recordings.recordedMs)} in ${f.recordings.segments} composite recording${f.recordings.segments === 1 ? '' : 's'} |`,
  ];
  if (recordingsIndex) {
    const n = (key: string) => recordingsIndex[key] ?? 0;
    lines.push(
      `| Recordings index | ${n('compositeRecordings')} composite, ${n('participantRecordings')} participant recordings, ` +
        `${formatDuration(n('totalDurationMs'))} in all; ${n('failedRecordings')} failed, ${n('missingRecordings')} missing |`,
    );
  }
  for (const p of f.publishers)
    lines.push(
      `| Publisher ${p.who} | ${p.publishedMs === undefined ? `seen publishing at ${iso(p.firstSeenAt)}` : `published ${formatDuration(p.publishedMs)} from ${iso(p.firstSeenAt)}`} |`,
    );
  if (f.outages.length > 0) {
    lines.push('', '| Outage | Destination | Cause | Time to recover | Restarts |', '|---|---|---|---|---|');
    for (const o of f.outages)
      lines.push(
        `| ${iso(o.start)} | ${o.row} | ${o.cause} | ${o.timeToRecoverMs === undefined ? 'not recovered' : formatDuration(o.timeToRecoverMs)} | ${o.restarts} |`,
      );
  }
  return lines;
}
