import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { Timeline } from '../../timeline/show-timeline';

/** Phases in the order a show passes through them, coloured from calm (waiting) to alarming (failed). */
const PHASE_COLOURS: Record<string, string> = {
  SCHEDULED: '#d9d9d9',
  PREPARING: '#bdbdbd',
  WAITING_FOR_PUBLISHER: '#fdd0a2',
  STARTING_COMPOSITION: '#9ecae1',
  LIVE: '#31a354',
  RECOVERING: '#fd8d3c',
  ENDING: '#756bb1',
  TIDYING: '#9e9ac8',
  INDEXING: '#cbc9e2',
  COMPLETED: '#636363',
  FAILED: '#de2d26',
  CANCELLED: '#969696',
};

/** IVS destination states, and PUBLISHING for publisher rows. */
const STATE_COLOURS: Record<string, string> = {
  STARTING: '#9ecae1',
  ACTIVE: '#31a354',
  RECONNECTING: '#fd8d3c',
  FAILED: '#de2d26',
  STOPPING: '#bdbdbd',
  PUBLISHING: '#6baed6',
  /** Seen publishing; when it stopped is not recorded. */
  'SEEN PUBLISHING': '#c6dbef',
};

const WIDTH = 960;
const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600].map((s) => s * 1000);

/**
 * Axis ticks at whole UTC seconds, minutes or hours, at most about a dozen over the window, and the label format
 * that shows them. Vega would pick its own from the width, sub-second on a short show, which `%H:%M:%S` cannot label.
 */
export function timeTicks(window: { start: number; end: number }): { values: number[]; format: string } {
  const span = Math.max(1, window.end - window.start);
  const step = STEPS_MS.find((s) => span / s <= 12) ?? STEPS_MS[STEPS_MS.length - 1]!;
  const values: number[] = [];
  for (let t = Math.ceil(window.start / step) * step; t <= window.end; t += step) values.push(t);
  return { values, format: step < 60_000 ? '%H:%M:%S' : '%H:%M' };
}

/**
 * The show's story as a Vega-Lite specification: a band of phases over the destination rows (each one's state over
 * time, across compositions), publisher rows, restarts as dashed rules, incidents as ticks, and the figures as text
 * below, on one shared UTC time axis.
 */
