import type { Clock } from '../clock';
import type { EmulatorConfig } from '../config';
import type { RecordingWriterFactory } from '../recording/types';
import type { RegionState, StateStore } from '../state/region-state';
import type { CompositionRecord, DestinationRecord, ParticipantRecord, StageRecord } from '../state/records';
import type { ParticipantTokenService } from './participant-tokens';
import type { CompositionEventName } from '../events/composition-state-change';
import type { ParticipantRecordingEventName as RecordingEventName } from '../events/participant-recording-state-change';
import type { StageUpdateEventName } from '../events/stage-update';

/** What the state machines announce; turned into EventBridge-shaped events for subscribers. */
export interface DomainEvents {
  composition(
    region: RegionState,
    composition: CompositionRecord,
    eventName: CompositionEventName,
    destination?: DestinationRecord,
    reason?: string,
  ): void;
  recording(
    region: RegionState,
    stage: StageRecord,
    sessionId: string,
    participant: ParticipantRecord,
    eventName: RecordingEventName,
    reason?: string,
  ): void;
  stageUpdate(
    region: RegionState,
    stage: StageRecord,
    sessionId: string,
    participant: ParticipantRecord,
    eventName: StageUpdateEventName,
    errorCode?: string,
  ): void;
}

export interface EmulatorContext {
  config: EmulatorConfig;
  clock: Clock;
  store: StateStore;
  tokens: ParticipantTokenService;
  /** Absent when no S3 server is configured: recordings are then not written. */
  recordings?: RecordingWriterFactory;
  events: DomainEvents;
  log: (message: string) => void;
}
