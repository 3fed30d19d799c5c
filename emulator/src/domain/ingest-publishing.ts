import { conflict, notFound, validationError } from '../errors/api-error';
import type { RegionState, StateStore } from '../state/region-state';
import type { IngestConfigurationRecord } from '../state/records';
import type { StageParticipation } from './stage-participation';

export interface IngestLocation {
  region: RegionState;
  config: IngestConfigurationRecord;
}

/**
 * RTMP(S) publishers of ingest configurations. A publisher connecting with a stream key joins the attached
 * stage as the configuration's participant and publishes at once; the configuration is ACTIVE while it
 * streams.
 */
export class IngestPublishing {
  constructor(
    private readonly store: StateStore,
    private readonly participation: StageParticipation,
  ) {}

  findByStreamKey(streamKey: string): IngestLocation | undefined {
    for (const region of this.store.all()) {
      for (const config of region.ingestConfigurations.values()) {
        if (config.streamKey === streamKey) return { region, config };
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
    const { region, config } = found;
    if (config.ingestProtocol === 'RTMPS' && protocol === 'RTMP') {
      throw validationError(`Ingest configuration ${config.arn} accepts RTMPS only (INVALID_PROTOCOL)`);
    }
    if (config.state === 'ACTIVE')
      throw conflict(`Ingest configuration ${config.arn} already has a publisher (REUSE_OF_STREAM_KEY)`);
    if (!config.stageArn) throw conflict(`Ingest configuration ${config.arn} is not attached to a stage`);
    const stage = region.stages.get(config.stageArn);
    if (!stage) throw notFound(`Stage ${config.stageArn} does not exist`);
    const membership = this.participation.join(region, stage, {
      participantId: config.participantId,
      userId: config.userId,
      attributes: config.attributes,
      capabilities: { publish: true, subscribe: false },
      protocol,
      ingestConfigurationArn: config.arn,
    });
    config.state = 'ACTIVE';
    try {
      this.participation.publish(region, membership);
    } catch (e) {
      this.participation.leave(region, membership);
      config.state = 'INACTIVE';
      throw e;
    }
    return { region, config, participantId: config.participantId, sessionId: membership.session.sessionId };
  }

  /** The publisher goes away (or is pushed out): the configuration becomes INACTIVE. */
  disconnect(region: RegionState, config: IngestConfigurationRecord, endRecordingNow = false): void {
    if (config.state !== 'ACTIVE') return;
    config.state = 'INACTIVE';
    const stage = config.stageArn ? region.stages.get(config.stageArn) : undefined;
    const membership = stage && this.participation.findConnected(stage, config.participantId);
    if (membership) this.participation.leave(region, membership, endRecordingNow);
  }
}
