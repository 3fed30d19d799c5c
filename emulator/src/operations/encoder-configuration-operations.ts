import type {
  CreateEncoderConfigurationRequest,
  DeleteEncoderConfigurationRequest,
  EncoderConfiguration,
  GetEncoderConfigurationRequest,
  ListEncoderConfigurationsRequest,
  Video,
} from '@aws-sdk/client-ivs-realtime';
import { isLiveComposition } from '../domain/composition-lifecycle';
import { conflict, quotaExceeded, validationError } from '../errors/api-error';
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

/** The service's defaults ("Default: video resolution 1280x720, bitrate 2500 kbps, 30 fps"). */
const DEFAULT_VIDEO = { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 } as const;
const MAX_TOTAL_PIXELS = 2_073_600;

/**
 * Video.width / Video.height: "This must be an even number. Note that the maximum value is determined by width times
 * height, such that the maximum total pixels is 2073600 (1920x1080 or 1080x1920)." An absent side counts with its
 * default, so a width of 1920 alone is 1920x720.
 */
function checkVideo(video: Video | undefined): void {
  for (const side of ['width', 'height'] as const) {
    const value = video?.[side];
    if (value !== undefined && value % 2 !== 0)
      throw validationError(
        `Value '${value}' at 'video.${side}' failed to satisfy constraint: Member must be an even number`,
      );
  }
  const width = video?.width ?? DEFAULT_VIDEO.width;
  const height = video?.height ?? DEFAULT_VIDEO.height;
  if (width * height > MAX_TOTAL_PIXELS) {
    throw validationError(
      `Value '${width}x${height}' at 'video' failed to satisfy constraint: width times height must be at most ${MAX_TOTAL_PIXELS} pixels (1920x1080 or 1080x1920)`,
    );
  }
}

const create: OperationHandler<CreateEncoderConfigurationRequest> = (call, input) => {
  const { region } = call;
  checkTags(input.tags);
  checkVideo(input.video);
  const limit = call.domain.ctx.config.quotas.encoderConfigurationsPerRegion;
  if (region.encoderConfigurations.size >= limit)
    throw quotaExceeded(`Encoder configuration quota exceeded: at most ${limit} per account and region`);
  const id = newResourceId();
  const record: EncoderConfigurationRecord = {
    seq: region.seq(),
    arn: buildArn(region.region, region.accountId, 'encoder-configuration', id),
    id,
    name: input.name ?? '',
    video: { ...DEFAULT_VIDEO, ...input.video },
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
