import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import { STAGE_ARN } from '../../contracts/search-attributes';
import { ENCODER_PRESETS } from '../../show-spec/encoder-presets';
import type { StorageRef } from '../../show-spec/show-spec';
import { ivsWithSummary } from '../activity-proxies';
import { participantRecordingOf, preparedTokenRequests } from './plan';
import type { Show } from './show';

/**
 * Waits for the show's slot (its start minus the lead time), then prepares it. False when the show was ended
 * before its slot came: nothing was made.
 */
export async function prepareWhenDue(show: Show): Promise<boolean> {
  const { spec, state } = show;
  show.setPhase('SCHEDULED');
  const prepareAt = state.startAt - spec.schedule.leadTime;
  if (prepareAt > show.now()) await condition(() => !!state.endRequested, prepareAt - show.now());
  if (state.endRequested) return false;
  await prepare(show);
  return true;
}

/**
 * Makes what the show needs before anyone joins: the shared storage and encoder configurations, the stage,
 * participant tokens and the ingest configuration. Every step is retry-safe (see the activities).
 */
async function prepare(show: Show): Promise<void> {
  const { spec, state, identity } = show;
  show.setPhase('PREPARING');
  const recording = spec.individualRecording?.enabled ? spec.individualRecording : undefined;
  if (recording) state.participantStorage = await ensureStorage(show, recording.storage);
  const composition = spec.composition?.enabled ? spec.composition : undefined;
  if (composition) {
    if ('arn' in composition.encoder) state.encoderConfigurationArn = composition.encoder.arn;
    else {
      const preset = composition.encoder.preset;
      const ensured = await ivsWithSummary(
        `Find or create the ${preset} encoder configuration`,
      ).ensureEncoderConfiguration({ ...show.scope(), preset, video: { ...ENCODER_PRESETS[preset] } });
      if (ensured.created) state.made.push({ kind: 'encoder-configuration', arn: ensured.arn, shared: true });
      state.encoderConfigurationArn = ensured.arn;
    }
    if (composition.recording) state.compositeStorage = await ensureStorage(show, composition.recording);
  }
  const stage = await ivsWithSummary('Create the stage (or find the one this show made)').ensureStage({
    ...show.scope(),
    identity,
    name: `show-${spec.id}`,
    tags: spec.tags,
    recording:
      recording && state.participantStorage
        ? participantRecordingOf(recording, state.participantStorage.arn)
        : undefined,
  });
  state.stageArn = stage.stageArn;
  state.stageId = stage.stageId;
  upsertSearchAttributes([{ key: STAGE_ARN, value: stage.stageArn }]);
  state.made.push({ kind: 'stage', arn: stage.stageArn });
  state.tokens = await ivsWithSummary(`Issue ${spec.participants.length} participant tokens`).issueParticipantTokens({
    ...show.scope(),
    stageArn: stage.stageArn,
    participants: preparedTokenRequests(spec),
  });
  if (spec.ingest?.enabled) {
    const ingest = await ivsWithSummary('Create the ingest configuration').ensureIngestConfiguration({
      ...show.scope(),
      identity,
      stageArn: stage.stageArn,
      name: `show-${spec.id}-ingest`,
      protocol: spec.ingest.protocol,
      insecureIngest: spec.ingest.protocol === 'RTMP',
      userId: spec.ingest.userId,
      attributes: spec.ingest.attributes,
      tags: spec.tags,
    });
    state.ingestConfigurationArn = ingest.ingestConfigurationArn;
    state.made.push({ kind: 'ingest-configuration', arn: ingest.ingestConfigurationArn });
  }
  state.timings.preparedAt = show.iso();
}

/** The shared storage configuration for a bucket (made if missing), or an existing one's bucket. */
async function ensureStorage(show: Show, ref: StorageRef): Promise<{ arn: string; bucket: string }> {
  const ensured = await ivsWithSummary('Find or create the shared storage configuration').ensureStorageConfiguration({
    ...show.scope(),
    ...ref,
  });
  if (ensured.created) show.state.made.push({ kind: 'storage-configuration', arn: ensured.arn, shared: true });
  return { arn: ensured.arn, bucket: ensured.bucket };
}
