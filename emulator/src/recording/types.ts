/**
 * Contract between the emulator's state machines and the recording writers. The state machines decide *when*
 * a recording starts, pauses and ends; the writers decide *what* lands in S3 and report back.
 */
export type ParticipantRecordingState = 'STARTING' | 'ACTIVE' | 'STOPPING' | 'STOPPED' | 'FAILED';
export type RecordingMediaType = 'AUDIO_VIDEO' | 'AUDIO_ONLY' | 'NONE';
export type ThumbnailStorage = 'SEQUENTIAL' | 'LATEST';

export interface ThumbnailSettings {
  /** DISABLED writes no thumbnails. */
  recordingMode: 'INTERVAL' | 'DISABLED';
  targetIntervalSeconds: number;
  storage: ThumbnailStorage[];
}

export interface ParticipantRecordingSpec {
  bucket: string;
  /** `<stageId>/<sessionId>/<participantId>/<timestamp>`, timestamp ISO 8601 with '-' for ':'. */
  prefix: string;
  stageArn: string;
  sessionId: string;
  participantId: string;
  mediaType: RecordingMediaType;
  segmentDurationSeconds: number;
  thumbnails: ThumbnailSettings;
  reconnectWindowSeconds: number;
  /**
   * When the recording began, if earlier than now: a recording that waited for `minimumRecordedPublishMs` is dated
   * from the publish start. Default: now.
   */
  startedAtMs?: number;
}

export interface CompositeRecordingSpec {
  bucket: string;
  /** `destinations[].detail.s3.recordingPrefix`, e.g. `<stageId>/<compositionId>/<destinationId>/composite`. */
  prefix: string;
  stageArn: string;
  segmentDurationSeconds: number;
  /** Rendition from the encoder configuration. */
  video: { width: number; height: number; framerate: number; bitrate: number };
  /** At most one entry (the model's CompositionThumbnailConfigurationList max is 1); empty means none. */
  thumbnails: { targetIntervalSeconds: number; storage: ThumbnailStorage[] }[];
}

export interface RecordingObserver {
  /** Called on every state transition, in order. `message` accompanies FAILED. */
  onState(state: ParticipantRecordingState, message?: string): void;
}

export interface ParticipantRecorder {
  /** Publisher started (or came back within the reconnect window): media flows, since `sinceMs` (default now). */
  mediaStarted(sinceMs?: number): void;
  /** Publisher stopped: media stops; if it does not come back within the reconnect window, the recording ends. */
  mediaStopped(): void;
  /** Ends now (stage deleted, participant disconnected for good), skipping the reconnect window. */
  end(): Promise<void>;
  /** Ends with a failure (recording-failed.json / RECORDING_ENDED_WITH_FAILURE). */
  fail(message: string): Promise<void>;
  /** Resolves once every object of this recording that will ever be written is in S3. */
  settled(): Promise<void>;
}

export interface CompositeRecorder {
  /** Destination ACTIVE: media flows. */
  start(): void;
  /** Destination stopped normally: final playlist becomes VOD, recording-ended.json. */
  end(): Promise<void>;
  /** Destination failed: recording-failed.json. */
  fail(message: string): Promise<void>;
  settled(): Promise<void>;
}

export interface RecordingWriterFactory {
  participant(spec: ParticipantRecordingSpec, observer: RecordingObserver): ParticipantRecorder;
  composite(spec: CompositeRecordingSpec, observer: RecordingObserver): CompositeRecorder;
  /** Whether the bucket exists in the S3 server (storage configurations are refused otherwise). */
  bucketExists(bucket: string): Promise<boolean>;
  /** Waits for every recording in flight to settle (used by reset and shutdown). */
  drain(): Promise<void>;
}
