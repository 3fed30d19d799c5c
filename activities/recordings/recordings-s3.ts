import {
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';

/** S3's maximum page size: fewest round trips for prefixes with 100,000 objects. */
const PAGE_SIZE = 1000;

export const BUCKET_MISSING_FAILURE_TYPE = 'RecordingsBucketMissing';

interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** ListObjectsV2 says NoSuchBucket; HeadBucket has no body, so the SDK only knows "NotFound" (404). */
export function isMissingBucketError(error: unknown): boolean {
  const { name, Code, $metadata } = (error ?? {}) as S3ErrorShape;
  if (name === 'NoSuchBucket' || Code === 'NoSuchBucket') return true;
  return name === 'NotFound' && $metadata?.httpStatusCode === 404;
}

function isMissingKeyError(error: unknown): boolean {
  const { name, Code } = (error ?? {}) as S3ErrorShape;
  return name === 'NoSuchKey' || Code === 'NoSuchKey' || name === 'NotFound';
}

/** A missing bucket does not appear by retrying: fail the activity for good with a message naming the bucket. */
function bucketMissing(bucket: string, role: string, cause: unknown): ApplicationFailure {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return ApplicationFailure.create({
    message: `The ${role} bucket "${bucket}" does not exist (${detail})`,
    type: BUCKET_MISSING_FAILURE_TYPE,
    nonRetryable: true,
    details: [{ bucket, role }],
  });
}

export interface ListedObject {
  key: string;
  size: number;
}

export type SmallObject = { found: true; text: string } | { found: false; reason: string };

/**
 * The S3 calls the recordings index makes. Everything that lists does so page by page; nothing here reads an object
 * other than the small events documents. Throttling and 5xx are retried inside the SDK; anything else that is not a
 * missing bucket propagates so Temporal retries the activity.
 */
export class RecordingsS3 {
  constructor(
    private readonly s3: S3Client,
    private readonly abortSignal: () => AbortSignal | undefined,
  ) {}

  private options(): { abortSignal?: AbortSignal } {
    const abortSignal = this.abortSignal();
    return abortSignal ? { abortSignal } : {};
  }

  async assertBucketExists(bucket: string, role: string): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: bucket }), this.options());
    } catch (error) {
      if (isMissingBucketError(error)) throw bucketMissing(bucket, role, error);
      throw error;
    }
  }

  private async listPage(
    bucket: string,
    role: string,
    prefix: string,
    delimiter: string | undefined,
    continuationToken: string | undefined,
  ): Promise<ListObjectsV2CommandOutput> {
    try {
      return await this.s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: delimiter,
          MaxKeys: PAGE_SIZE,
          ContinuationToken: continuationToken,
        }),
        this.options(),
      );
    } catch (error) {
      if (isMissingBucketError(error)) throw bucketMissing(bucket, role, error);
      throw error;
    }
  }

  /** Every object under `prefix`, one page (≤ 1000 objects) at a time; the caller folds each page away. */
  async *listObjectPages(bucket: string, role: string, prefix: string): AsyncGenerator<ListedObject[]> {
    let token: string | undefined;
    do {
      const page = await this.listPage(bucket, role, prefix, undefined, token);
      yield (page.Contents ?? []).flatMap((o) => (o.Key ? [{ key: o.Key, size: o.Size ?? 0 }] : []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** The "directories" directly under `prefix` (each ending in '/'). */
  async listCommonPrefixes(bucket: string, role: string, prefix: string): Promise<string[]> {
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.listPage(bucket, role, prefix, '/', token);
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return prefixes;
  }

  /** Keys directly under `prefix` (no deeper), for the handful of objects in an `events/` folder. */
  async listKeys(bucket: string, role: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.listPage(bucket, role, prefix, '/', token);
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /**
   * Reads a small text object. Oversized or vanished objects are reported rather than thrown: one bad recording must
   * not keep the whole index from being written.
   */
  async readSmallText(bucket: string, role: string, key: string, maxBytes: number): Promise<SmallObject> {
    let output;
    try {
      output = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), this.options());
    } catch (error) {
      if (isMissingBucketError(error)) throw bucketMissing(bucket, role, error);
      if (isMissingKeyError(error)) return { found: false, reason: `${key} disappeared before it could be read` };
      throw error;
    }
    const body = output.Body as { transformToString?: (encoding?: string) => Promise<string>; destroy?: () => void };
    if (output.ContentLength !== undefined && output.ContentLength > maxBytes) {
      // Release the connection without downloading the body.
      body?.destroy?.();
      return { found: false, reason: `${key} is ${output.ContentLength} bytes, more than the ${maxBytes} expected` };
    }
    if (!body?.transformToString) return { found: false, reason: `${key} has no body` };
    return { found: true, text: await body.transformToString('utf-8') };
  }

  async putJson(bucket: string, role: string, key: string, json: string): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: json, ContentType: 'application/json' }),
        this.options(),
      );
    } catch (error) {
      if (isMissingBucketError(error)) throw bucketMissing(bucket, role, error);
      throw error;
    }
  }
}
