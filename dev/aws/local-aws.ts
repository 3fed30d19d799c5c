import { randomBytes } from 'node:crypto';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * The AWS coordinates every local run shares: the emulator maps any access key that is not 12 digits to the
 * account below, and the local S3 server is started with the same keys, so one default credential chain serves
 * IVS and S3 as it does on AWS. Type-only SDK imports: the emulator bench measures the memory of processes that
 * load this.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
/** The bucket the local stack makes, so examples/basic-show.yaml records without a manual step. */
export const LOCAL_STACK_BUCKET = 'showrunner-recordings';

/** Where an S3 server is and how to sign for it. */
export interface S3Coordinates {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** `new S3Client(...)` options for a local S3 server; versitygw serves buckets only under path-style URLs. */
export function s3ClientConfig(s3: S3Coordinates): S3ClientConfig & {
  endpoint: string;
  region: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  };
}

/** A channel ARN nobody else uses: the emulator serves no IVS low-latency channels, any well-formed ARN will do. */
export function freshChannelArn(options: { region?: string; account?: string } = {}): string {
  return `arn:aws:ivs:${options.region ?? LOCAL_REGION}:${options.account ?? LOCAL_ACCOUNT}:channel/${randomBytes(6).toString('hex')}`;
}
