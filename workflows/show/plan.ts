import type { StartCompositionInput } from '../../contracts/composition';
import { recordingsIndexKey, type RecordingsIndexInput } from '../../contracts/recordings';
import type { EnsureStageInput } from '../../contracts/stage';
import type { CompositionSpec, IndividualRecordingSpec, ShowSpec } from '../../show-spec/show-spec';
import type { ShowState } from './state';

type LayoutConfiguration = StartCompositionInput['layout'];
type DestinationConfiguration = StartCompositionInput['destinations'][number];
type AutoParticipantRecordingConfiguration = NonNullable<EnsureStageInput['recording']>;

/**
 * Pure translations of a show spec into IVS request shapes. Kept free of I/O so workflow code can use them
 * deterministically (request shapes are the activities' input types).
 */
export function layoutOf(composition: CompositionSpec): LayoutConfiguration {
  const { type, ...options } = composition.layout;
  return type === 'pip' ? { pip: options } : { grid: options };
}

export function destinationsOf(
  composition: CompositionSpec,
  arns: { encoder: string; storage?: string },
): DestinationConfiguration[] {
  const destinations: DestinationConfiguration[] = [];
  if (composition.channelArn)
    destinations.push({
      name: 'channel',
      channel: { channelArn: composition.channelArn, encoderConfigurationArn: arns.encoder },
    });
  if (composition.recording && arns.storage) {
    destinations.push({
      name: 'recording',
      s3: {
        storageConfigurationArn: arns.storage,
        encoderConfigurationArns: [arns.encoder],
        recordingConfiguration: {
          format: 'HLS',
          hlsConfiguration: { targetSegmentDurationSeconds: composition.recording.hlsSegmentSeconds },
        },
        thumbnailConfigurations: composition.recording.thumbnails
          ? [
              {
                targetIntervalSeconds: composition.recording.thumbnails.intervalSeconds,
                storage: composition.recording.thumbnails.storage,
              },
            ]
          : [],
      },
    });
  }
  return destinations;
}

export function participantRecordingOf(
  recording: IndividualRecordingSpec,
  storageConfigurationArn: string,
): AutoParticipantRecordingConfiguration {
  return {
    storageConfigurationArn,
    mediaTypes: [recording.mediaType],
    hlsConfiguration: { targetSegmentDurationSeconds: recording.hlsSegmentSeconds },
    thumbnailConfiguration: recording.thumbnails
      ? {
          recordingMode: 'INTERVAL',
          targetIntervalSeconds: recording.thumbnails.intervalSeconds,
          storage: recording.thumbnails.storage,
        }
      : { recordingMode: 'DISABLED' },
    recordingReconnectWindowSeconds: recording.reconnectWindowSeconds,
  };
}

/** Planned start and end, in epoch ms, from the schedule and the time the workflow started. */
export function plannedWindow(spec: ShowSpec, workflowStartedAt: number): { startAt: number; endAt: number } {
  const startAt = spec.schedule.start ? Date.parse(spec.schedule.start) : workflowStartedAt;
  const endAt = spec.schedule.end ? Date.parse(spec.schedule.end) : startAt + (spec.schedule.duration ?? 0);
  return { startAt, endAt };
}

/**
 * What to index at the end: every composite recording and the participant recordings, written next to the
 * participant recordings (or the first composite's bucket). Nothing when the show recorded nothing, made no stage,
 * or its policy says not to.
 */
export function recordingsIndexInput(spec: ShowSpec, state: ShowState): RecordingsIndexInput | undefined {
  const composites = state.compositions
    .flatMap((run) =>
      run.destinations
        .filter((d) => d.recordingPrefix)
        .map((d) => ({ compositionArn: run.arn, bucket: run.recordingBucket!, prefix: d.recordingPrefix! })),
    )
    .filter((c) => c.bucket);
  const bucket = state.participantStorage?.bucket ?? composites[0]?.bucket;
  if (!spec.policies.keep.recordingsIndex || !state.stageArn || !bucket) return undefined;
  return {
    stageArn: state.stageArn,
    account: spec.account,
    participantRecordingBucket: state.participantStorage?.bucket,
    composites,
    indexLocation: { bucket, key: recordingsIndexKey(state.stageId!) },
    settleTimeoutMs: spec.policies.recordingsSettleTimeout,
  };
}
