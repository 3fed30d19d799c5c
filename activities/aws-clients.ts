import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { S3Client } from '@aws-sdk/client-s3';
type AwsCredentialIdentity = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * The SDK clients activities use, one per region. Two IVS flavours: `ivs` retries transient failures itself
 * (safe for reads, deletes and calls with an idempotency token); `ivsSingleAttempt` never retries, for calls
 * like CreateStage that have no idempotency token — a lost response must come back to the activity, which
 * looks up what was made before trying again.
 */
export interface AwsClients {
  readonly defaultRegion: string;
  ivs(region?: string): IVSRealTimeClient;
  ivsSingleAttempt(region?: string): IVSRealTimeClient;
  s3(region?: string): S3Client;
  destroy(): void;
}

export interface AwsClientOptions {
  defaultRegion: string;
  /** Emulator or other IVS endpoint; real AWS when absent. */
  ivsEndpoint?: string;
  s3Endpoint?: string;
  /** Local S3 servers need path-style addressing. */
  s3ForcePathStyle?: boolean;
  /** From the default provider chain when absent. */
  credentials?: AwsCredentialIdentity;
  /** For a local S3 server with keys of its own; `credentials` (or the chain) otherwise. */
  s3Credentials?: AwsCredentialIdentity;
  /** SDK attempts for retrying clients (the SDK's own backoff and throttling handling). */
  maxAttempts?: number;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const cache = new Map<string, IVSRealTimeClient | S3Client>();
  // An empty or absent region means the worker's default region (a show spec may leave it out).
  const common = (region: string | undefined) => ({
    region: region || options.defaultRegion,
    credentials: options.credentials,
  });
  function memo<T extends IVSRealTimeClient | S3Client>(key: string, make: () => T): T {
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      cache.set(key, client);
    }
    return client;
  }
  return {
    defaultRegion: options.defaultRegion,
    ivs: (region) =>
      memo(
        `ivs:${region || options.defaultRegion}`,
        () =>
          new IVSRealTimeClient({
            ...common(region),
            endpoint: options.ivsEndpoint,
            maxAttempts: options.maxAttempts ?? 5,
          }),
      ),
    ivsSingleAttempt: (region) =>
      memo(
        `ivs1:${region || options.defaultRegion}`,
        () => new IVSRealTimeClient({ ...common(region), endpoint: options.ivsEndpoint, maxAttempts: 1 }),
      ),
    s3: (region) =>
      memo(
        `s3:${region || options.defaultRegion}`,
        () =>
          new S3Client({
            ...common(region),
            credentials: options.s3Credentials ?? options.credentials,
            endpoint: options.s3Endpoint,
            forcePathStyle: options.s3ForcePathStyle,
            maxAttempts: options.maxAttempts ?? 5,
          }),
      ),
    destroy() {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}
