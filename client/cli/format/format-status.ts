import type { ShowStatus } from '../../../contracts/show-status';
import { shortTime, table } from '../output';

/** The status query, as an operator reads it: what phase, on what resources, what went wrong, what happens next. */
export function formatStatus(status: ShowStatus, execution: string, failure?: string): string[] {
  const r = status.resources;
  const resources: [string, string | undefined][] = [
    ['stage', r.stageArn],
    ['ingest configuration', r.ingestConfigurationArn],
    ['composition', r.compositionArn],
    ['encoder configuration', r.encoderConfigurationArn],
    // Participant and composite recording often share one storage configuration.
    ...[...new Set(r.storageConfigurationArns)].map((arn): [string, string] => ['storage configuration', arn]),
  ];
  const present = resources.filter(([, arn]) => arn);
  const ending = status.ending;
  // The show's own account of its failure (step and cause) reads better than the workflow's wrapped error.
  const cause = ending?.failure ?? failure;
  const lines = [
    `Show ${status.showId} (${status.name})`,
    `  Phase:          ${status.phase} (workflow ${execution})`,
    ...(ending ? [`  Outcome:        ${ending.outcome}: ${ending.reason}`] : []),
    ...(cause && !ending?.reason.includes(cause) ? [`  Failure:        ${cause}`] : []),
    `  Region:         ${status.region || 'worker default'}`,
    `  Window:         ${shortTime(status.scheduledStart)} to ${shortTime(status.plannedEnd)}`,
    `  Next deadline:  ${status.nextDeadline ? `${status.nextDeadline.what} at ${shortTime(status.nextDeadline.at)}` : 'none'}`,
    // After the end only what outlives the show is left: kept resources and the shared configurations.
    ending
      ? `  Left in place:${present.length === 0 ? '  nothing' : ''}`
      : `  Resources:${present.length === 0 ? '      none yet' : ''}`,
    ...present.map(([kind, arn]) => `    ${kind.padEnd(22)} ${arn}`),
  ];
  if (status.composition) {
    lines.push(`  Composition:    ${status.composition.state} ${status.composition.arn}`);
    lines.push(
      ...table(
        ['DESTINATION', 'KIND', 'STATE'],
        status.composition.destinations.map((d) => [d.id, d.kind, d.state]),
      ).map((l) => `    ${l}`),
    );
  }
  if (ending) {
    const refs = (list: { kind: string; arn: string }[]) => list.map((r) => `    ${r.kind.padEnd(22)} ${r.arn}`);
    lines.push(`  Removed:${ending.removed.length === 0 ? '        nothing' : ''}`, ...refs(ending.removed));
    if (ending.kept.length > 0) lines.push('  Kept:', ...refs(ending.kept));
    if (ending.swept)
      lines.push(
        `  Sweep:          ${ending.swept.length === 0 ? 'nothing else was left under the run tag' : `also removed ${ending.swept.length}`}`,
        ...refs(ending.swept),
      );
    if (ending.recordingsIndex) lines.push(`  Recordings:     index at ${ending.recordingsIndex}`);
  }
  lines.push(`  Restarts:       ${status.compositionRestarts}`);
  if (status.participants.length > 0) {
    lines.push(`  Tokens issued:  ${status.participants.length}`);
    lines.push(
      ...table(
        ['USER', 'PARTICIPANT', 'TOKEN EXPIRES'],
        status.participants.map((p) => [p.userId, p.participantId, shortTime(p.tokenExpiresAt)]),
      ).map((l) => `    ${l}`),
    );
  }
  lines.push(`  Incidents:      ${status.incidents.length === 0 ? 'none' : status.incidents.length}`);
  lines.push(...status.incidents.map((i) => `    ${shortTime(i.at)} ${i.kind}: ${i.detail}`));
  return lines;
}
