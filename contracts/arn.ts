/**
 * Amazon Resource Names, parsed and built in one place for every partition Showrunner may run in. An ARN reads
 * `arn:<partition>:<service>:<region>:<account>:<resource>`; IVS writes its resources as `<type>/<id>` and IAM its
 * roles as `role/<path>/<name>` with an empty region
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 */

/** Commercial, China and GovCloud (US): the partitions whose ARNs Showrunner accepts. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** Region codes such as us-east-1, cn-north-1 or us-gov-west-1. */
const REGION_SOURCE = '[a-z]{2}(?:-[a-z]+)+-\\d';
const ACCOUNT_SOURCE = '[0-9]{12}';
/** IVS resource IDs: letters and digits (and hyphens, which channel IDs have been seen to carry). */
const IVS_ID_SOURCE = '[a-zA-Z0-9-]+';

export const REGION_PATTERN = new RegExp(`^${REGION_SOURCE}$`);
export const ACCOUNT_ID_PATTERN = new RegExp(`^${ACCOUNT_SOURCE}$`);

const ARN = new RegExp(
  `^arn:(${PARTITIONS.join('|')}):([a-z0-9-]+):(${REGION_SOURCE}|):(${ACCOUNT_SOURCE}|):([^\\s]+)$`,
);

export interface Arn {
  partition: Partition;
  service: string;
  /** Empty for global services (IAM). */
  region: string;
  /** Empty for resources that belong to no account (S3 buckets). */
  account: string;
  resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const match = ARN.exec(text);
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match;
  return {
    partition: partition as Partition,
    service: service!,
    region: region!,
    account: account!,
    resource: resource!,
  };
}

/** The IVS resource types Showrunner names (stages, compositions, their configurations, and IVS channels). */
export type IvsResourceType =
  'stage' | 'composition' | 'channel' | 'encoder-configuration' | 'storage-configuration' | 'ingest-configuration';

export interface IvsArn extends Arn {
  service: 'ivs';
  type: string;
  id: string;
}

/** An anchored pattern for an IVS ARN of `type` (any type when absent), for schemas. */
export function ivsArnPattern(type?: IvsResourceType): RegExp {
  const kind = type ?? '[a-z-]+';
  return new RegExp(
    `^arn:(?:${PARTITIONS.join('|')}):ivs:${REGION_SOURCE}:${ACCOUNT_SOURCE}:${kind}/${IVS_ID_SOURCE}$`,
  );
}

/** How an IVS ARN is written, for messages that say what was expected. */
export const ivsArnShape = (type = '<type>') => `arn:aws:ivs:<region>:<account>:${type}/<id>`;

export function parseIvsArn(text: string, type?: IvsResourceType): IvsArn | undefined {
  if (!ivsArnPattern(type).test(text)) return undefined;
  const arn = parseArn(text)!;
  const slash = arn.resource.indexOf('/');
  return { ...arn, service: 'ivs', type: arn.resource.slice(0, slash), id: arn.resource.slice(slash + 1) };
}

export function ivsArn(parts: {
  partition?: Partition;
  region: string;
  account: string;
  type: IvsResourceType;
  id: string;
}): string {
  return `arn:${parts.partition ?? 'aws'}:ivs:${parts.region}:${parts.account}:${parts.type}/${parts.id}`;
}

/** Parses an ARN that must be an IVS one: anything else is a caller's bug, not bad input. */
function mustParseIvsArn(text: string): IvsArn {
  const arn = parseIvsArn(text);
  if (!arn) throw new Error(`Not an IVS ARN: ${JSON.stringify(text)}`);
  return arn;
}

/** The region and account an IVS ARN lives in: which clients, and which composition monitor, it belongs to. */
export function locationOf(ivsArnText: string): { region: string; account: string } {
  const { region, account } = mustParseIvsArn(ivsArnText);
  return { region, account };
}

/** The ID an IVS ARN ends with; a stage's ID starts every participant recording prefix. */
export const idOf = (ivsArnText: string): string => mustParseIvsArn(ivsArnText).id;

/** An IAM role ARN (`arn:<partition>:iam::<account>:role/<path/><name>`) and the account it is in. */
export function parseRoleArn(text: string): { account: string } | undefined {
  const arn = parseArn(text);
  if (arn?.service !== 'iam' || arn.region !== '' || !arn.account) return undefined;
  return /^role\/[\w+=,.@/-]{1,512}$/.test(arn.resource) ? { account: arn.account } : undefined;
}
