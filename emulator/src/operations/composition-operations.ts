import type {
  Composition,
  GetCompositionRequest,
  ListCompositionsRequest,
  StartCompositionRequest,
  StopCompositionRequest,
} from '@aws-sdk/client-ivs-realtime';
import { paginate } from '../state/pagination';
import type { CompositionRecord } from '../state/records';
import type { OperationHandler, Wire } from './operation-types';
import { checkTags, requireResource, wireTime } from './resource-lookup';

export function presentComposition(c: CompositionRecord): Wire<Composition> {
  return {
    arn: c.arn,
    stageArn: c.stageArn,
    state: c.state,
    layout: c.layout,
    destinations: c.destinations.map((d) => ({
      id: d.id,
      state: d.state,
      startTime: wireTime(d.startTime),
      endTime: wireTime(d.endTime),
      configuration: d.configuration,
      detail: d.recordingPrefix ? { s3: { recordingPrefix: d.recordingPrefix } } : undefined,
    })),
    tags: c.tags,
    startTime: wireTime(c.startTime),
    endTime: wireTime(c.endTime),
  };
}

const startComposition: OperationHandler<StartCompositionRequest> = (call, input) => {
  checkTags(input.tags);
  return { composition: presentComposition(call.domain.compositionStarts.start(call.region, input)) };
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
        startTime: wireTime(d.startTime),
        endTime: wireTime(d.endTime),
      })),
      state: c.state,
      tags: c.tags,
      startTime: wireTime(c.startTime),
      endTime: wireTime(c.endTime),
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
