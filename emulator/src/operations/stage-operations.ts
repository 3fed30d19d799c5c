import type {
  AutoParticipantRecordingConfiguration,
  CreateStageRequest,
  DeleteStageRequest,
  GetStageRequest,
  ListStagesRequest,
  Stage,
  UpdateStageRequest,
} from '@aws-sdk/client-ivs-realtime';
import { stageEndpoints } from '../domain/participant-tokens';
import { conflict, quotaExceeded, validationError } from '../errors/api-error';
import { buildArn } from '../state/arns';
import { newResourceId } from '../state/ids';
import { paginate } from '../state/pagination';
import type { RegionState } from '../state/region-state';
import type { StageRecord } from '../state/records';
import type { OperationHandler } from './operation-types';
import { issueParticipantToken } from './participant-token-operations';
import { checkAttributesSize, checkTags, requireStage } from './resource-lookup';

export function presentStage(stage: StageRecord): Stage {
  return {
    arn: stage.arn,
    name: stage.name,
    activeSessionId: stage.activeSessionId,
    tags: stage.tags,
    autoParticipantRecordingConfiguration: stage.autoParticipantRecordingConfiguration ?? {
      storageConfigurationArn: '',
      mediaTypes: ['AUDIO_VIDEO'],
      thumbnailConfiguration: { targetIntervalSeconds: 60, storage: ['SEQUENTIAL'], recordingMode: 'DISABLED' },
      recordingReconnectWindowSeconds: 0,
      hlsConfiguration: { targetSegmentDurationSeconds: 6 },
      recordParticipantReplicas: true,
    },
    endpoints: stageEndpoints(stage.id),
  };
}

/** Fills the documented defaults and checks the storage configuration exists. */
function recordingConfiguration(
  region: RegionState,
  input: AutoParticipantRecordingConfiguration | undefined,
): AutoParticipantRecordingConfiguration | undefined {
  if (!input) return undefined;
  const arn = input.storageConfigurationArn ?? '';
  if (arn !== '' && !region.storageConfigurations.has(arn)) {
    throw validationError(
      `Value '${arn}' at 'autoParticipantRecordingConfiguration.storageConfigurationArn' failed to satisfy constraint: Storage configuration must exist`,
    );
  }
  if (arn === '') return undefined;
  const thumbnails = input.thumbnailConfiguration;
  if (thumbnails?.targetIntervalSeconds !== undefined && thumbnails.recordingMode !== 'INTERVAL') {
    throw validationError(
      `Value '${thumbnails.targetIntervalSeconds}' at 'autoParticipantRecordingConfiguration.thumbnailConfiguration.targetIntervalSeconds' failed to satisfy constraint: targetIntervalSeconds is configurable only if recordingMode is INTERVAL`,
    );
  }
  return {
    storageConfigurationArn: arn,
    mediaTypes: input.mediaTypes?.length ? input.mediaTypes : ['AUDIO_VIDEO'],
    thumbnailConfiguration: {
      targetIntervalSeconds: input.thumbnailConfiguration?.targetIntervalSeconds ?? 60,
      storage: input.thumbnailConfiguration?.storage?.length ? input.thumbnailConfiguration.storage : ['SEQUENTIAL'],
      recordingMode: input.thumbnailConfiguration?.recordingMode ?? 'DISABLED',
    },
    recordingReconnectWindowSeconds: input.recordingReconnectWindowSeconds ?? 0,
    hlsConfiguration: { targetSegmentDurationSeconds: input.hlsConfiguration?.targetSegmentDurationSeconds ?? 6 },
    recordParticipantReplicas: input.recordParticipantReplicas ?? true,
  };
}

const createStage: OperationHandler<CreateStageRequest> = async (call, input) => {
  const { region } = call;
  checkTags(input.tags);
  (input.participantTokenConfigurations ?? []).forEach((c, i) =>
    checkAttributesSize(c.attributes, `participantTokenConfigurations.${i + 1}.member.attributes`),
  );
  const recording = recordingConfiguration(region, input.autoParticipantRecordingConfiguration);
  if (region.stages.size >= call.domain.ctx.config.quotas.stagesPerRegion) {
    throw quotaExceeded(
      `Stage quota exceeded: at most ${call.domain.ctx.config.quotas.stagesPerRegion} stages per account and region`,
    );
  }
  const id = newResourceId();
  const stage: StageRecord = {
    seq: region.seq(),
    arn: buildArn(region.region, region.accountId, 'stage', id),
    id,
    name: input.name ?? '',
    tags: input.tags ?? {},
    autoParticipantRecordingConfiguration: recording,
    sessions: new Map(),
    revokedParticipantIds: new Set(),
    createdAt: call.domain.ctx.clock.now(),
  };
  region.stages.set(stage.arn, stage);
  const participantTokens = [];
  for (const config of input.participantTokenConfigurations ?? [])
    participantTokens.push(await issueParticipantToken(call, stage.arn, config));
  return { stage: presentStage(stage), participantTokens };
};

const getStage: OperationHandler<GetStageRequest> = (call, input) => ({
  stage: presentStage(requireStage(call.region, input.arn!)),
});

const updateStage: OperationHandler<UpdateStageRequest> = (call, input) => {
  const stage = requireStage(call.region, input.arn!);
  // Checked before anything changes, so a refused update leaves the name alone too.
  const recording =
    input.autoParticipantRecordingConfiguration === undefined
      ? stage.autoParticipantRecordingConfiguration
      : recordingConfiguration(call.region, input.autoParticipantRecordingConfiguration);
  if (input.autoParticipantRecordingConfiguration !== undefined) {
    // "Note that this cannot be updated while recording is active." ConflictException is in UpdateStage's error list.
    const recorded = call.domain.participation.recordedParticipant(stage);
    if (recorded) {
      throw conflict(
        `autoParticipantRecordingConfiguration cannot be updated while recording is active (participant ${recorded} is being recorded)`,
      );
    }
  }
  if (input.name !== undefined) stage.name = input.name;
  stage.autoParticipantRecordingConfiguration = recording;
  return { stage: presentStage(stage) };
};

const deleteStage: OperationHandler<DeleteStageRequest> = (call, input) => {
  call.domain.deleteStage(call.region, requireStage(call.region, input.arn!));
  return {};
};

const listStages: OperationHandler<ListStagesRequest> = (call, input) => {
  const page = paginate(call.region.stages.values(), {
    owner: call.region,
    scope: 'ListStages',
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 50,
  });
  return {
    stages: page.items.map((s) => ({ arn: s.arn, name: s.name, activeSessionId: s.activeSessionId, tags: s.tags })),
    nextToken: page.nextToken,
  };
};

export const stageOperations = {
  CreateStage: createStage,
  GetStage: getStage,
  UpdateStage: updateStage,
  DeleteStage: deleteStage,
  ListStages: listStages,
};
