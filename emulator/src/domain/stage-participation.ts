import type { EventErrorCode, EventName } from '@aws-sdk/client-ivs-realtime';
import { accessDenied, conflict, quotaExceeded } from '../errors/api-error';
import { participantRecordingPrefix } from '../recording/recording-prefix';
import { newSessionId } from '../state/ids';
import type { RegionState } from '../state/region-state';
import type {
  ParticipantEventRecord,
  ParticipantProtocol,
  ParticipantRecord,
  SessionRecord,
  StageRecord,
} from '../state/records';
import type { CompositionLifecycle } from './composition-lifecycle';
import type { EmulatorContext } from './emulator-context';

export interface JoinRequest {
  participantId: string;
  userId?: string;
  attributes: Record<string, string>;
  capabilities: { publish: boolean; subscribe: boolean };
  protocol: ParticipantProtocol;
  ingestConfigurationArn?: string;
  /** The ingest configuration's redundantIngest, for its publishers' participants. */
  redundantIngest?: boolean;
  replication?: { sourceStageArn: string; sourceSessionId: string };
  client?: ParticipantRecord['client'];
}

export interface Membership {
  stage: StageRecord;
  session: SessionRecord;
  participant: ParticipantRecord;
}

/** Runs when a connected participant is about to leave, while it is still connected and publishing. */
export type LeaveHook = (region: RegionState, membership: Membership) => void;

/**
 * Sessions and participants of a stage: a session begins when the first participant joins and ends when the
 * last one leaves; publishing starts the participant's individual recording when the stage has automatic
 * participant recording; every step is written to the participant's event list as the service reports it.
 */
