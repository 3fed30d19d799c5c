import type { RegionState } from '../state/region-state';
import type { StageRecord } from '../state/records';
import { CompositionLifecycle } from './composition-lifecycle';
import { CompositionStarts } from './composition-starts';
import type { EmulatorContext } from './emulator-context';
import { IngestPublishing } from './ingest-publishing';
import { ParticipantReplication } from './participant-replication';
import { StageParticipation } from './stage-participation';

/** The service's behaviour, wired together: operations and the simulation API both act through it. */
export class IvsDomain {
  readonly compositions: CompositionLifecycle;
  readonly compositionStarts: CompositionStarts;
  readonly participation: StageParticipation;
  readonly ingest: IngestPublishing;
  readonly replication: ParticipantReplication;

  constructor(readonly ctx: EmulatorContext) {
    this.compositions = new CompositionLifecycle(ctx, (region, stageArn) =>
      this.participation.connectedCount(region.stages.get(stageArn)),
    );
    this.compositionStarts = new CompositionStarts(ctx, this.compositions);
    this.participation = new StageParticipation(ctx, this.compositions);
    this.ingest = new IngestPublishing(ctx.store, this.participation);
    this.replication = new ParticipantReplication(this.participation);
    // A participant leaving either side of a replication ends it, however it leaves.
    this.participation.onLeave((region, { stage, participant }) =>
      this.replication.endInvolving(region, stage.arn, participant.participantId),
    );
  }

  /**
   * DeleteStage: disconnects everybody (recordings end now), stops the stage's compositions, ends replication
   * and detaches the ingest configurations that pointed at it.
   */
  deleteStage(region: RegionState, stage: StageRecord): void {
    this.replication.endInvolving(region, stage.arn);
    for (const composition of region.compositions.values()) {
      if (composition.stageArn === stage.arn) this.compositions.stop(region, composition);
    }
    // "This operation also removes the stageArn from the associated IngestConfiguration, if there are participants
    // using the IngestConfiguration to publish to the stage": only configurations that publish now are detached.
    for (const config of region.ingestConfigurations.values()) {
      if (config.stageArn !== stage.arn || config.state !== 'ACTIVE') continue;
      this.ingest.disconnect(region, config, true);
      config.stageArn = '';
    }
    for (const member of this.participation.connectedMembers(stage)) this.participation.leave(region, member, true);
    region.stages.delete(stage.arn);
  }

  /** Forgets everything: cancels timers and ends recordings without waiting for them. */
  reset(): void {
    for (const region of this.ctx.store.all()) {
      for (const composition of region.compositions.values()) {
        this.compositions.dispose(composition);
        for (const d of composition.destinations) if (d.recorder) void d.recorder.end();
      }
      for (const stage of region.stages.values()) {
        for (const member of this.participation.connectedMembers(stage)) {
          this.participation.cancelPendingRecording(member.participant);
          if (member.participant.recorder) void member.participant.recorder.end();
        }
      }
    }
    this.compositions.busyChannels.clear();
    this.replication.clear();
    this.ctx.store.clear();
  }
}
