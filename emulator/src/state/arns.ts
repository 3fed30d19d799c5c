export type ResourceType =
  'stage' | 'composition' | 'encoder-configuration' | 'storage-configuration' | 'ingest-configuration' | 'public-key';

export interface ParsedArn {
  region: string;
  accountId: string;
  resourceType: ResourceType;
  resourceId: string;
}

const ARN_PATTERN =
  /^arn:aws:ivs:([a-z0-9-]+):([0-9]+):(stage|composition|encoder-configuration|storage-configuration|ingest-configuration|public-key)\/([a-zA-Z0-9-]+)$/;

export function buildArn(region: string, accountId: string, resourceType: ResourceType, resourceId: string): string {
  return `arn:aws:ivs:${region}:${accountId}:${resourceType}/${resourceId}`;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = ARN_PATTERN.exec(arn);
  if (!m) return undefined;
  return { region: m[1]!, accountId: m[2]!, resourceType: m[3] as ResourceType, resourceId: m[4]! };
}
