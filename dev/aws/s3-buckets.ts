import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';

/** A fresh, uniquely named bucket. */
export async function createFreshBucket(s3: S3Client, prefix = 'rec'): Promise<string> {
  const bucket = `${prefix}-${randomBytes(6).toString('hex')}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}