export function timelineChartSpec(
  title: string,
  timeline: Timeline,
  figureLines: string[],
  subtitle: string,
): TopLevelSpec {
  const x = { field: 'start', type: 'temporal', scale: { type: 'utc', nice: false } };
  const ticks = timeTicks(timeline.window);
  const utcAxis = { title: null, values: ticks.values, format: ticks.format, labelFlush: true };
  const rows = [
    ...timeline.rows.map((r) => `destination: ${r.row}`),
    ...[...new Set(timeline.publishers.map((p) => p.who))].map((who) => `publisher: ${who}`),
  ];
  const bars = [
    ...timeline.destinations.map((d) => ({
      row: `destination: ${d.row}`,
      state: d.state,
      start: d.start,
      end: d.end,
      detail: `${d.destinationId} of ${d.compositionArn.split('/').pop()}`,
    })),
    ...timeline.publishers.map((p) => ({
      row: `publisher: ${p.who}`,
      state: p.open ? 'SEEN PUBLISHING' : 'PUBLISHING',
      start: p.start,
      end: p.end,
      detail: p.open ? 'seen publishing; when it stopped is not recorded' : '',
    })),
  ];
  const phaseDomain = Object.keys(PHASE_COLOURS).filter((p) => timeline.phases.some((s) => s.phase === p));
  const stateDomain = Object.keys(STATE_COLOURS).filter((s) => bars.some((b) => b.state === s));
  // A show that never went on air has no destination or publisher rows: a legend with a title and no entries
  // would only puzzle the reader, so an empty one is left out (null is Vega-Lite's "no legend").
  const legendOf = (domain: string[]) => (domain.length > 0 ? { orient: 'right', columns: 1, labelLimit: 240 } : null);
  const allRows = ['phase', ...rows, 'incidents'];
  const y = { field: 'row', type: 'nominal', title: null, sort: allRows, scale: { domain: allRows } };
  const rowHeight = 26;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start', fontSize: 16 },
    background: 'white',
    padding: 12,
    config: { font: 'DejaVu Sans, sans-serif', view: { stroke: null }, axis: { labelFontSize: 11 } },
    vconcat: [
      {
        width: WIDTH,
        height: { step: rowHeight },
        // Phases and destination states have colour scales (and legends) of their own on one set of rows.
        resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
        layer: [
          {
            data: { values: timeline.phases.map((p) => ({ ...p, row: 'phase' })) },
            mark: { type: 'bar', cornerRadius: 2 },
            encoding: {
              y,
              x: { ...x, axis: utcAxis },
              x2: { field: 'end' },
              color: {
                field: 'phase',
                type: 'nominal',
                title: 'Phase',
                scale: { domain: phaseDomain, range: phaseDomain.map((p) => PHASE_COLOURS[p]!) },
                legend: legendOf(phaseDomain),
              },
              tooltip: [{ field: 'phase' }, { field: 'start', type: 'temporal' }, { field: 'end', type: 'temporal' }],
            },
          },
          {
            data: { values: bars },
            mark: { type: 'bar', cornerRadius: 2 },
            encoding: {
              y,
              x,
              x2: { field: 'end' },
              color: {
                field: 'state',
                type: 'nominal',
                title: 'State',
                scale: { domain: stateDomain, range: stateDomain.map((s) => STATE_COLOURS[s]!) },
                legend: legendOf(stateDomain),
              },
              tooltip: [{ field: 'row' }, { field: 'state' }, { field: 'detail' }],
            },
          },
          {
            data: {
              values: timeline.incidents.map((i) => ({
                row: 'incidents',
                start: i.at,
                kind: i.kind,
                detail: i.detail,
              })),
            },
            mark: { type: 'tick', thickness: 2, color: '#54278f' },
            encoding: { y, x, tooltip: [{ field: 'kind' }, { field: 'detail' }] },
          },
          {
            data: {
              values: timeline.restarts.map((r) => ({
                start: r.at,
                label: r.manual ? 'restart (requested)' : 'restart',
              })),
            },
            layer: [
              { mark: { type: 'rule', color: '#b10026', strokeDash: [5, 3], strokeWidth: 1.5 }, encoding: { x } },
              {
                mark: { type: 'text', color: '#b10026', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10 },
                encoding: { x, text: { field: 'label' } },
              },
            ],
          },
        ],
      },
      {
        width: WIDTH,
        height: figureLines.length * 16,
        data: { values: figureLines.map((line, i) => ({ line, i })) },
        mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 12, font: 'DejaVu Sans Mono, monospace' },
        encoding: {
          y: { field: 'i', type: 'ordinal', axis: null },
          x: { value: 0 },
          text: { field: 'line' },
        },
      },
    ],
    spacing: 16,
  } as TopLevelSpec;
}

/** Renders a Vega-Lite specification to SVG headless: vega's SVG renderer needs no browser, canvas or native code. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ compile }, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterises the SVG with resvg (a Rust SVG renderer, prebuilt for the usual platforms); undefined when its native
 * module is not available here, so the report still has its SVG.
 */
export async function renderPng(svg: string): Promise<Buffer | undefined> {
  let Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch {
    return undefined;
  }
  const rendered = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: {
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      monospaceFamily: 'DejaVu Sans Mono',
    },
  }).render();
  return Buffer.from(rendered.asPng());
}

/** Figure lines for the picture: the Markdown table rows without their pipes. */
export function plainLines(markdown: string[]): string[] {
  return markdown
    .filter((l) => !/^\|[-| ]+\|$/.test(l) && l !== '| | |')
    .map((l) => l.replace(/^\| /, '').replace(/ \|$/, '').replace(/ \| /g, ' · ').replace(/^\s*$/, ' '));
}
