import { isFinalPhase, type ShowDeadline } from '../../contracts/show-status';
import type { ShowSpec } from '../../show-spec/show-spec';
import { figuresMarkdown } from '../../timeline/figures-markdown';
import { figuresFromState } from '../../timeline/state-events';
import type { ShowState } from './state';

/**
 * The Markdown the Web UI shows as the workflow's current details: where the show stands, what it made, what
 * went wrong, what happens next — readable without opening the code. No secrets.
 */
export function currentDetailsMarkdown(spec: ShowSpec, state: ShowState, next?: ShowDeadline): string {
  const run = state.compositions[state.compositions.length - 1];
  const lines = [
    `## ${spec.name} — ${state.phase}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Planned | ${new Date(state.startAt).toISOString()} → ${new Date(state.endAt).toISOString()} |`,
    `| Stage | ${state.stageArn ?? '—'} |`,
    `| Ingest | ${state.ingestConfigurationArn ?? '—'} |`,
    `| Composition | ${run ? `${run.arn} (${run.state}; ${run.destinations.map((d) => `${d.kind} ${d.state}`).join(', ')})` : '—'} |`,
    `| Restarts | ${state.restarts} of ${spec.policies.maxCompositionRestarts} |`,
    `| Next | ${next ? `${next.what} at ${next.at}` : '—'} |`,
  ];
  const recent = state.incidents.slice(-5);
  if (recent.length > 0) {
    lines.push('', '### Recent incidents', '');
    for (const i of recent) lines.push(`- ${i.at} **${i.kind}** ${i.detail}`);
  }
  if (isFinalPhase(state.phase)) lines.push('', '### How it went', '', ...figuresMarkdown(figuresFromState(state)));
  return lines.join('\n');
}
