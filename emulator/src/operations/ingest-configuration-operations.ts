import type {
  CreateIngestConfigurationRequest,
  DeleteIngestConfigurationRequest,
  GetIngestConfigurationRequest,
  IngestConfiguration,
  ListIngestConfigurationsRequest,
  UpdateIngestConfigurationRequest,
} from '@aws-sdk/client-ivs-realtime';
import { conflict, quotaExceeded, validationError } from '../errors/api-error';
import { buildArn } from '../state/arns';
import { newRedundantCredentials, newStreamKey } from '../domain/ingest-publishing';
import { newParticipantId, newResourceId } from '../state/ids';
import { paginate } from '../state/pagination';
import type { RegionState } from '../state/region-state';
import type { IngestConfigurationRecord } from '../state/records';
import type { OperationHandler } from './operation-types';
import { checkAttributesSize, checkTags, requireResource } from './resource-lookup';

const present = (c: IngestConfigurationRecord): IngestConfiguration => ({
  name: c.name,
  arn: c.arn,
  ingestProtocol: c.ingestProtocol,
  streamKey: c.streamKey,
  stageArn: c.stageArn,
  participantId: c.participantId,
  state: c.state,
  userId: c.userId,
  redundantIngest: c.redundantIngest,
  // "present only when redundantIngest is set to true"
  redundantIngestCredentials: c.redundantIngest ? c.redundantCredentials.map((r) => ({ ...r })) : undefined,
  attributes: c.attributes,
  tags: c.tags,
});

function checkStageArn(region: RegionState, stageArn: string | undefined): void {
  if (stageArn && !region.stages.has(stageArn)) {
    throw validationError(`Value '${stageArn}' at 'stageArn' failed to satisfy constraint: Stage must exist`);
  }
}

const create: OperationHandler<CreateIngestConfigurationRequest> = (call, input) => {
  const { region } = call;
  if (input.ingestProtocol === 'RTMP' && input.insecureIngest !== true) {
    throw validationError(
      "Value 'RTMP' at 'ingestProtocol' failed to satisfy constraint: RTMP ingest requires insecureIngest to be true",
    );
  }
  checkTags(input.tags);
  checkAttributesSize(input.attributes, 'attributes');
  checkStageArn(region, input.stageArn);
  const limit = call.domain.ctx.config.quotas.ingestConfigurationsPerRegion;
  if (region.ingestConfigurations.size >= limit)
    throw quotaExceeded(`Ingest configuration quota exceeded: at most ${limit} per account and region`);
  const id = newResourceId();
  const record: IngestConfigurationRecord = {
    seq: region.seq(),
    arn: buildArn(region.region, region.accountId, 'ingest-configuration', id),
    id,
    name: input.name ?? '',
    stageArn: input.stageArn ?? '',
    participantId: newParticipantId(),
    ingestProtocol: input.ingestProtocol!,
    streamKey: newStreamKey(region, id),
    state: 'INACTIVE',
    userId: input.userId,
    attributes: input.attributes ?? {},
    insecureIngest: input.insecureIngest ?? false,
    redundantIngest: input.redundantIngest ?? false,
    redundantCredentials: input.redundantIngest ? newRedundantCredentials(region, id) : [],
    publishers: new Set(),
    tags: input.tags ?? {},
  };
  region.ingestConfigurations.set(record.arn, record);
  return { ingestConfiguration: present(record) };
};

const get: OperationHandler<GetIngestConfigurationRequest> = (call, input) => ({
  ingestConfiguration: present(requireResource(call.region.ingestConfigurations, input.arn!, 'Ingest configuration')),
});

const update: OperationHandler<UpdateIngestConfigurationRequest> = (call, input) => {
  const record = requireResource(call.region.ingestConfigurations, input.arn!, 'Ingest configuration');
  if (record.state === 'ACTIVE')
    throw conflict(`Ingest configuration ${record.arn} is ACTIVE; it cannot be updated while a publisher streams`);
  checkStageArn(call.region, input.stageArn);
  if (input.stageArn !== undefined) record.stageArn = input.stageArn;
  // UpdateIngestConfigurationRequest.redundantIngest says "Default: false": an update that leaves it out turns
  // redundant ingest off, and with it the redundant credentials.
  record.redundantIngest = input.redundantIngest ?? false;
  if (!record.redundantIngest) record.redundantCredentials = [];
  else if (record.redundantCredentials.length === 0)
    record.redundantCredentials = newRedundantCredentials(call.region, record.id);
  return { ingestConfiguration: present(record) };
};

const remove: OperationHandler<DeleteIngestConfigurationRequest> = (call, input) => {
  const { region, domain } = call;
  const record = requireResource(region.ingestConfigurations, input.arn!, 'Ingest configuration');
  if (record.state === 'ACTIVE') {
    if (!input.force)
      throw conflict(
        `Ingest configuration ${record.arn} is ACTIVE; delete it with force=true to disconnect the publisher`,
      );
    domain.ingest.disconnect(region, record, true);
  }
  region.ingestConfigurations.delete(record.arn);
  return {};
};

const list: OperationHandler<ListIngestConfigurationsRequest> = (call, input) => {
  if (input.filterByStageArn !== undefined && input.filterByState !== undefined) {
    throw validationError(
      'Only one filter (by stage ARN or by state) can be used at a time: give filterByStageArn or filterByState, not both',
    );
  }
  const matching = [...call.region.ingestConfigurations.values()].filter(
    (c) =>
      (!input.filterByStageArn || c.stageArn === input.filterByStageArn) &&
      (!input.filterByState || c.state === input.filterByState),
  );
  const scope = `ListIngestConfigurations|${input.filterByStageArn ?? ''}|${input.filterByState ?? ''}`;
  const page = paginate(matching, {
    owner: call.region,
    scope,
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 50,
  });
  return {
    // Summaries never carry the stream key.
    ingestConfigurations: page.items.map((c) => ({
      name: c.name,
      arn: c.arn,
      ingestProtocol: c.ingestProtocol,
      stageArn: c.stageArn,
      participantId: c.participantId,
      state: c.state,
      userId: c.userId,
      redundantIngest: c.redundantIngest,
    })),
    nextToken: page.nextToken,
  };
};

export const ingestConfigurationOperations = {
  CreateIngestConfiguration: create,
  GetIngestConfiguration: get,
  UpdateIngestConfiguration: update,
  DeleteIngestConfiguration: remove,
  ListIngestConfigurations: list,
};
