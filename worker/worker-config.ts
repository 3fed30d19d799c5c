import { z } from 'zod';
import type { AccountRole } from '../activities/aws-clients';
import { IVS_RATE_SHARE } from '../activities/ivs-rate-budget';
import { ACCOUNT_ID_PATTERN, parseRoleArn } from '../contracts/arn';
import { fieldIssues, issueList } from '../contracts/issues';

/** Worker settings from the environment; Temporal connection settings come from envconfig (TEMPORAL_*). */
const optionalUrl = z.url().optional();
const positive = z.coerce.number().positive();

const roleArn = z.string().refine((arn) => parseRoleArn(arn) !== undefined, 'must be an IAM role ARN');
// A bare role ARN is shorthand for { roleArn }; one schema after that, so errors name the field that is wrong.
const accountRole = z.preprocess(
  (value) => (typeof value === 'string' ? { roleArn: value } : value),
  z.object({ roleArn, externalId: z.string().min(2).max(1224).optional() }).strict(),
);
/** `{"<account>": "<role ARN>" | {"roleArn": …, "externalId": …}}`: the accounts shows may name in `account`. */
export const accountsJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"<12-digit account>": "<role ARN>"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), accountRole))
  .superRefine((accounts, ctx) => {
    for (const [account, role] of Object.entries(accounts)) {
      // zod's own key check says only "Invalid key in record".
      if (!ACCOUNT_ID_PATTERN.test(account))
        ctx.addIssue({ code: 'custom', path: [account], message: 'keys must be 12-digit AWS account IDs' });
      else if (parseRoleArn(role.roleArn)?.account !== account)
        ctx.addIssue({ code: 'custom', path: [account], message: `role ${role.roleArn} is not in account ${account}` });
    }
  });

export const workerConfigSchema = z.object({
  SHOWRUNNER_TASK_QUEUE: z.string().min(1).default('showrunner'),
  /** Poll activities and composition monitors; its rate limit is the IVS monitoring budget of the whole fleet. */
  SHOWRUNNER_MONITOR_TASK_QUEUE: z.string().min(1).optional(),
  /** Poll activity starts per second across ALL workers (Temporal enforces it server-side). */
  SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND: positive.default(4),
  /**
   * This worker's share of IVS's documented API rates in each account and region (activities/ivs-rate-budget.ts):
   * 1 when it is the only worker, 1/N when N workers serve the same accounts and regions.
   */
  SHOWRUNNER_IVS_RATE_SHARE: z.coerce
    .number()
    .min(IVS_RATE_SHARE.min, `must be at least ${IVS_RATE_SHARE.min}`)
    .max(IVS_RATE_SHARE.max, `must be at most ${IVS_RATE_SHARE.max} (the whole documented rate)`)
    .default(IVS_RATE_SHARE.default),
  /** Optional server-side cap for the main task queue's activities (IVS mutations and indexing). */
  SHOWRUNNER_ACTIVITIES_PER_SECOND: positive.optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().min(1).optional(),
  /** Emulator or other endpoints; real AWS when absent. */
  SHOWRUNNER_IVS_ENDPOINT: optionalUrl,
  SHOWRUNNER_S3_ENDPOINT: optionalUrl,
  SHOWRUNNER_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** STS endpoint for assuming account roles; the emulator serves STS too. Real AWS when absent. */
  SHOWRUNNER_STS_ENDPOINT: optionalUrl,
  SHOWRUNNER_AWS_ACCOUNTS: accountsJson.optional(),
  /**
   * Workflows kept in memory between tasks. Each costs memory while it sits there; a task for one that was evicted
   * replays its history first (cheap for shows, whose steady state adds no events). The SDK sizes it from the heap
   * when unset.
   */
  SHOWRUNNER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /** Prebuilt workflow bundle (npm run build:workflows); required when NODE_ENV=production. */
  SHOWRUNNER_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  NODE_ENV: z.string().optional(),
});

export interface WorkerConfig {
  taskQueue: string;
  monitorTaskQueue: string;
  monitorActivitiesPerSecond: number;
  activitiesPerSecond?: number;
  /** This worker's share of every documented IVS rate per account and region (absent: all of it). */
  ivsRateShare?: number;
  region: string;
  ivsEndpoint?: string;
  s3Endpoint?: string;
  s3ForcePathStyle: boolean;
  stsEndpoint?: string;
  maxCachedWorkflows?: number;
  /** Accounts shows may name, and the role assumed in each. */
  accounts?: Record<string, AccountRole>;
  workflowBundlePath?: string;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const result = workerConfigSchema.safeParse(env);
  if (!result.success) {
    throw new Error(issueList('Invalid worker configuration', fieldIssues(result.error.issues, '(environment)')));
  }
  const e = result.data;
  if (e.NODE_ENV === 'production' && !e.SHOWRUNNER_WORKFLOW_BUNDLE) {
    throw new Error(
      issueList('Invalid worker configuration', [
        {
          path: 'SHOWRUNNER_WORKFLOW_BUNDLE',
          message: 'required when NODE_ENV=production (build it with npm run build:workflows)',
        },
      ]),
    );
  }
  return {
    taskQueue: e.SHOWRUNNER_TASK_QUEUE,
    monitorTaskQueue: e.SHOWRUNNER_MONITOR_TASK_QUEUE ?? `${e.SHOWRUNNER_TASK_QUEUE}-monitor`,
    monitorActivitiesPerSecond: e.SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND,
    activitiesPerSecond: e.SHOWRUNNER_ACTIVITIES_PER_SECOND,
    ivsRateShare: e.SHOWRUNNER_IVS_RATE_SHARE,
    region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
    ivsEndpoint: e.SHOWRUNNER_IVS_ENDPOINT,
    s3Endpoint: e.SHOWRUNNER_S3_ENDPOINT,
    s3ForcePathStyle: e.SHOWRUNNER_S3_FORCE_PATH_STYLE
      ? e.SHOWRUNNER_S3_FORCE_PATH_STYLE === 'true'
      : !!e.SHOWRUNNER_S3_ENDPOINT,
    stsEndpoint: e.SHOWRUNNER_STS_ENDPOINT,
    maxCachedWorkflows: e.SHOWRUNNER_MAX_CACHED_WORKFLOWS,
    accounts: e.SHOWRUNNER_AWS_ACCOUNTS ?? {},
    workflowBundlePath: e.SHOWRUNNER_WORKFLOW_BUNDLE,
  };
}
