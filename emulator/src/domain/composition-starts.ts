import type {
  CompositionThumbnailConfiguration,
  DestinationConfiguration,
  LayoutConfiguration,
  StartCompositionRequest,
} from '@aws-sdk/client-ivs-realtime';
import { conflict, notFound, quotaExceeded, validationError } from '../errors/api-error';
import { buildArn } from '../state/arns';
import { newResourceId } from '../state/ids';
import type { RegionState } from '../state/region-state';
import type { CompositionRecord, DestinationRecord, StageRecord } from '../state/records';
import { compositeRecordingPrefix, isLiveComposition, type CompositionLifecycle } from './composition-lifecycle';
import type { EmulatorContext } from './emulator-context';

/** The documented defaults of each layout (GridConfiguration and PipConfiguration members' "Default:" sentences). */
export function withLayoutDefaults(layout: LayoutConfiguration | undefined): LayoutConfiguration {
  if (layout?.pip) {
    return {
      pip: {
        featuredParticipantAttribute: '',
        omitStoppedVideo: false,
        videoFillMode: 'COVER',
        gridGap: 0,
        pipParticipantAttribute: '',
        pipBehavior: 'STATIC',
        pipOffset: 0,
        pipPosition: 'BOTTOM_RIGHT',
        participantOrderAttribute: '',
        ...layout.pip,
      },
    };
  }
  // "Default: Grid layout". videoFillMode has no single default ("COVER for participants in the grid and CONTAIN for
  // featured participants when not set"), so an absent one stays absent.
  return {
    grid: {
      featuredParticipantAttribute: '',
      omitStoppedVideo: false,
      videoAspectRatio: 'VIDEO',
      gridGap: 2,
      participantOrderAttribute: '',
      ...layout?.grid,
    },
  };
}

/** CompositionThumbnailConfiguration: "targetIntervalSeconds ... Default: 60", "storage ... Default: SEQUENTIAL". */
const withThumbnailDefaults = (t: CompositionThumbnailConfiguration): CompositionThumbnailConfiguration => ({
  ...t,
  targetIntervalSeconds: t.targetIntervalSeconds ?? 60,
  storage: t.storage?.length ? t.storage : ['SEQUENTIAL'],
});

/** S3 destinations: recording format HLS with 2 s segments ("Default: 2"), thumbnail defaults per entry. */
export function withDestinationDefaults(config: DestinationConfiguration): DestinationConfiguration {
  if (!config.s3) return config;
  return {
    ...config,
    s3: {
      ...config.s3,
      recordingConfiguration: {
        format: 'HLS',
        ...config.s3.recordingConfiguration,
        hlsConfiguration: { targetSegmentDurationSeconds: 2, ...config.s3.recordingConfiguration?.hlsConfiguration },
      },
      ...(config.s3.thumbnailConfigurations
        ? { thumbnailConfigurations: config.s3.thumbnailConfigurations.map(withThumbnailDefaults) }
        : {}),
    },
  };
}

function requireIn<T>(map: Map<string, T>, arn: string, kind: string): T {
  const found = map.get(arn);
  if (!found) throw notFound(`${kind} not found: ${arn}`);
  return found;
}

/**
 * The documented cross-field rules the model cannot express: "Either a channel or an s3 must be specified"; "A
 * Composition can contain either one destination (channel or s3) or two (one channel and one s3)"; the encoder
 * configuration, the storage configuration and the channel "must be in the same AWS account and region" as the stage.
 */
function checkDestinations(region: RegionState, destinations: DestinationConfiguration[]): void {
  let channels = 0;
  let s3 = 0;
  destinations.forEach((d, i) => {
    const path = `destinations.${i + 1}.member`;
    if (!!d.channel === !!d.s3)
      throw validationError(
        `Value at '${path}' failed to satisfy constraint: A destination must have exactly one of channel or s3`,
      );
    if (d.channel) {
      channels++;
      const channel = parseChannelArn(d.channel.channelArn!);
      if (!channel || channel.accountId !== region.accountId || channel.region !== region.region) {
        throw validationError(
          `Value '${d.channel.channelArn}' at '${path}.channel.channelArn' failed to satisfy constraint: The channel and stage resources must be in the same AWS account and region`,
        );
      }
      if (d.channel.encoderConfigurationArn)
        requireIn(region.encoderConfigurations, d.channel.encoderConfigurationArn, 'Encoder configuration');
    }
    if (d.s3) {
      s3++;
      requireIn(region.storageConfigurations, d.s3.storageConfigurationArn!, 'Storage configuration');
      for (const arn of d.s3.encoderConfigurationArns ?? [])
        requireIn(region.encoderConfigurations, arn, 'Encoder configuration');
    }
  });
  if (channels > 1)
    throw validationError(
      "Value at 'destinations' failed to satisfy constraint: A composition can have at most one channel destination",
    );
  if (s3 > 1)
    throw validationError(
      "Value at 'destinations' failed to satisfy constraint: A composition can have at most one s3 destination",
    );
}

