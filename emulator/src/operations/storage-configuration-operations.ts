import type {
  CreateStorageConfigurationRequest,
  DeleteStorageConfigurationRequest,
  GetStorageConfigurationRequest,
  ListStorageConfigurationsRequest,
  StorageConfiguration,
} from '@aws-sdk/client-ivs-realtime';
import { isLiveComposition } from '../domain/composition-lifecycle';
import { conflict, quotaExceeded, validationError } from '../errors/api-error';
import { buildArn } from '../state/arns';
import { newResourceId } from '../state/ids';
import { paginate } from '../state/pagination';
import type { StorageConfigurationRecord } from '../state/records';
import type { OperationHandler } from './operation-types';
import { checkTags, requireResource } from './resource-lookup';

const present = (s: StorageConfigurationRecord): StorageConfiguration => ({
  arn: s.arn,
  name: s.name,
  s3: s.s3,
  tags: s.tags,
});

const create: OperationHandler<CreateStorageConfigurationRequest> = async (call, input) => {
  const { region, domain } = call;
  checkTags(input.tags);
  const limit = domain.ctx.config.quotas.storageConfigurationsPerRegion;
  if (region.storageConfigurations.size >= limit)
    throw quotaExceeded(`Storage configuration quota exceeded: at most ${limit} per account and region`);
  const bucketName = input.s3!.bucketName!;
  const recordings = domain.ctx.recordings;
  if (recordings && !(await recordings.bucketExists(bucketName).catch(() => false))) {
    throw validationError(
      `Value '${bucketName}' at 's3.bucketName' failed to satisfy constraint: The S3 bucket must exist and be accessible`,
    );
  }
  const id = newResourceId();
  const record: StorageConfigurationRecord = {
    seq: region.seq(),
    arn: buildArn(region.region, region.accountId, 'storage-configuration', id),
    id,
    name: input.name ?? '',
    s3: { bucketName },
    tags: input.tags ?? {},
  };
  region.storageConfigurations.set(record.arn, record);
  return { storageConfiguration: present(record) };
};

const get: OperationHandler<GetStorageConfigurationRequest> = (call, input) => ({
  storageConfiguration: present(
    requireResource(call.region.storageConfigurations, input.arn!, 'Storage configuration'),
  ),
});

const remove: OperationHandler<DeleteStorageConfigurationRequest> = (call, input) => {
  const { region } = call;
  const record = requireResource(region.storageConfigurations, input.arn!, 'Storage configuration');
  for (const c of region.compositions.values()) {
    if (
      isLiveComposition(c) &&
      c.destinations.some((d) => d.configuration.s3?.storageConfigurationArn === record.arn)
    ) {
      throw conflict(`Storage configuration ${record.arn} is used by active composition ${c.arn}`);
    }
  }
  for (const stage of region.stages.values()) {
    if (stage.autoParticipantRecordingConfiguration?.storageConfigurationArn === record.arn) {
      throw conflict(`Storage configuration ${record.arn} is used for participant recording by stage ${stage.arn}`);
    }
  }
  region.storageConfigurations.delete(record.arn);
  return {};
};

const list: OperationHandler<ListStorageConfigurationsRequest> = (call, input) => {
  const page = paginate(call.region.storageConfigurations.values(), {
    owner: call.region,
    scope: 'ListStorageConfigurations',
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    // "Default: your service quota or 100, whichever is smaller."
    defaultMaxResults: Math.min(call.domain.ctx.config.quotas.storageConfigurationsPerRegion, 100),
  });
  return { storageConfigurations: page.items.map(present), nextToken: page.nextToken };
};

export const storageConfigurationOperations = {
  CreateStorageConfiguration: create,
  GetStorageConfiguration: get,
  DeleteStorageConfiguration: remove,
  ListStorageConfigurations: list,
};
