import { conflict, notFound, validationError } from '../errors/api-error';
import type { RegionState } from '../state/region-state';
import type { StageRecord } from '../state/records';
import type { StageParticipation } from './stage-participation';

export interface ReplicaRecord {
  seq: number;
  sourceStageArn: string;
  participantId: string;
  sourceSessionId: string;
  destinationStageArn: string;
  destinationSessionId: string;
  replicationState: 'ACTIVE' | 'STOPPED';
}

/**
 * Participant replication: a publishing participant of one stage appears as a REPLICA participant (same
 * participant ID) in another stage of the same account and region, until replication stops or the source
 * leaves.
 */
export class ParticipantReplication {
  private readonly replicas = new Map<string, ReplicaRecord[]>();

  constructor(private readonly participation: StageParticipation) {}

  start(
    region: RegionState,
    source: StageRecord,
    destination: StageRecord,
    participantId: string,
    attributes: Record<string, string> | undefined,
  ): ReplicaRecord {
    if (source.arn === destination.arn)
      throw validationError('sourceStageArn and destinationStageArn must be different stages');
    const member = this.participation.findConnected(source, participantId);
    if (!member) throw notFound(`Participant ${participantId} is not connected to stage ${source.arn}`);
    if (!member.participant.publishing) throw conflict(`Participant ${participantId} is not publishing`);
    const key = this.key(source.arn, participantId);
    const existing = (this.replicas.get(key) ?? []).find(
      (r) => r.destinationStageArn === destination.arn && r.replicationState === 'ACTIVE',
    );
    if (existing) throw conflict(`Participant ${participantId} is already replicated to ${destination.arn}`);
    const replica = this.participation.join(region, destination, {
      participantId,
      userId: member.participant.userId,
      attributes: { ...member.participant.attributes, ...(attributes ?? {}) },
      capabilities: { publish: true, subscribe: false },
      protocol: member.participant.protocol,
      replication: { sourceStageArn: source.arn, sourceSessionId: member.session.sessionId },
    });
    try {
      this.participation.publish(region, replica);
    } catch (e) {
      // The destination refused the publish (quota): no half-made replica stays behind.
      replica.participant.replicationState = 'STOPPED';
      this.participation.leave(region, replica);
      throw e;
    }
    member.participant.replicationType = 'SOURCE';
    member.participant.replicationState = 'ACTIVE';
    const record: ReplicaRecord = {
      seq: region.seq(),
      sourceStageArn: source.arn,
      participantId,
      sourceSessionId: member.session.sessionId,
      destinationStageArn: destination.arn,
      destinationSessionId: replica.session.sessionId,
      replicationState: 'ACTIVE',
    };
    this.replicas.set(key, [...(this.replicas.get(key) ?? []), record]);
    this.participation.recordEvent(member.participant, {
      name: 'REPLICATION_STARTED',
      destinationStageArn: destination.arn,
      destinationSessionId: replica.session.sessionId,
    });
    return record;
  }

  stop(region: RegionState, sourceStageArn: string, destinationStageArn: string, participantId: string): void {
    const record = (this.replicas.get(this.key(sourceStageArn, participantId)) ?? []).find(
      (r) => r.destinationStageArn === destinationStageArn && r.replicationState === 'ACTIVE',
    );
    if (!record)
      throw notFound(`Participant ${participantId} is not replicated from ${sourceStageArn} to ${destinationStageArn}`);
    this.end(region, record);
  }

  /** Active replicas of a participant, for ListParticipantReplicas. */
  list(sourceStageArn: string, participantId: string): ReplicaRecord[] {
    return (this.replicas.get(this.key(sourceStageArn, participantId)) ?? []).filter(
      (r) => r.replicationState === 'ACTIVE',
    );
  }

  /**
   * Ends every replication from or to a stage (stage deleted) or of a participant that left either side: the source,
   * or its replica (disconnected from the destination), which would otherwise stay listed as ACTIVE.
   */
  endInvolving(region: RegionState, stageArn: string, participantId?: string): void {
    for (const records of this.replicas.values()) {
      for (const r of records) {
        if (r.replicationState !== 'ACTIVE') continue;
        const matches =
          participantId === undefined
            ? r.sourceStageArn === stageArn || r.destinationStageArn === stageArn
            : (r.sourceStageArn === stageArn || r.destinationStageArn === stageArn) &&
              r.participantId === participantId;
        if (matches) this.end(region, r);
      }
    }
  }

  clear(): void {
    this.replicas.clear();
  }

  private end(region: RegionState, record: ReplicaRecord): void {
    record.replicationState = 'STOPPED';
    const destination = region.stages.get(record.destinationStageArn);
    const replica = destination && this.participation.findConnected(destination, record.participantId);
    if (replica) {
      replica.participant.replicationState = 'STOPPED';
      this.participation.leave(region, replica);
    }
    const source = region.stages.get(record.sourceStageArn);
    const member = source && this.participation.findConnected(source, record.participantId);
    if (member) {
      this.participation.recordEvent(member.participant, {
        name: 'REPLICATION_STOPPED',
        destinationStageArn: record.destinationStageArn,
        destinationSessionId: record.destinationSessionId,
      });
      if (this.list(record.sourceStageArn, record.participantId).length === 0)
        member.participant.replicationState = 'STOPPED';
    }
  }

  private key(stageArn: string, participantId: string): string {
    return `${stageArn}|${participantId}`;
  }
}
