import type {
  AutoParticipantRecordingConfiguration,
  DestinationConfiguration,
  EventErrorCode,
  EventName,
  LayoutConfiguration,
  Video,
} from '@aws-sdk/client-ivs-realtime';
import type { KeyObject } from 'node:crypto';
import type { TimerHandle } from '../clock';
import type { CompositeRecorder, ParticipantRecorder, ParticipantRecordingState } from '../recording/types';

/**
 * What the emulator remembers about each resource. Field names follow the API's members so responses are
 * projections of these records; `seq` orders records for stable pagination.
 */
export type Tags = Record<string, string>;

export interface StageRecord {
  seq: number;
  arn: string;
  id: string;
  name: string;
  tags: Tags;
  autoParticipantRecordingConfiguration?: AutoParticipantRecordingConfiguration;
  activeSessionId?: string;
  sessions: Map<string, SessionRecord>;
  /** Participant IDs disconnected by DisconnectParticipant: their tokens no longer join. */
  revokedParticipantIds: Set<string>;
  createdAt: number;
}

export interface SessionRecord {
  seq: number;
  sessionId: string;
  startTime: number;
  endTime?: number;
  participants: Map<string, ParticipantRecord>;
}

export type ParticipantProtocol = 'UNKNOWN' | 'WHIP' | 'RTMP' | 'RTMPS';

export interface ParticipantEventRecord {
  name: EventName;
  participantId: string;
  eventTime: number;
  remoteParticipantId?: string;
  errorCode?: EventErrorCode;
  destinationStageArn?: string;
  destinationSessionId?: string;
  replica?: boolean;
}

export interface ParticipantRecord {
  seq: number;
  participantId: string;
  userId?: string;
  attributes: Record<string, string>;
  capabilities: { publish: boolean; subscribe: boolean };
  state: 'CONNECTED' | 'DISCONNECTED';
  firstJoinTime: number;
  /** "Whether the participant ever published to the stage session": set by the first publish, never cleared. */
  published: boolean;
  /** Publishing now (between PUBLISH_STARTED and PUBLISH_STOPPED): what quotas and replication look at. */
  publishing: boolean;
  protocol: ParticipantProtocol;
  recordingState: ParticipantRecordingState | 'DISABLED';
  recordingS3BucketName?: string;
  recordingS3Prefix?: string;
  recorder?: ParticipantRecorder;
  /** Armed while a new publish waits out `minimumRecordedPublishMs` before its recording starts. */
  pendingRecording?: TimerHandle;
  replicationType: 'SOURCE' | 'REPLICA' | 'NONE';
  replicationState?: 'ACTIVE' | 'STOPPED';
  sourceStageArn?: string;
  sourceSessionId?: string;
  ingestConfigurationArn?: string;
  redundantIngest?: boolean;
  client: {
    ispName?: string;
    osName?: string;
    osVersion?: string;
    browserName?: string;
    browserVersion?: string;
    sdkVersion?: string;
  };
  events: ParticipantEventRecord[];
}

export type CompositionState = 'STARTING' | 'ACTIVE' | 'STOPPING' | 'FAILED' | 'STOPPED';
export type DestinationState = 'STARTING' | 'ACTIVE' | 'STOPPING' | 'RECONNECTING' | 'FAILED' | 'STOPPED';

export interface DestinationRecord {
  id: string;
  state: DestinationState;
  startTime?: number;
  endTime?: number;
  configuration: DestinationConfiguration;
  recordingPrefix?: string;
  recorder?: CompositeRecorder;
  reconnectTimer?: TimerHandle;
  failureReason?: string;
}

export interface CompositionRecord {
  seq: number;
  arn: string;
  id: string;
  stageArn: string;
  state: CompositionState;
  layout: LayoutConfiguration;
  destinations: DestinationRecord[];
  tags: Tags;
  startTime: number;
  endTime?: number;
  idempotencyToken?: string;
  /** The request that created it, to tell a retry from a conflicting reuse of the token. */
  requestFingerprint: string;
  timers: Set<TimerHandle>;
}

export interface EncoderConfigurationRecord {
  seq: number;
  arn: string;
  id: string;
  name: string;
  video: Required<Video>;
  tags: Tags;
}

export interface StorageConfigurationRecord {
  seq: number;
  arn: string;
  id: string;
  name: string;
  s3: { bucketName: string };
  tags: Tags;
}

/** A participant ID and the stream key it publishes with. */
export interface IngestCredential {
  participantId: string;
  streamKey: string;
}

export interface IngestConfigurationRecord {
  seq: number;
  arn: string;
  id: string;
  name: string;
  /** Empty when detached (DeleteStage, DisconnectParticipant). */
  stageArn: string;
  participantId: string;
  ingestProtocol: 'RTMP' | 'RTMPS';
  streamKey: string;
  state: 'ACTIVE' | 'INACTIVE';
  userId?: string;
  attributes: Record<string, string>;
  insecureIngest: boolean;
  redundantIngest: boolean;
  /** The redundant encoders' credentials; kept only while redundantIngest is true. */
  redundantCredentials: IngestCredential[];
  /** Participant IDs of its publishers streaming now; ACTIVE exactly while there is one. */
  publishers: Set<string>;
  tags: Tags;
}

export interface PublicKeyRecord {
  seq: number;
  arn: string;
  id: string;
  name: string;
  publicKeyMaterial: string;
  fingerprint: string;
  key: KeyObject;
  tags: Tags;
}
