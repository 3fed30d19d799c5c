import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { STAGE_ARN } from '../../contracts/search-attributes';
import { tagsKeeping } from '../../contracts/tags';
import { ENCODER_PRESETS } from '../../show-spec/encoder-presets';
import type { StorageRef } from '../../show-spec/show-spec';
import { ivsWithSummary } from '../activity-proxies';
import { audienceOn, ensureAudienceKey } from './audience';
import { countOf } from './count-of';
import { participantRecordingOf } from './plan';
import type { Show } from './show';
import { createUncut, ingestConfigurationNameOf, removeDuplicates, retrySafeResources } from './sweep';
import { preparedTokenRequests } from './tokens';

/**
 * Shows started before issue 15 look up the encoder configuration, then create the stage; newer ones do both at once.
 */
const PREPARE_IN_PARALLEL = 'prepare-in-parallel';

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
 * participant tokens and the ingest configuration. Every step is retry-safe (see the activities); every create
 * runs uncut by a cancellation and is recorded before the cancellation takes effect (sweep.ts).
 */
async function prepare(show: Show): Promise<void> {
  const { spec, state, identity } = show;
  show.setPhase('PREPARING');
  state.prepareStarted = true;
  const recording = spec.individualRecording?.enabled ? spec.individualRecording : undefined;
  const composition = spec.composition?.enabled ? spec.composition : undefined;
  const ensureEncoder = async () => {
    if (!composition) return;
    if ('arn' in composition.encoder) state.encoderConfigurationArn = composition.encoder.arn;
    else {
      const preset = composition.encoder.preset;
      await createUncut(
        () =>
          ivsWithSummary(`Find or create the ${preset} encoder configuration`).ensureEncoderConfiguration({
            ...show.scope(),
            preset,
            video: { ...ENCODER_PRESETS[preset] },
          }),
        (ensured) => {
          if (ensured.created) state.made.push({ kind: 'encoder-configuration', arn: ensured.arn, shared: true });
          state.encoderConfigurationArn = ensured.arn;
        },
      );
    }
  };
  const ensureStorages = async () => {
    if (recording) state.participantStorage = await ensureStorage(show, recording.storage);
    // After the participants' storage: both may name the same bucket, and the second look must find the first.
    if (composition?.recording) state.compositeStorage = await ensureStorage(show, composition.recording);
  };
  const ensureStage = () =>
    createUncut(
      () =>
        ivsWithSummary('Create the stage (or find the one this show made)').ensureStage({
          ...show.scope(),
          identity,
          name: `show-${spec.id}`,
          tags: tagsKeeping(spec.tags, spec.policies.keep.stage),
          recording:
            recording && state.participantStorage
              ? participantRecordingOf(recording, state.participantStorage.arn)
              : undefined,
        }),
      (made) => {
        state.stageArn = made.stageArn;
        state.stageId = made.stageId;
        state.made.push({ kind: 'stage', arn: made.stageArn });
      },
    );
  if (!patched(PREPARE_IN_PARALLEL)) {
    if (recording) state.participantStorage = await ensureStorage(show, recording.storage);
    await ensureEncoder();
    if (composition?.recording) state.compositeStorage = await ensureStorage(show, composition.recording);
    await ensureStage();
  } else {
    // The encoder configuration is independent of the stage (StartComposition names both; CreateStage takes
    // neither), so its look-up runs alongside the stage's creation. The storage configurations stay before the
    // stage: a bad bucket fails preparation before anything is made, and a participant-recording stage names its
    // storage configuration at creation (CreateStage's autoParticipantRecordingConfiguration). Both branches are
    // settled before a failure propagates, so a stage still being created is recorded for tidy-up.
    await settleAll([
      ensureEncoder(),
      (async () => {
        await ensureStorages();
        await ensureStage();
      })(),
    ]);
  }
  const stageArn = state.stageArn!;
  upsertSearchAttributes([{ key: STAGE_ARN, value: stageArn }]);
  const issueTokens = async () => {
    state.tokens = await ivsWithSummary(
      `Issue ${countOf(spec.participants.length, 'participant token')}`,
    ).issueParticipantTokens({
      ...show.scope(),
      stageArn,
      participants: preparedTokenRequests(spec),
    });
  };
  const ensureIngest = async () => {
    if (!spec.ingest?.enabled) return;
    await createUncut(
      () =>
        ivsWithSummary('Create the ingest configuration').ensureIngestConfiguration({
          ...show.scope(),
          identity,
          stageArn,
          name: ingestConfigurationNameOf(spec.id),
          protocol: spec.ingest!.protocol,
          insecureIngest: spec.ingest!.protocol === 'RTMP',
          userId: spec.ingest!.userId,
          attributes: spec.ingest!.attributes,
          tags: tagsKeeping(spec.tags, spec.policies.keep.ingestConfiguration),
        }),
      (ingest) => {
        state.ingestConfigurationArn = ingest.ingestConfigurationArn;
        state.made.push({ kind: 'ingest-configuration', arn: ingest.ingestConfigurationArn });
      },
    );
  };
  if (!retrySafeResources()) {
    await issueTokens();
    await ensureIngest();
  } else {
    // Tokens need only the stage; the ingest configuration and the look for duplicates run alongside them. Both
    // branches are awaited before a failure propagates: an ingest create still in flight must be recorded.
    await settleAll([
      issueTokens(),
      (async () => {
        await ensureIngest();
        if (audienceOn(show)) await ensureAudienceKey(show);
        await removeDuplicates(show);
      })(),
    ]);
  }
  state.timings.preparedAt = show.iso();
}

/** Waits for every promise, then throws the first failure (Promise.all would leave the others running unwatched). */
export async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(promises);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
}

/** The shared storage configuration for a bucket (made if missing), or an existing one's bucket. */
async function ensureStorage(show: Show, ref: StorageRef): Promise<{ arn: string; bucket: string }> {
  const ensured = await createUncut(
    () =>
      ivsWithSummary('Find or create the shared storage configuration').ensureStorageConfiguration({
        ...show.scope(),
        ...ref,
      }),
    (made) => {
      if (made.created) show.state.made.push({ kind: 'storage-configuration', arn: made.arn, shared: true });
    },
  );
  return { arn: ensured.arn, bucket: ensured.bucket };
}
