import { mapWithConcurrency } from './concurrency';
import type { RecordingsS3 } from './recordings-s3';

/**
 * Finds recording prefixes with delimiter listings, one folder level at a time, so that each poll of the settle wait
 * costs a request per session, participant and unsettled recording, never a pass over the segments.
 */

export const PARTICIPANT_ROLE = 'participant recording';
export const COMPOSITE_ROLE = 'composite recording';
export const INDEX_ROLE = 'recordings index';

const LISTING_CONCURRENCY = 8;

/**
 * `<stageId>/<sessionId>/` for the requested sessions, or for every session folder of the stage. Only `st-` folders
 * are sessions: composite recordings may share the bucket under `<stageId>/<compositionId>/`.
 */
export async function sessionPrefixes(
  s3: RecordingsS3,
  bucket: string,
  stageId: string,
  sessionIds: string[] | undefined,
): Promise<string[]> {
  if (sessionIds) return [...new Set(sessionIds)].sort().map((id) => `${stageId}/${id}/`);
  const folders = await s3.listCommonPrefixes(bucket, PARTICIPANT_ROLE, `${stageId}/`);
  return folders.filter((folder) => folder.slice(stageId.length + 1).startsWith('st-'));
}

/** Every `<stageId>/<sessionId>/<participantId>/<timestamp>` (without the trailing '/') of the given sessions. */
export async function participantRecordingPrefixes(
  s3: RecordingsS3,
  bucket: string,
  sessions: string[],
): Promise<string[]> {
  const participants = (
    await mapWithConcurrency(sessions, LISTING_CONCURRENCY, (session) =>
      s3.listCommonPrefixes(bucket, PARTICIPANT_ROLE, session),
    )
  ).flat();
  const recordings = (
    await mapWithConcurrency(participants, LISTING_CONCURRENCY, (participant) =>
      s3.listCommonPrefixes(bucket, PARTICIPANT_ROLE, participant),
    )
  ).flat();
  return recordings.map((folder) => folder.slice(0, -1));
}

/** settled: ended or failed document present; pending: something written but not final; absent: nothing at all. */
export type RecordingProgress = 'settled' | 'pending' | 'absent';

export async function recordingProgress(
  s3: RecordingsS3,
  bucket: string,
  role: string,
  prefix: string,
): Promise<RecordingProgress> {
  const events = await s3.listKeys(bucket, role, `${prefix}/events/`);
  const names = events.map((key) => key.slice(key.lastIndexOf('/') + 1));
  if (names.includes('recording-ended.json') || names.includes('recording-failed.json')) return 'settled';
  if (names.length > 0) return 'pending';
  // Media objects land before recording-started.json, so an empty events folder does not mean an empty recording.
  const folders = await s3.listCommonPrefixes(bucket, role, `${prefix}/`);
  return folders.length > 0 ? 'pending' : 'absent';
}
