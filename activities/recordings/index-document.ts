import type { ShowFigures } from '../../timeline/show-figures';
import type { ParticipantRecordingEntry, RecordingEntry } from './index-entries';
import type { RecordingOutcome } from './recording-reader';

export interface ParticipantEntry {
  participantId: string;
  sessionId: string;
  recordings: ParticipantRecordingEntry[];
}

export interface CompositeEntry extends RecordingEntry {
  compositionArn: string;
  bucket: string;
}

export interface IndexSummary {
  participants: number;
  participantRecordings: number;
  /** Composite prefixes with at least one object (MISSING ones are listed but not counted). */
  compositeRecordings: number;
  /** recording-failed.json, or a failure status in the final document. */
  failedRecordings: number;
  /** Neither recording-ended.json nor recording-failed.json when the settle wait ran out. */
  unsettledRecordings: number;
  /** The final events document exists but could not be parsed. */
  unreadableRecordings: number;
  /** Composite prefixes without any object. */
  missingRecordings: number;
  /** Sum of `duration_ms` over participant and composite recordings that report one. */
  totalDurationMs: number;
  objectsScanned: number;
}

export interface RecordingsIndexDocument {
  version: 1;
  stageArn: string;
  generatedAt: string;
  participantRecordingBucket: string | null;
  /** How the settle wait went: `timedOut` means some recordings were indexed UNSETTLED. */
  settleWait: { waitedMs: number; rounds: number; timedOut: boolean };
  participants: ParticipantEntry[];
  composites: CompositeEntry[];
  summary: IndexSummary;
  /** How the show went (time on air, availability, outages, restarts), when the show passed its figures. */
  show?: ShowFigures;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Recordings without a start time (never started, unreadable) sort last; the prefix breaks ties deterministically. */
function byStart(a: RecordingEntry, b: RecordingEntry): number {
  if (a.start !== b.start) {
    if (a.start === null) return 1;
    if (b.start === null) return -1;
    return byString(a.start, b.start);
  }
  return byString(a.prefix, b.prefix);
}

/**
 * Accumulates the index one recording at a time. It holds one small entry per recording, never anything per object,
 * and counts as it goes so the summary needs no second pass.
 */
export class IndexBuilder {
  private readonly participants = new Map<string, ParticipantEntry>();
  private readonly composites: CompositeEntry[] = [];
  private readonly counts: Omit<IndexSummary, 'participants' | 'objectsScanned'> = {
    participantRecordings: 0,
    compositeRecordings: 0,
    failedRecordings: 0,
    unsettledRecordings: 0,
    unreadableRecordings: 0,
    missingRecordings: 0,
    totalDurationMs: 0,
  };

  addParticipantRecording(
    sessionId: string,
    participantId: string,
    entry: ParticipantRecordingEntry,
    outcome: RecordingOutcome,
  ): void {
    const key = `${participantId}\n${sessionId}`;
    let participant = this.participants.get(key);
    if (!participant) {
      participant = { participantId, sessionId, recordings: [] };
      this.participants.set(key, participant);
    }
    participant.recordings.push(entry);
    this.counts.participantRecordings++;
    this.count(entry, outcome);
  }

  addComposite(entry: CompositeEntry, outcome: RecordingOutcome): void {
    this.composites.push(entry);
    if (outcome !== 'missing') this.counts.compositeRecordings++;
    this.count(entry, outcome);
  }

  private count(entry: RecordingEntry, outcome: RecordingOutcome): void {
    if (outcome === 'failed') this.counts.failedRecordings++;
    else if (outcome === 'unsettled') this.counts.unsettledRecordings++;
    else if (outcome === 'unreadable') this.counts.unreadableRecordings++;
    else if (outcome === 'missing') this.counts.missingRecordings++;
    this.counts.totalDurationMs += entry.duration_ms ?? 0;
  }

  /** Participants by ID (then session), their recordings by start; composites stay in the caller's (start) order. */
  build(meta: {
    stageArn: string;
    generatedAt: string;
    participantRecordingBucket: string | null;
    settleWait: RecordingsIndexDocument['settleWait'];
    objectsScanned: number;
    show?: ShowFigures;
  }): RecordingsIndexDocument {
    const participants = [...this.participants.values()].sort(
      (a, b) => byString(a.participantId, b.participantId) || byString(a.sessionId, b.sessionId),
    );
    for (const participant of participants) participant.recordings.sort(byStart);
    return {
      version: 1,
      stageArn: meta.stageArn,
      generatedAt: meta.generatedAt,
      participantRecordingBucket: meta.participantRecordingBucket,
      settleWait: meta.settleWait,
      participants,
      composites: this.composites,
      summary: { participants: participants.length, ...this.counts, objectsScanned: meta.objectsScanned },
      ...(meta.show ? { show: meta.show } : {}),
    };
  }
}
