import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { S3Client } from '@aws-sdk/client-s3';
import { createFreshBucket } from '../../dev/aws/s3-buckets';
import {
  EmulatorControlClient,
  startEmulator,
  type EmulatorConfigInput,
  type RunningEmulator,
} from '../../emulator/src';
import { testS3ClientConfig, testS3Env } from './test-env';

export interface EmulatorFixture {
  emulator: RunningEmulator;
  ivs: IVSRealTimeClient;
  control: EmulatorControlClient;
  s3: S3Client;
  /** A fresh bucket in the test S3 server. */
  createBucket(prefix?: string): Promise<string>;
  /** An IVS client for another account (12-digit access key) or region. */
  client(options?: { accessKeyId?: string; region?: string; maxAttempts?: number }): IVSRealTimeClient;
  stop(): Promise<void>;
}

/** An in-process emulator writing recordings to the suite's real S3 server. */
export async function startEmulatorFixture(config: EmulatorConfigInput = {}): Promise<EmulatorFixture> {
  const s3Env = testS3Env();
  const emulator = await startEmulator(
    {
      rateLimits: false,
      ...config,
      s3: {
        endpoint: s3Env.endpoint,
        region: s3Env.region,
        accessKeyId: s3Env.accessKeyId,
        secretAccessKey: s3Env.secretAccessKey,
      },
    },
    () => undefined,
  );
  const clients: IVSRealTimeClient[] = [];
  const client = (options: { accessKeyId?: string; region?: string; maxAttempts?: number } = {}) => {
    const c = new IVSRealTimeClient({
      endpoint: emulator.endpoint,
      region: options.region ?? 'us-east-1',
      credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: 'test' },
      maxAttempts: options.maxAttempts,
    });
    clients.push(c);
    return c;
  };
  const s3 = new S3Client(testS3ClientConfig());
  return {
    emulator,
    ivs: client(),
    control: new EmulatorControlClient(emulator.endpoint),
    s3,
    client,
    async createBucket(prefix = 'rec') {
      return createFreshBucket(s3, prefix);
    },
    async stop() {
      for (const c of clients) c.destroy();
      s3.destroy();
      await emulator.stop();
    },
  };
}
