import { z } from 'zod';

/** Worker settings from the environment; Temporal connection settings come from envconfig (TEMPORAL_*). */
const optionalUrl = z.url().optional();
const positive = z.coerce.number().positive();

export const workerConfigSchema = z.object({
  SHOWRUNNER_TASK_QUEUE: z.string().min(1).default('showrunner'),
  /** Poll activities and composition monitors; its rate limit is the IVS monitoring budget of the whole fleet. */
  SHOWRUNNER_MONITOR_TASK_QUEUE: z.string().min(1).optional(),
  /** Poll activity starts per second across ALL workers (Temporal enforces it server-side). */
  SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND: positive.default(4),
  /** Optional server-side cap for the main task queue's activities (IVS mutations and indexing). */
  SHOWRUNNER_ACTIVITIES_PER_SECOND: positive.optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().min(1).optional(),
  /** Emulator or other endpoints; real AWS when absent. */
  SHOWRUNNER_IVS_ENDPOINT: optionalUrl,
  SHOWRUNNER_S3_ENDPOINT: optionalUrl,
  SHOWRUNNER_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** Prebuilt workflow bundle (npm run build:workflows); required when NODE_ENV=production. */
  SHOWRUNNER_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  NODE_ENV: z.string().optional(),
});

export interface WorkerConfig {
  taskQueue: string;
  monitorTaskQueue: string;
  monitorActivitiesPerSecond: number;
  activitiesPerSecond?: number;
  region: string;
  ivsEndpoint?: string;
  s3Endpoint?: string;
  s3ForcePathStyle: boolean;
  workflowBundlePath?: string;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const result = workerConfigSchema.safeParse(env);
  if (!result.success) {
    throw new Error(
      `Invalid worker configuration:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const e = result.data;
  if (e.NODE_ENV === 'production' && !e.SHOWRUNNER_WORKFLOW_BUNDLE) {
    throw new Error(
      'Invalid worker configuration:\n  - SHOWRUNNER_WORKFLOW_BUNDLE: required when NODE_ENV=production (build it with npm run build:workflows)',
    );
  }
  return {
    taskQueue: e.SHOWRUNNER_TASK_QUEUE,
    monitorTaskQueue: e.SHOWRUNNER_MONITOR_TASK_QUEUE ?? `${e.SHOWRUNNER_TASK_QUEUE}-monitor`,
    monitorActivitiesPerSecond: e.SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND,
    activitiesPerSecond: e.SHOWRUNNER_ACTIVITIES_PER_SECOND,
    region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
    ivsEndpoint: e.SHOWRUNNER_IVS_ENDPOINT,
    s3Endpoint: e.SHOWRUNNER_S3_ENDPOINT,
    s3ForcePathStyle: e.SHOWRUNNER_S3_FORCE_PATH_STYLE
      ? e.SHOWRUNNER_S3_FORCE_PATH_STYLE === 'true'
      : !!e.SHOWRUNNER_S3_ENDPOINT,
    workflowBundlePath: e.SHOWRUNNER_WORKFLOW_BUNDLE,
  };
}
