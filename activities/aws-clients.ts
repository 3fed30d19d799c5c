import { IVSRealTimeClient, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-ivs-realtime';
import { S3Client } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { ApplicationFailure } from '@temporalio/common';
import type { AwsScope } from '../contracts/aws-scope';
import { UNKNOWN_ACCOUNT_FAILURE_TYPE } from '../contracts/failure-types';
import { IVS_TIMING, type IvsTiming } from '../contracts/ivs-timing';
import { IVS_RATE_SHARE, IvsRateBudget } from './ivs-rate-budget';

type AwsCredentialIdentity = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type AwsCredentialIdentityProvider = ReturnType<typeof fromTemporaryCredentials>;
type IvsMiddleware = FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes>;

/** The IAM role the worker assumes for one account's shows. */
export interface AccountRole {
  roleArn: string;
  /** Required by roles whose trust policy guards against the confused deputy. */
  externalId?: string;
}

/**
 * The SDK clients activities use, one per account and region. Two IVS flavours: `ivs` retries transient
 * failures itself (safe for reads, deletes and calls with an idempotency token); `ivsSingleAttempt` never
 * retries, for calls like CreateStage that have no idempotency token — a lost response must come back to the
 * activity, which looks up what was made before trying again.
 */
export interface AwsClients {
  readonly defaultRegion: string;
  /** The deadlines every IVS request is held to; activities derive their waits from the same figures. */
  readonly timing: IvsTiming;
  ivs(scope?: AwsScope): IVSRealTimeClient;
  ivsSingleAttempt(scope?: AwsScope): IVSRealTimeClient;
  s3(scope?: AwsScope): S3Client;
  destroy(): void;
}

export interface AwsClientOptions {
  defaultRegion: string;
  /** Emulator or other IVS endpoint; real AWS when absent. */
  ivsEndpoint?: string;
  s3Endpoint?: string;
  /** STS endpoint for assuming account roles (the emulator serves STS too); real AWS when absent. */
  stsEndpoint?: string;
  /** Local S3 servers need path-style addressing. */
  s3ForcePathStyle?: boolean;
  /** From the default provider chain when absent. */
  credentials?: AwsCredentialIdentity;
  /** For a local S3 server with keys of its own; `credentials` (or the chain, or the account's role) otherwise. */
  s3Credentials?: AwsCredentialIdentity;
  /** Accounts this worker may act in, by account ID, and the role it assumes in each. */
  accounts?: Record<string, AccountRole>;
  /** SDK attempts for the retrying S3 client (the SDK's own backoff and throttling handling). */
  maxAttempts?: number;
  /** IVS request deadlines and SDK attempts; IVS_TIMING unless a test compresses time. */
  timing?: IvsTiming;
  /**
   * This worker's share of IVS's documented rates in each account and region (ivs-rate-budget.ts): 1 (the default)
   * for one worker, 1/N when N workers serve the same accounts and regions.
   */
  ivsRateShare?: number;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const timing = options.timing ?? IVS_TIMING;
  // throwOnRequestTimeout: without it the SDK only logs a warning when requestTimeout passes and keeps waiting.
  const ivsRequestHandler = { requestTimeout: timing.requestTimeoutMs, throwOnRequestTimeout: true };
  const cache = new Map<string, IVSRealTimeClient | S3Client>();
  // One budget per account and region, shared by both IVS clients of that scope: IVS counts their calls together.
  const budgets = new Map<string, IvsRateBudget>();
  const rateShare = options.ivsRateShare ?? IVS_RATE_SHARE.default;

  /** Paces every attempt (retries included: the middleware sits inside the SDK's retry loop) by the scope's budget. */
  function paced(client: IVSRealTimeClient, budgetKey: string): IVSRealTimeClient {
    let budget = budgets.get(budgetKey);
    if (!budget) budgets.set(budgetKey, (budget = new IvsRateBudget({ share: rateShare })));
    const scoped = budget;
    const pace: IvsMiddleware = (next, context) => async (args) => {
      const release = await scoped.acquire(context.commandName?.replace(/Command$/, '') ?? 'unknown');
      try {
        return await next(args);
      } finally {
        release();
      }
    };
    client.middlewareStack.addRelativeTo(pace, {
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      name: 'showrunnerIvsRateBudget',
    });
    return client;
  }
  // One provider per account, shared by every region's clients: it caches the role's session and renews it
  // before it expires.
  const roleCredentials = new Map<string, AwsCredentialIdentityProvider>();

  function credentialsFor(
    account: string | undefined,
  ): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
    if (account === undefined) return options.credentials;
    // Own properties only: `constructor` or `__proto__` would otherwise find Object.prototype's.
    const role = options.accounts && Object.hasOwn(options.accounts, account) ? options.accounts[account] : undefined;
    if (!role) {
      const known = Object.keys(options.accounts ?? {});
      throw ApplicationFailure.nonRetryable(
        `account ${account} is not one this worker may act in (SHOWRUNNER_AWS_ACCOUNTS lists ${known.length ? known.join(', ') : 'none'})`,
        UNKNOWN_ACCOUNT_FAILURE_TYPE,
      );
    }
    let provider = roleCredentials.get(account);
    if (!provider) {
      provider = fromTemporaryCredentials({
        params: { RoleArn: role.roleArn, RoleSessionName: 'showrunner', ExternalId: role.externalId },
        masterCredentials: options.credentials,
        clientConfig: { region: options.defaultRegion, endpoint: options.stsEndpoint },
      });
      roleCredentials.set(account, provider);
    }
    return provider;
  }

  function memo<T extends IVSRealTimeClient | S3Client>(
    kind: string,
    scope: AwsScope | undefined,
    make: (common: {
      region: string;
      credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
    }) => T,
  ): T {
    // An empty or absent region means the worker's default region (a show spec may leave it out).
    const region = scope?.region || options.defaultRegion;
    const key = `${kind}:${scope?.account ?? ''}:${region}`;
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make({ region, credentials: credentialsFor(scope?.account) });
      cache.set(key, client);
    }
    return client;
  }

  return {
    defaultRegion: options.defaultRegion,
    timing,
    ivs: (scope) =>
      memo('ivs', scope, (common) =>
        paced(
          new IVSRealTimeClient({
            ...common,
            endpoint: options.ivsEndpoint,
            maxAttempts: timing.sdkMaxAttempts,
            requestHandler: ivsRequestHandler,
          }),
          `${scope?.account ?? ''}:${common.region}`,
        ),
      ),
    ivsSingleAttempt: (scope) =>
      memo('ivs1', scope, (common) =>
        paced(
          new IVSRealTimeClient({
            ...common,
            endpoint: options.ivsEndpoint,
            maxAttempts: 1,
            requestHandler: ivsRequestHandler,
          }),
          `${scope?.account ?? ''}:${common.region}`,
        ),
      ),
    s3: (scope) =>
      memo(
        's3',
        scope,
        (common) =>
          new S3Client({
            ...common,
            credentials: options.s3Credentials ?? common.credentials,
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
