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
  const lines = [
    `Show ${status.showId} (${status.name})`,
    `  Phase:          ${status.phase} (workflow ${execution})`,
    ...(failure ? [`  Failure:        ${failure}`] : []),
    `  Region:         ${status.region || 'worker default'}`,
    `  Window:         ${shortTime(status.scheduledStart)} to ${shortTime(status.plannedEnd)}`,
    `  Next deadline:  ${status.nextDeadline ? `${status.nextDeadline.what} at ${shortTime(status.nextDeadline.at)}` : 'none'}`,
    `  Resources:${present.length === 0 ? '      none yet' : ''}`,
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