export class StageParticipation {
  private readonly leaveHooks: LeaveHook[] = [];

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly compositions: CompositionLifecycle,
  ) {}

  /**
   * Every way out (control API, ingest disconnect, DisconnectParticipant, DeleteStage, replication ending) goes
   * through `leave`, so what must follow a participant out (its replications) is hooked here once rather than at
   * each call site, where one was bound to be forgotten.
   */
  onLeave(hook: LeaveHook): void {
    this.leaveHooks.push(hook);
  }

  connectedCount(stage: StageRecord | undefined): number {
    const session = stage?.activeSessionId ? stage.sessions.get(stage.activeSessionId) : undefined;
    if (!session) return 0;
    let n = 0;
    for (const p of session.participants.values()) if (p.state === 'CONNECTED') n++;
    return n;
  }

  join(region: RegionState, stage: StageRecord, request: JoinRequest): Membership {
    if (stage.revokedParticipantIds.has(request.participantId)) {
      throw accessDenied(
        `Participant ${request.participantId} was disconnected from the stage and its token can no longer join`,
      );
    }
    const now = this.ctx.clock.now();
    let session = stage.activeSessionId ? stage.sessions.get(stage.activeSessionId) : undefined;
    if (!session) {
      session = { seq: region.seq(), sessionId: newSessionId(), startTime: now, participants: new Map() };
      stage.sessions.set(session.sessionId, session);
      stage.activeSessionId = session.sessionId;
    }
    let participant = session.participants.get(request.participantId);
    if (participant?.state === 'CONNECTED') {
      throw conflict(`Participant ${request.participantId} is already connected to the stage`);
    }
    if (!participant) {
      participant = {
        seq: region.seq(),
        participantId: request.participantId,
        userId: request.userId,
        attributes: request.attributes,
        capabilities: request.capabilities,
        state: 'CONNECTED',
        firstJoinTime: now,
        published: false,
        publishing: false,
        protocol: request.protocol,
        recordingState: 'DISABLED',
        replicationType: request.replication ? 'REPLICA' : 'NONE',
        replicationState: request.replication ? 'ACTIVE' : undefined,
        sourceStageArn: request.replication?.sourceStageArn,
        sourceSessionId: request.replication?.sourceSessionId,
        ingestConfigurationArn: request.ingestConfigurationArn,
        redundantIngest: request.ingestConfigurationArn ? (request.redundantIngest ?? false) : undefined,
        client: request.client ?? {},
        events: [],
      };
      session.participants.set(participant.participantId, participant);
    }
    participant.state = 'CONNECTED';
    participant.protocol = request.protocol;
    this.record(participant, { name: 'JOINED', replica: request.replication ? true : undefined });
    this.compositions.occupancyChanged(region, stage.arn);
    return { stage, session, participant };
  }

  publish(region: RegionState, membership: Membership): void {
    const { stage, session, participant } = membership;
    if (participant.state !== 'CONNECTED') throw conflict(`Participant ${participant.participantId} is not connected`);
    if (participant.publishing) return;
    if (!participant.capabilities.publish) {
      this.publishError(region, membership, 'INSUFFICIENT_CAPABILITIES');
      throw accessDenied(`Participant ${participant.participantId} has no PUBLISH capability`);
    }
    const { publishersPerStage, concurrentPublishersPerRegion } = this.ctx.config.quotas;
    const publishers = [...session.participants.values()].filter((p) => p.publishing && p.state === 'CONNECTED').length;
    // Name the limit that was hit: raising the per-stage quota does not help when the region is full.
    const exceeded =
      publishers >= publishersPerStage
        ? `Stage ${stage.arn} already has the maximum of ${publishersPerStage} publishers (publishersPerStage)`
        : this.regionPublishers(region) >= concurrentPublishersPerRegion
          ? `Account ${region.accountId} already has the maximum of ${concurrentPublishersPerRegion} concurrent publishers in ${region.region} (concurrentPublishersPerRegion)`
          : undefined;
    if (exceeded) {
      this.publishError(region, membership, 'QUOTA_EXCEEDED');
      throw quotaExceeded(exceeded);
    }
    participant.published = true;
    participant.publishing = true;
    this.record(participant, {
      name: 'PUBLISH_STARTED',
      replica: participant.replicationType === 'REPLICA' ? true : undefined,
    });
    this.ctx.events.stageUpdate(region, stage, session.sessionId, participant, 'Participant Published');
    this.scheduleRecording(region, membership);
  }

  unpublish(region: RegionState, membership: Membership): void {
    const { stage, session, participant } = membership;
    if (!participant.publishing) return;
    participant.publishing = false;
    this.cancelPendingRecording(participant);
    this.record(participant, { name: 'PUBLISH_STOPPED' });
    this.ctx.events.stageUpdate(region, stage, session.sessionId, participant, 'Participant Unpublished');
    participant.recorder?.mediaStopped();
  }

  /** The participant leaves; `endRecordingNow` skips the reconnect window (stage deleted, participant disconnected). */
  leave(region: RegionState, membership: Membership, endRecordingNow = false): void {
    const { stage, session, participant } = membership;
    if (participant.state !== 'CONNECTED') return;
    for (const hook of this.leaveHooks) hook(region, membership);
    // A hook may have made it leave already (a replication ending takes its replica out).
    if (participant.state !== 'CONNECTED') return;
    this.unpublish(region, membership);
    if (endRecordingNow && participant.recorder) void participant.recorder.end();
    participant.state = 'DISCONNECTED';
    this.record(participant, { name: 'LEFT' });
    const anyoneLeft = [...session.participants.values()].some((p) => p.state === 'CONNECTED');
    if (!anyoneLeft && stage.activeSessionId === session.sessionId) {
      session.endTime = this.ctx.clock.now();
      stage.activeSessionId = undefined;
    }
    this.compositions.occupancyChanged(region, stage.arn);
  }

  /**
   * A participant of the stage whose individual recording has not ended (recording, waiting out the minimum publish
   * length, or inside its reconnect window), if any: while there is one, recording is active.
   */
  recordedParticipant(stage: StageRecord): string | undefined {
    for (const session of stage.sessions.values()) {
      for (const p of session.participants.values()) if (p.recorder || p.pendingRecording) return p.participantId;
    }
    return undefined;
  }

  /** The connected participant with this ID in the stage's active session. */
  findConnected(stage: StageRecord, participantId: string): Membership | undefined {
    const session = stage.activeSessionId ? stage.sessions.get(stage.activeSessionId) : undefined;
    const participant = session?.participants.get(participantId);
    if (!session || !participant || participant.state !== 'CONNECTED') return undefined;
    return { stage, session, participant };
  }

  connectedMembers(stage: StageRecord): Membership[] {
    const session = stage.activeSessionId ? stage.sessions.get(stage.activeSessionId) : undefined;
    if (!session) return [];
    return [...session.participants.values()]
      .filter((p) => p.state === 'CONNECTED')
      .map((participant) => ({ stage, session, participant }));
  }

  recordEvent(
    participant: ParticipantRecord,
    event: Omit<ParticipantEventRecord, 'participantId' | 'eventTime'>,
  ): void {
    this.record(participant, event);
  }

  private record(participant: ParticipantRecord, event: { name: EventName } & Partial<ParticipantEventRecord>): void {
    participant.events.push({ ...event, participantId: participant.participantId, eventTime: this.ctx.clock.now() });
  }

  private publishError(region: RegionState, { stage, session, participant }: Membership, code: EventErrorCode): void {
    this.record(participant, { name: 'PUBLISH_ERROR', errorCode: code });
    this.ctx.events.stageUpdate(region, stage, session.sessionId, participant, 'Participant Publish Error', code);
  }

  private regionPublishers(region: RegionState): number {
    let n = 0;
    for (const stage of region.stages.values()) {
      for (const m of this.connectedMembers(stage)) if (m.participant.publishing) n++;
    }
    return n;
  }

  /** Cancels a recording that was waiting for `minimumRecordedPublishMs`: the publish was too short to record. */
  cancelPendingRecording(participant: ParticipantRecord): void {
    participant.pendingRecording?.cancel();
    participant.pendingRecording = undefined;
  }

  /**
   * Publishes shorter than `minimumRecordedPublishMs` are not recorded, so a new recording only materialises once
   * the publisher has kept publishing that long; it is then dated from the publish start (prefix, first segment,
   * recording-started.json) as if it had been written all along, and its Recording Start event comes at that point.
   * With the default 0 it starts at once, as before.
   */
  private scheduleRecording(region: RegionState, membership: Membership): void {
    const { participant } = membership;
    if (participant.recorder) {
      // Back within the reconnect window: the same recording continues.
      participant.recorder.mediaStarted();
      return;
    }
    const publishedAt = this.ctx.clock.now();
    const minimumMs = this.ctx.config.timings.minimumRecordedPublishMs;
    if (!(minimumMs > 0)) {
      this.startRecording(region, membership, publishedAt);
      return;
    }
    this.cancelPendingRecording(participant);
    const deadline = publishedAt + minimumMs;
    const arm = (): void => {
      participant.pendingRecording = this.ctx.clock.setTimer(deadline - this.ctx.clock.now(), () => {
        participant.pendingRecording = undefined;
        if (participant.state !== 'CONNECTED' || !participant.publishing || participant.recorder) return;
        // Scaled real timers can fire a little early: wait out the rest of the minimum on the emulated clock.
        if (this.ctx.clock.now() < deadline) arm();
        else this.startRecording(region, membership, publishedAt);
      });
    };
    arm();
  }

  private startRecording(region: RegionState, membership: Membership, publishedAt: number): void {
    const { stage, session, participant } = membership;
    const settings = stage.autoParticipantRecordingConfiguration;
    if (!settings?.storageConfigurationArn) return;
    if (participant.replicationType === 'REPLICA' && settings.recordParticipantReplicas === false) return;
    const storage = region.storageConfigurations.get(settings.storageConfigurationArn);
    const stageId = stage.arn.slice(stage.arn.lastIndexOf('/') + 1);
    participant.recordingS3BucketName = storage?.s3.bucketName;
    participant.recordingS3Prefix = participantRecordingPrefix(
      stageId,
      session.sessionId,
      participant.participantId,
      publishedAt,
    );
    participant.recordingState = 'STARTING';
    const recordings = this.ctx.recordings;
    if (!storage || !recordings) {
      participant.recordingState = 'FAILED';
      const reason = !storage
        ? `Storage configuration ${settings.storageConfigurationArn} does not exist`
        : 'The emulator runs without an S3 server, so recordings cannot be written';
      this.ctx.events.recording(region, stage, session.sessionId, participant, 'Recording Start Failure', reason);
      return;
    }
    let reachedActive = false;
    const thumbnails = settings.thumbnailConfiguration;
    participant.recorder = recordings.participant(
      {
        bucket: storage.s3.bucketName,
        prefix: participant.recordingS3Prefix,
        stageArn: stage.arn,
        sessionId: session.sessionId,
        participantId: participant.participantId,
        mediaType: settings.mediaTypes?.[0] ?? 'AUDIO_VIDEO',
        segmentDurationSeconds: settings.hlsConfiguration?.targetSegmentDurationSeconds ?? 6,
        thumbnails: {
          recordingMode: thumbnails?.recordingMode ?? 'DISABLED',
          targetIntervalSeconds: thumbnails?.targetIntervalSeconds ?? 60,
          storage: thumbnails?.storage ?? ['SEQUENTIAL'],
        },
        reconnectWindowSeconds: settings.recordingReconnectWindowSeconds ?? 0,
        startedAtMs: publishedAt,
      },
      {
        onState: (state, message) => {
          participant.recordingState = state;
          if (state === 'ACTIVE' && !reachedActive) {
            reachedActive = true;
            this.ctx.events.recording(region, stage, session.sessionId, participant, 'Recording Start');
          } else if (state === 'STOPPED') {
            participant.recorder = undefined;
            this.ctx.events.recording(region, stage, session.sessionId, participant, 'Recording End');
          } else if (state === 'FAILED') {
            participant.recorder = undefined;
            this.ctx.events.recording(
              region,
              stage,
              session.sessionId,
              participant,
              reachedActive ? 'Recording End Failure' : 'Recording Start Failure',
              message,
            );
          }
        },
      },
    );
    participant.recorder.mediaStarted(publishedAt);
  }
}
