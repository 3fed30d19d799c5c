import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { figuresMarkdown } from '../../../timeline/figures-markdown';
import { showFigures } from '../../../timeline/show-figures';
import { buildTimeline } from '../../../timeline/show-timeline';
import { workflowIdForShow } from '../../../contracts/ids';
import { readShowHistory } from '../../report/history-events';
import { publisherEventsFromIndex, withRecordedPublishers } from '../../report/recordings-events';
import { plainLines, renderPng, renderSvg, timelineChartSpec } from '../../report/timeline-chart';
import type { ActionBody } from '../cli-action';
import { readIndex } from './recordings-action';
import { findShow } from './show-handle';

export interface ReportOptions {
  out?: string;
  png: boolean;
}

/**
 * The show's story from its Temporal history (every run): a timeline picture (SVG, and PNG where resvg loads) and
 * the figures. History rather than the result or the status query: only history has the phases over time and every
 * state each destination passed through, for a running, failed or terminated show as much as a completed one.
 */
export const reportAction: ActionBody<ReportOptions> = async (ctx, [showId], options) => {
  const client = await ctx.client();
  await findShow(client, showId!);
  const history = await readShowHistory(client, workflowIdForShow(showId!));
  let events = history.events;
  const location = history.result?.recordingsIndex?.location;
  if (location) {
    // Best effort: the picture does not depend on S3; without the index, publishers are sightings only.
    try {
      const index = await readIndex(ctx, location);
      events = withRecordedPublishers(events, publisherEventsFromIndex(index, history.userIds));
    } catch (e) {
      ctx.out.note(`Publishers from the show's history only: ${(e as Error).message}`);
    }
  }
  const timeline = buildTimeline(events, history.window);
  const figures = showFigures(timeline);
  const markdown = figuresMarkdown(figures, history.result?.recordingsIndex?.summary);

  const svgPath = path.resolve(options.out ?? `show-${showId}-report.svg`);
  const subtitle = `${history.workflowId} · ${history.status} · ${new Date(history.window.start).toISOString()} → ${new Date(history.window.end).toISOString()}${history.runs > 1 ? ` · ${history.runs} runs` : ''}`;
  const svg = await renderSvg(timelineChartSpec(`Show ${showId}`, timeline, plainLines(markdown), subtitle));
  // `--out reports/ep42.svg` names a place to put it, like any other tool's output flag: make the folder.
  await mkdir(path.dirname(svgPath), { recursive: true });
  await writeFile(svgPath, svg);
  const files: { svg: string; png?: string } = { svg: svgPath };
  if (options.png) {
    const png = await renderPng(svg);
    if (png) {
      files.png = svgPath.replace(/\.svg$/i, '') + '.png';
      await writeFile(files.png, png);
    } else ctx.out.note('No PNG: the resvg renderer (@resvg/resvg-js) is not available on this platform');
  }
  ctx.out.result(
    { showId, workflow: { id: history.workflowId, status: history.status }, figures, timeline, files },
    () => [
      `Show ${showId} (${history.workflowId}, ${history.status})`,
      '',
      ...markdown,
      '',
      `Timeline: ${files.svg}${files.png ? `, ${files.png}` : ''}`,
    ],
  );
};
