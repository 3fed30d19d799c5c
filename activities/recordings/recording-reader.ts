import { parseRecordingEvent, type RecordingEventDocument } from './recording-events';
import type { RecordingTally } from './recording-tally';
import type { RecordingsS3 } from './recordings-s3';

/** Events documents are a few hundred bytes; anything far larger is not one and is not downloaded. */
const MAX_EVENT_DOCUMENT_BYTES = 256 * 1024;

const FAILURE_STATUSES = new Set(['RECORDING_START_FAILED', 'RECORDING_ENDED_WITH_FAILURE']);

/**
 * ended / failed: the final document was read. unsettled: neither final document exists (yet). unreadable: the final
 * document exists but cannot be trusted. missing: nothing at all under the prefix (a composite destination that never
 * started writing).
 */
export type RecordingOutcome = 'ended' | 'failed' | 'unsettled' | 'unreadable' | 'missing';

export interface RecordingReading {
  outcome: RecordingOutcome;
  /** The document's `recording_status`, or UNSETTLED / UNREADABLE / MISSING. */
  status: string;
  statusMessage?: string;
  /** The document describing the recording best: the final one if settled, else recording-started.json. */
  document?: RecordingEventDocument;
}

/**
 * Decides a recording's status from its listing and reads the one events document that describes it: at most one GET
 * per recording, whatever its number of objects.
 */
export async function readRecording(s3: RecordingsS3, tally: RecordingTally, role: string): Promise<RecordingReading> {
  const finalFile = tally.events.has('recording-failed.json')
    ? 'recording-failed.json'
    : tally.events.has('recording-ended.json')
      ? 'recording-ended.json'
      : undefined;
  if (!finalFile) {
    if (tally.objects === 0)
      return { outcome: 'missing', status: 'MISSING', statusMessage: 'no objects under the prefix' };
    if (!tally.events.has('recording-started.json')) return { outcome: 'unsettled', status: 'UNSETTLED' };
    const started = await readDocument(s3, tally, role, 'recording-started.json');
    return started.ok
      ? { outcome: 'unsettled', status: 'UNSETTLED', document: started.document }
      : { outcome: 'unsettled', status: 'UNSETTLED', statusMessage: `recording-started.json: ${started.reason}` };
  }
  const final = await readDocument(s3, tally, role, finalFile);
  if (!final.ok) return { outcome: 'unreadable', status: 'UNREADABLE', statusMessage: `${finalFile}: ${final.reason}` };
  const { document } = final;
  const failed = finalFile === 'recording-failed.json' || FAILURE_STATUSES.has(document.recording_status);
  return {
    outcome: failed ? 'failed' : 'ended',
    status: document.recording_status,
    ...(document.recording_status_message !== undefined && { statusMessage: document.recording_status_message }),
    document,
  };
}

async function readDocument(s3: RecordingsS3, tally: RecordingTally, role: string, file: string) {
  const object = await s3.readSmallText(tally.bucket, role, `${tally.prefix}/events/${file}`, MAX_EVENT_DOCUMENT_BYTES);
  return object.found ? parseRecordingEvent(object.text) : { ok: false as const, reason: object.reason };
}