/** A low-latency channel ARN, `arn:aws:ivs:<region>:<account>:channel/<id>` (the model's ChannelArn pattern). */
function parseChannelArn(arn: string): { region: string; accountId: string } | undefined {
  const m = /^arn:aws:ivs:([a-z0-9-]+):([0-9]+):channel\/[a-zA-Z0-9-]+$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]! } : undefined;
}

/**
 * StartComposition's rules in one place, so the operation stays a thin translation: cross-field checks, the
 * idempotency token (same token and request → the same composition; same token, another request → 409), the
 * composition quotas (live compositions per account and region, and per stage), the documented defaults, the record,
 * then the state machine.
 */
export class CompositionStarts {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly lifecycle: CompositionLifecycle,
  ) {}

  start(region: RegionState, input: StartCompositionRequest): CompositionRecord {
    const { config, clock } = this.ctx;
    const now = clock.now();
    if (input.layout?.grid && input.layout.pip)
      throw validationError("Value at 'layout' failed to satisfy constraint: Specify either grid or pip, not both");
    const fingerprint = JSON.stringify([input.stageArn, input.layout ?? null, input.destinations, input.tags ?? null]);
    const remembered = input.idempotencyToken ? region.idempotencyTokens.get(input.idempotencyToken) : undefined;
    if (remembered && remembered.expiresAt > now) {
      const existing = region.compositions.get(remembered.arn);
      if (existing) {
        if (existing.requestFingerprint !== fingerprint)
          throw conflict('The idempotencyToken was already used with different parameters');
        return existing;
      }
    }
    const stage = requireIn(region.stages, input.stageArn!, 'Stage');
    checkDestinations(region, input.destinations!);
    this.checkQuotas(region, stage);
    const composition = this.record(region, stage, input, fingerprint, now);
    region.compositions.set(composition.arn, composition);
    if (input.idempotencyToken)
      region.idempotencyTokens.set(input.idempotencyToken, {
        arn: composition.arn,
        expiresAt: now + config.timings.idempotencyWindowMs,
      });
    this.lifecycle.start(region, composition);
    return composition;
  }

  private checkQuotas(region: RegionState, stage: StageRecord): void {
    const { compositionsPerAccount, compositionsPerStage } = this.ctx.config.quotas;
    const live = [...region.compositions.values()].filter(isLiveComposition);
    if (live.length >= compositionsPerAccount) {
      throw quotaExceeded(`Composition quota exceeded: at most ${compositionsPerAccount} compositions per account`);
    }
    if (live.filter((c) => c.stageArn === stage.arn).length >= compositionsPerStage) {
      throw quotaExceeded(`Composition quota exceeded: at most ${compositionsPerStage} compositions per stage`);
    }
  }

  private record(
    region: RegionState,
    stage: StageRecord,
    input: StartCompositionRequest,
    fingerprint: string,
    now: number,
  ): CompositionRecord {
    const id = newResourceId();
    const destinations: DestinationRecord[] = input.destinations!.map((d) => {
      const destinationId = newResourceId();
      return {
        id: destinationId,
        state: 'STARTING',
        configuration: withDestinationDefaults(d),
        recordingPrefix: d.s3 ? compositeRecordingPrefix(stage.id, id, destinationId) : undefined,
      };
    });
    return {
      seq: region.seq(),
      arn: buildArn(region.region, region.accountId, 'composition', id),
      id,
      stageArn: stage.arn,
      state: 'STARTING',
      layout: withLayoutDefaults(input.layout),
      destinations,
      tags: input.tags ?? {},
      startTime: now,
      idempotencyToken: input.idempotencyToken,
      requestFingerprint: fingerprint,
      timers: new Set(),
    };
  }
}
