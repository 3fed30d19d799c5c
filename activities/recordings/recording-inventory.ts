import { RecordingTally } from './recording-tally';
import type { RecordingsS3 } from './recordings-s3';

export interface ParticipantTally {
  sessionId: string;
  participantId: string;
  tally: RecordingTally;
}

/** Called after every listed page, e.g. to heartbeat. */
export type PageObserver = (objectsInPage: number) => void;

/**
 * Folds the flat listing of one session folder (`<stageId>/<sessionId>/`) into one tally per participant recording
 * (`<participantId>/<timestamp>/...`): the layout the IVS user guide documents for individual participant recording
 * (the API's Participant.recordingS3Prefix and the events' recording_s3_key_prefix name the same prefixes). Memory is one tally per recording whatever the number of segments; objects
 * that are not inside a recording folder are counted as scanned and otherwise ignored.
 */
export async function tallyParticipantRecordings(
  s3: RecordingsS3,
  bucket: string,
  role: string,
  sessionPrefix: string,
  onPage: PageObserver,
): Promise<ParticipantTally[]> {
  const sessionId = sessionPrefix.slice(sessionPrefix.lastIndexOf('/', sessionPrefix.length - 2) + 1, -1);
  const recordings = new Map<string, ParticipantTally>();
  // A recording's keys are contiguous in a listing, so the previous one is almost always the one wanted.
  let current: ParticipantTally | undefined;
  for await (const page of s3.listObjectPages(bucket, role, sessionPrefix)) {
    for (const { key, size } of page) {
      const relative = key.slice(sessionPrefix.length);
      const afterParticipant = relative.indexOf('/');
      const afterTimestamp = afterParticipant > 0 ? relative.indexOf('/', afterParticipant + 1) : -1;
      if (afterTimestamp <= afterParticipant + 1 || afterTimestamp === relative.length - 1) continue;
      const recordingPrefix = sessionPrefix + relative.slice(0, afterTimestamp);
      if (current?.tally.prefix !== recordingPrefix) {
        current = recordings.get(recordingPrefix);
        if (!current) {
          current = {
            sessionId,
            participantId: relative.slice(0, afterParticipant),
            tally: new RecordingTally(bucket, recordingPrefix),
          };
          recordings.set(recordingPrefix, current);
        }
      }
      current.tally.add(relative.slice(afterTimestamp + 1), size);
    }
    onPage(page.length);
  }
  return [...recordings.values()];
}

/** Folds the flat listing of one recording prefix (a composite recording) into its tally. */
export async function tallyRecording(
  s3: RecordingsS3,
  bucket: string,
  role: string,
  prefix: string,
  onPage: PageObserver,
): Promise<RecordingTally> {
  const tally = new RecordingTally(bucket, prefix);
  const start = prefix.length + 1;
  for await (const page of s3.listObjectPages(bucket, role, `${prefix}/`)) {
    for (const { key, size } of page) tally.add(key.slice(start), size);
    onPage(page.length);
  }
  return tally;
}
