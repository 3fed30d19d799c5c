import type {
  Composition,
  DestinationConfiguration,
  GetCompositionRequest,
  LayoutConfiguration,
  ListCompositionsRequest,
  StartCompositionRequest,
  StopCompositionRequest,
} from '@aws-sdk/client-ivs-realtime';
import { compositeRecordingPrefix, isLiveComposition } from '../domain/composition-lifecycle';
import { conflict, quotaExceeded, validationError } from '../protocol/api-error';
import { buildArn } from '../state/arns';
import { newResourceId } from '../state/ids';
import { paginate } from '../state/pagination';
import type { CompositionRecord, DestinationRecord } from '../state/records';
import type { OperationCall, OperationHandler } from './operation-types';
import { checkTags, requireResource, requireStage, toDate } from './resource-lookup';

function withLayoutDefaults(layout: LayoutConfiguration | undefined): LayoutConfiguration {
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

function withDestinationDefaults(config: DestinationConfiguration): DestinationConfiguration {
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
    },
  };
}

export function presentComposition(c: CompositionRecord): Composition {
  return {
    arn: c.arn,
    stageArn: c.stageArn,
    state: c.state,
    layout: c.layout,
    destinations: c.destinations.map((d) => ({
      id: d.id,
      state: d.state,
      startTime: toDate(d.startTime),
      endTime: toDate(d.endTime),
      configuration: d.configuration,
      detail: d.recordingPrefix ? { s3: { recordingPrefix: d.recordingPrefix } } : undefined,
    })),
    tags: c.tags,
    startTime: toDate(c.startTime),
    endTime: toDate(c.endTime),
  };
}

/** The documented cross-field rules the model cannot express. */
function checkDestinations(call: OperationCall, destinations: DestinationConfiguration[]): void {
  const { region } = call;
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
      if (d.channel.encoderConfigurationArn)
        requireResource(region.encoderConfigurations, d.channel.encoderConfigurationArn, 'Encoder configuration');
    }
    if (d.s3) {
      s3++;
      requireResource(region.storageConfigurations, d.s3.storageConfigurationArn!, 'Storage configuration');
      for (const arn of d.s3.encoderConfigurationArns ?? [])
        requireResource(region.encoderConfigurations, arn, 'Encoder configuration');
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

const startComposition: OperationHandler<StartCompositionRequest> = (call, input) => {
  const { region, domain } = call;
  const { config, clock } = domain.ctx;
  const now = clock.now();
  if (input.layout?.grid && input.layout.pip)
    throw validationError("Value at 'layout' failed to satisfy constraint: Specify either grid or pip, not both");
  checkTags(input.tags);
  const fingerprint = JSON.stringify([input.stageArn, input.layout ?? null, input.destinations, input.tags ?? null]);
  const remembered = input.idempotencyToken ? region.idempotencyTokens.get(input.idempotencyToken) : undefined;
  if (remembered && remembered.expiresAt > now) {
    const existing = region.compositions.get(remembered.arn);
    if (existing) {
      if (existing.requestFingerprint !== fingerprint)
        throw conflict('The idempotencyToken was already used with different parameters');
      return { composition: presentComposition(existing) };
    }
  }
  const stage = requireStage(region, input.stageArn!);
  checkDestinations(call, input.destinations!);
  const live = [...region.compositions.values()].filter(isLiveComposition);
  if (live.length >= config.quotas.compositionsPerAccount) {
    throw quotaExceeded(
      `Composition quota exceeded: at most ${config.quotas.compositionsPerAccount} compositions per account`,
    );
  }
  if (live.filter((c) => c.stageArn === stage.arn).length >= config.quotas.compositionsPerStage) {
    throw quotaExceeded(
      `Composition quota exceeded: at most ${config.quotas.compositionsPerStage} compositions per stage`,
    );
  }
  const id = newResourceId();
  const destinations: DestinationRecord[] = input.destinations!.map((d) => {
    const destinationId = newResourceId();
    return {
      id: destinationId,
      state: 'STARTING',
      configuration: withDestinationDefaults(d),
      recordingPrefix: d.s3 ? compositeRecordingPrefix(stage.arn, id, destinationId) : undefined,
    };
  });
  const composition: CompositionRecord = {
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
  region.compositions.set(composition.arn, composition);
  if (input.idempotencyToken)
    region.idempotencyTokens.set(input.idempotencyToken, {
      arn: composition.arn,
      expiresAt: now + config.timings.idempotencyWindowMs,
    });
  domain.compositions.start(region, composition);
  return { composition: presentComposition(composition) };
};

const getComposition: OperationHandler<GetCompositionRequest> = (call, input) => ({
  composition: presentComposition(requireResource(call.region.compositions, input.arn!, 'Composition')),
});

const stopComposition: OperationHandler<StopCompositionRequest> = (call, input) => {
  const composition = requireResource(call.region.compositions, input.arn!, 'Composition');
  call.domain.compositions.stop(call.region, composition);
  return {};
};

const listCompositions: OperationHandler<ListCompositionsRequest> = (call, input) => {
  const matching = [...call.region.compositions.values()].filter(
    (c) =>
      (!input.filterByStageArn || c.stageArn === input.filterByStageArn) &&
      (!input.filterByEncoderConfigurationArn ||
        c.destinations.some(
          (d) =>
            d.configuration.channel?.encoderConfigurationArn === input.filterByEncoderConfigurationArn ||
            d.configuration.s3?.encoderConfigurationArns?.includes(input.filterByEncoderConfigurationArn!),
        )),
  );
  const scope = `ListCompositions|${input.filterByStageArn ?? ''}|${input.filterByEncoderConfigurationArn ?? ''}`;
  const page = paginate(matching, {
    owner: call.region,
    scope,
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 100,
  });
  return {
    compositions: page.items.map((c) => ({
      arn: c.arn,
      stageArn: c.stageArn,
      destinations: c.destinations.map((d) => ({
        id: d.id,
        state: d.state,
        startTime: toDate(d.startTime),
        endTime: toDate(d.endTime),
      })),
      state: c.state,
      tags: c.tags,
      startTime: toDate(c.startTime),
      endTime: toDate(c.endTime),
    })),
    nextToken: page.nextToken,
  };
};

export const compositionOperations = {
  StartComposition: startComposition,
  GetComposition: getComposition,
  StopComposition: stopComposition,
  ListCompositions: listCompositions,
};
