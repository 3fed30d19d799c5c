import type {
  CreateEncoderConfigurationRequest,
  DeleteEncoderConfigurationRequest,
  EncoderConfiguration,
  GetEncoderConfigurationRequest,
  ListEncoderConfigurationsRequest,
} from '@aws-sdk/client-ivs-realtime';
import { isLiveComposition } from '../domain/composition-lifecycle';
import { conflict, quotaExceeded } from '../errors/api-error';
import { buildArn } from '../state/arns';
import { newResourceId } from '../state/ids';
import { paginate } from '../state/pagination';
import type { EncoderConfigurationRecord } from '../state/records';
import type { OperationHandler } from './operation-types';
import { checkTags, requireResource } from './resource-lookup';

const present = (e: EncoderConfigurationRecord): EncoderConfiguration => ({
  arn: e.arn,
  name: e.name,
  video: e.video,
  tags: e.tags,
});

const create: OperationHandler<CreateEncoderConfigurationRequest> = (call, input) => {
  const { region } = call;
  checkTags(input.tags);
  const limit = call.domain.ctx.config.quotas.encoderConfigurationsPerRegion;
  if (region.encoderConfigurations.size >= limit)
    throw quotaExceeded(`Encoder configuration quota exceeded: at most ${limit} per account and region`);
  const id = newResourceId();
  // Defaults of the service: 1280x720 at 30 fps, 2.5 Mbps.
  const record: EncoderConfigurationRecord = {
    seq: region.seq(),
    arn: buildArn(region.region, region.accountId, 'encoder-configuration', id),
    id,
    name: input.name ?? '',
    video: { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000, ...input.video },
    tags: input.tags ?? {},
  };
  region.encoderConfigurations.set(record.arn, record);
  return { encoderConfiguration: present(record) };
};

const get: OperationHandler<GetEncoderConfigurationRequest> = (call, input) => ({
  encoderConfiguration: present(
    requireResource(call.region.encoderConfigurations, input.arn!, 'Encoder configuration'),
  ),
});

const remove: OperationHandler<DeleteEncoderConfigurationRequest> = (call, input) => {
  const { region } = call;
  const record = requireResource(region.encoderConfigurations, input.arn!, 'Encoder configuration');
  for (const c of region.compositions.values()) {
    const uses = c.destinations.some(
      (d) =>
        d.configuration.channel?.encoderConfigurationArn === record.arn ||
        d.configuration.s3?.encoderConfigurationArns?.includes(record.arn),
    );
    if (uses && isLiveComposition(c))
      throw conflict(`Encoder configuration ${record.arn} is used by active composition ${c.arn}`);
  }
  region.encoderConfigurations.delete(record.arn);
  return {};
};

const list: OperationHandler<ListEncoderConfigurationsRequest> = (call, input) => {
  const page = paginate(call.region.encoderConfigurations.values(), {
    owner: call.region,
    scope: 'ListEncoderConfigurations',
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 100,
  });
  return {
    encoderConfigurations: page.items.map((e) => ({ arn: e.arn, name: e.name, tags: e.tags })),
    nextToken: page.nextToken,
  };
};

export const encoderConfigurationOperations = {
  CreateEncoderConfiguration: create,
  GetEncoderConfiguration: get,
  DeleteEncoderConfiguration: remove,
  ListEncoderConfigurations: list,
};
