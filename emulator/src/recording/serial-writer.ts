import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export type ObjectBody = string | Uint8Array;

export interface StepOptions {
  /** Runs even after the queue was halted: used to report the failure that halted it. */
  force?: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  m3u8: 'application/vnd.apple.mpegurl',
  mp4: 'video/mp4',
  jpg: 'image/jpeg',
};

function contentType(key: string): string {
  return CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * The write queue of one recording. Steps run strictly one after another, so a playlist can never be overwritten by
 * an older version, and once a write fails the queue halts so nothing but the failure report lands after it. Steps
 * never reject: errors go to `onPutFailure` or the log, never to an unhandled rejection.
 */
export class SerialWriter {
  private tail: Promise<void> = Promise.resolve();
  private halted = false;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly onPutFailure: (relativeKey: string, error: unknown) => void,
    private readonly log: (msg: string) => void,
  ) {}

  /**
   * `body` may be a function so objects that depend on earlier steps are built when their turn comes (and cost no
   * memory while queued); returning undefined skips the write.
   */
  put(relativeKey: string, body: ObjectBody | (() => ObjectBody | undefined), options: StepOptions = {}): void {
    this.step(async () => {
      const bytes = typeof body === 'function' ? body() : body;
      if (bytes === undefined) return;
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: `${this.prefix}/${relativeKey}`,
            Body: bytes,
            ContentType: contentType(relativeKey),
          }),
        );
      } catch (error) {
        this.onPutFailure(relativeKey, error);
      }
    }, options);
  }

  step(fn: () => void | Promise<void>, options: StepOptions = {}): void {
    this.tail = this.tail.then(async () => {
      if (this.halted && !options.force) return;
      try {
        await fn();
      } catch (error) {
        this.log(`recording s3://${this.bucket}/${this.prefix}: step failed: ${describeError(error)}`);
      }
    });
  }

  /** Skips every queued step that is not forced. */
  halt(): void {
    this.halted = true;
  }

  /** Resolves once every step queued so far has run (not those queued meanwhile: a live recording never stops). */
  flushed(): Promise<void> {
    return this.tail;
  }
}
