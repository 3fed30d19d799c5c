import type {
  ListTagsForResourceRequest,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-ivs-realtime';
import { notFound } from '../errors/api-error';
import { parseArn } from '../state/arns';
import type { Tags } from '../state/records';
import type { OperationCall, OperationHandler } from './operation-types';
import { checkTags } from './resource-lookup';

function taggedResource(call: OperationCall, arn: string): { tags: Tags } {
  const parsed = parseArn(arn);
  const resource =
    parsed && parsed.accountId === call.region.accountId && parsed.region === call.region.region
      ? call.region.taggable(parsed.resourceType).get(arn)
      : undefined;
  if (!resource) throw notFound(`Resource not found: ${arn}`);
  return resource;
}

const tagResource: OperationHandler<TagResourceRequest> = (call, input) => {
  const resource = taggedResource(call, input.resourceArn!);
  const merged = { ...resource.tags, ...input.tags };
  checkTags(merged);
  resource.tags = merged;
  return {};
};

const untagResource: OperationHandler<UntagResourceRequest> = (call, input) => {
  const resource = taggedResource(call, input.resourceArn!);
  const remaining = { ...resource.tags };
  for (const key of input.tagKeys ?? []) delete remaining[key];
  resource.tags = remaining;
  return {};
};

const listTagsForResource: OperationHandler<ListTagsForResourceRequest> = (call, input) => ({
  tags: taggedResource(call, input.resourceArn!).tags,
});

export const tagOperations = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
