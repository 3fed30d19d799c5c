import { conflict, notFound, validationError } from '../errors/api-error';
import { newParticipantId, randomId } from '../state/ids';
import type { RegionState, StateStore } from '../state/region-state';
import type { IngestConfigurationRecord, IngestCredential } from '../state/records';
import type { StageParticipation } from './stage-participation';

export interface IngestLocation {
  region: RegionState;
  config: IngestConfigurationRecord;
  /** The credential the stream key belongs to: the configuration's own, or one of its redundant ones. */
  credential: IngestCredential;
}

/** The service's stream key shape, `rt_<account>_<region>_<resource id>_<secret>` (the model's StreamKey pattern). */
export const newStreamKey = (region: RegionState, resourceId: string): string =>
  `rt_${region.accountId}_${region.region}_${resourceId}_${randomId(24)}`;

/**
 * IngestConfiguration.redundantIngestCredentials: "A list of redundant ingest credentials, present only when
 * redundantIngest is set to true", each a participant ID and a stream key. The model says no more; the emulator
 * issues one, for a second (backup) encoder.
 */
export const newRedundantCredentials = (region: RegionState, resourceId: string): IngestCredential[] => [
  { participantId: newParticipantId(), streamKey: newStreamKey(region, resourceId) },
];

/**
 * RTMP(S) publishers of ingest configurations. A publisher connecting with a stream key joins the attached stage as
 * that key's participant and publishes at once. With redundant ingest each credential is its own publisher and its
 * own participant (`redundantIngest: true`); the configuration is ACTIVE "if a publisher currently is publishing to
 * the stage", so while any of its publishers streams.
 */
export class IngestPublishing {
  constructor(
    private readonly store: StateStore,
    private readonly participation: StageParticipation,
  ) {
    // However a publisher's participant leaves (encoder gone, DisconnectParticipant, DeleteStage, force delete), its
    // configuration forgets it, so ACTIVE never outlives the last publisher.
    participation.onLeave((region, { participant }) => {
      const arn = participant.ingestConfigurationArn;
      const config = arn ? region.ingestConfigurations.get(arn) : undefined;
      if (!config) return;
      config.publishers.delete(participant.participantId);
      config.state = config.publishers.size > 0 ? 'ACTIVE' : 'INACTIVE';
    });
  }

  findByStreamKey(streamKey: string): IngestLocation | undefined {
    for (const region of this.store.all()) {
      for (const config of region.ingestConfigurations.values()) {
        const credential = credentialsOf(config).find((c) => c.streamKey === streamKey);
        if (credential) return { region, config, credential };
      }
    }
    return undefined;
  }

  connect(
    streamKey: string,
    protocol: 'RTMP' | 'RTMPS',
  ): IngestLocation & { participantId: string; sessionId: string } {
    const found = this.findByStreamKey(streamKey);
    // Never echo the stream key: it is a secret.
    if (!found) throw notFound('No ingest configuration has this stream key (INVALID_STREAM_KEY)');
    const { region, config, credential } = found;
    if (config.ingestProtocol === 'RTMPS' && protocol === 'RTMP') {
      throw validationError(`Ingest configuration ${config.arn} accepts RTMPS only (INVALID_PROTOCOL)`);
    }
    if (config.publishers.has(credential.participantId))
      throw conflict(`Ingest configuration ${config.arn} already has a publisher on this key (REUSE_OF_STREAM_KEY)`);
    if (!config.stageArn) throw conflict(`Ingest configuration ${config.arn} is not attached to a stage`);
    const stage = region.stages.get(config.stageArn);
    if (!stage) throw notFound(`Stage ${config.stageArn} does not exist`);
    const membership = this.participation.join(region, stage, {
      participantId: credential.participantId,
      userId: config.userId,
      attributes: config.attributes,
      capabilities: { publish: true, subscribe: false },
      protocol,
      ingestConfigurationArn: config.arn,
      redundantIngest: config.redundantIngest,
    });
    config.publishers.add(credential.participantId);
    config.state = 'ACTIVE';
    try {
      this.participation.publish(region, membership);
    } catch (e) {
      this.participation.leave(region, membership);
      throw e;
    }
    return { ...found, participantId: credential.participantId, sessionId: membership.session.sessionId };
  }

  /** One encoder goes away: its participant leaves; the configuration stays ACTIVE while another still publishes. */
  disconnectPublisher(region: RegionState, config: IngestConfigurationRecord, participantId: string): void {
    const stage = config.stageArn ? region.stages.get(config.stageArn) : undefined;
    const membership = stage && this.participation.findConnected(stage, participantId);
    if (membership) this.participation.leave(region, membership);
    else config.publishers.delete(participantId);
    config.state = config.publishers.size > 0 ? 'ACTIVE' : 'INACTIVE';
  }

  /** Every publisher of the configuration is pushed out: it becomes INACTIVE. */
  disconnect(region: RegionState, config: IngestConfigurationRecord, endRecordingNow = false): void {
    const stage = config.stageArn ? region.stages.get(config.stageArn) : undefined;
    for (const participantId of [...config.publishers]) {
      const membership = stage && this.participation.findConnected(stage, participantId);
      if (membership) this.participation.leave(region, membership, endRecordingNow);
    }
    config.publishers.clear();
    config.state = 'INACTIVE';
  }
}

/** The configuration's own credential first, then its redundant ones while redundant ingest is on. */
export function credentialsOf(config: IngestConfigurationRecord): IngestCredential[] {
  const own = { participantId: config.participantId, streamKey: config.streamKey };
  return config.redundantIngest ? [own, ...config.redundantCredentials] : [own];
}
