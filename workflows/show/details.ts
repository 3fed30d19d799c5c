import { isFinalPhase, type ResourceRef, type ShowDeadline } from '../../contracts/show-status';
import type { ShowSpec } from '../../show-spec/show-spec';
import { figuresMarkdown } from '../../timeline/figures-markdown';
import { figuresFromState } from '../../timeline/state-events';
import { shownDestinationState, wasRemoved } from './decisions';
import type { ShowState } from './state';

const refs = (list: readonly ResourceRef[]) =>
  list.length === 0 ? 'nothing' : list.map((r) => `${r.kind.replace(/-/g, ' ')} ${r.arn}`).join(', ');

/** A resource as it stands: live, removed by tidy-up or the sweep, or kept by policy. */
function resource(state: ShowState, arn: string | undefined): string {
  if (!arn) return '—';
  if (wasRemoved(state, arn)) return `${arn} (deleted)`;
  if (state.kept.some((r) => r.arn === arn)) return `${arn} (kept)`;
  return arn;
}

/**
 * The Markdown the Web UI shows as the workflow's current details: where the show stands, what it made, what
 * went wrong, what happens next — readable without opening the code. Once the show has ended: the outcome and
 * why, the failure's cause, what was removed and kept, what the sweep found, where the recordings index is. No
 * secrets.
 */
export function currentDetailsMarkdown(spec: ShowSpec, state: ShowState, next?: ShowDeadline): string {
  const run = state.compositions[state.compositions.length - 1];
  const final = isFinalPhase(state.phase);
  const composition = run
    ? `${run.arn} (${run.state}; ${run.destinations.map((d) => `${d.kind} ${shownDestinationState(run, d.state)}`).join(', ')})`
    : '—';
  const lines = [`## ${spec.name} — ${state.phase}`, '', `| | |`, `|---|---|`];
  if (state.outcome) lines.push(`| Outcome | ${state.outcome}: ${state.endReason ?? ''} |`);
  if (state.failure && state.failure !== state.endReason) lines.push(`| Failure | ${state.failure} |`);
  lines.push(
    `| Planned | ${new Date(state.startAt).toISOString()} → ${new Date(state.endAt).toISOString()} |`,
    `| Stage | ${resource(state, state.stageArn)} |`,
    `| Ingest | ${resource(state, state.ingestConfigurationArn)} |`,
    `| Composition | ${composition} |`,
    `| Restarts | ${state.restarts} of ${spec.policies.maxCompositionRestarts} |`,
  );
  if (!final) lines.push(`| Next | ${next ? `${next.what} at ${next.at}` : '—'} |`);
  // Counted rather than listed: events only wake polls, and most cannot matter when they arrive.
  if (state.ivsEvents)
    lines.push(`| IVS events | ${state.ivsEvents.received} received, ${state.ivsEvents.acted} acted on |`);
  if (final) {
    lines.push(`| Removed | ${refs(state.removed)} |`);
    if (state.kept.length > 0) lines.push(`| Kept | ${refs(state.kept)} |`);
    const shared = state.made.filter((r) => r.shared);
    if (shared.length > 0) lines.push(`| Shared, left in place | ${refs(shared)} |`);
    if (state.sweptAt)
      lines.push(
        `| Sweep of the run tag | ${state.swept?.length ? `also removed ${refs(state.swept)}` : 'nothing else was left'} |`,
      );
    lines.push(`| Recordings index | ${state.recordingsIndexUri ?? 'none'} |`);
  }
  const recent = state.incidents.slice(-5);
  if (recent.length > 0) {
    lines.push('', '### Recent incidents', '');
    for (const i of recent) lines.push(`- ${i.at} **${i.kind}** ${i.detail}`);
  }
  if (final) lines.push('', '### How it went', '', ...figuresMarkdown(figuresFromState(state)));
  return lines.join('\n');
}
