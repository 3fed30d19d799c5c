import type { RecordingsIndexDocument } from '../../../activities/recordings';
import { formatDuration } from '../../../show-spec/durations';
import { shortTime, table } from '../output';

const duration = (ms: number | null) => (ms === null ? undefined : formatDuration(ms));
const indent = (lines: string[]) => lines.map((l) => `  ${l}`);

/** The index's summary first, then one line per recording with where to play it from. */
export function formatRecordingsIndex(uri: string, index: RecordingsIndexDocument): string[] {
  const s = index.summary;
  const participantRows = index.participants.flatMap((p) =>
    p.recordings.map((r) => [
      p.participantId,
      r.status,
      duration(r.duration_ms),
      shortTime(r.start ?? undefined),
      r.playlist ?? r.prefix,
    ]),
  );
  const compositeRows = index.composites.map((c) => [
    c.compositionArn.split('/').pop(),
    c.status,
    duration(c.duration_ms),
    shortTime(c.start ?? undefined),
    `s3://${c.bucket}/${c.playlist ?? c.prefix}`,
  ]);
  return [
    `Recordings index ${uri} (generated ${shortTime(index.generatedAt)})`,
    `  Stage:        ${index.stageArn}`,
    `  Recordings:   ${s.participantRecordings} from ${s.participants} participants, ${s.compositeRecordings} composite`,
    `  Duration:     ${formatDuration(s.totalDurationMs)} in total`,
    `  Problems:     ${s.failedRecordings} failed, ${s.unsettledRecordings} unsettled, ${s.unreadableRecordings} unreadable, ${s.missingRecordings} missing`,
    ...(participantRows.length
      ? indent(table(['PARTICIPANT', 'STATUS', 'DURATION', 'START', 'PLAYLIST'], participantRows))
      : []),
    ...(compositeRows.length
      ? indent(table(['COMPOSITION', 'STATUS', 'DURATION', 'START', 'PLAYLIST'], compositeRows))
      : []),
  ];
}
