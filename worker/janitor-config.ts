import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { ensureJanitorSchedule, JANITOR_SCHEDULE_ID } from '../client/janitor-schedule';
import { fieldIssues, issueList } from '../contracts/issues';
import { parseDuration } from '../show-spec/durations';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const durationText = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a duration like "15m" or "PT1H" (got "${text}")` });
        return z.NEVER;
      }
      return ms;
    });

/**
 * The janitor Schedule a worker ensures at start-up (off unless SHOWRUNNER_JANITOR_SCHEDULE=true). Dry run unless
 * SHOWRUNNER_JANITOR_REMOVE=true: a first deployment only reports what it would remove, and an operator turns
 * removal on after reading a report.
 */
export const janitorConfigSchema = z.object({
  SHOWRUNNER_JANITOR_SCHEDULE: z.enum(['true', 'false']).default('false'),
  /** One janitor per deployment: deployments sharing a namespace give theirs distinct IDs. */
  SHOWRUNNER_JANITOR_SCHEDULE_ID: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]{0,199}$/, 'must be letters, digits, ".", "_" or "-"')
    .default(JANITOR_SCHEDULE_ID),
  /** Regions to sweep, comma-separated; the worker's region by default. */
  SHOWRUNNER_JANITOR_REGIONS: z
    .string()
    .transform((text) => [...new Set(text.split(',').map((r) => r.trim()))])
    .pipe(z.array(z.string().regex(REGION, 'must be AWS regions separated by commas, e.g. us-east-1,eu-west-1')))
    .optional(),
  SHOWRUNNER_JANITOR_INTERVAL: durationText('15m'),
  SHOWRUNNER_JANITOR_GRACE: durationText('1h'),
  SHOWRUNNER_JANITOR_REMOVE: z.enum(['true', 'false']).default('false'),
  SHOWRUNNER_JANITOR_MAX_REMOVALS: z.coerce.number().int().positive().optional(),
});

export interface JanitorConfig {
  scheduleId: string;
  regions: string[];
  intervalMs: number;
  gracePeriodMs: number;
  dryRun: boolean;
  maxRemovals?: number;
}

/** Undefined when this worker is not to ensure the janitor's Schedule. */
export function loadJanitorConfig(env: NodeJS.ProcessEnv, defaultRegion: string): JanitorConfig | undefined {
  const result = janitorConfigSchema.safeParse(env);
  if (!result.success)
    throw new Error(issueList('Invalid janitor configuration', fieldIssues(result.error.issues, '(environment)')));
  const e = result.data;
  if (e.SHOWRUNNER_JANITOR_SCHEDULE !== 'true') return undefined;
  return {
    scheduleId: e.SHOWRUNNER_JANITOR_SCHEDULE_ID,
    regions: e.SHOWRUNNER_JANITOR_REGIONS ?? [defaultRegion],
    intervalMs: e.SHOWRUNNER_JANITOR_INTERVAL,
    gracePeriodMs: e.SHOWRUNNER_JANITOR_GRACE,
    dryRun: e.SHOWRUNNER_JANITOR_REMOVE !== 'true',
    ...(e.SHOWRUNNER_JANITOR_MAX_REMOVALS !== undefined ? { maxRemovals: e.SHOWRUNNER_JANITOR_MAX_REMOVALS } : {}),
  };
}

/**
 * Creates or updates the janitor's Schedule when SHOWRUNNER_JANITOR_SCHEDULE=true; idempotent, so every worker of a
 * fleet may do it at every start. Returns the Schedule ID, or undefined when off.
 */
export async function ensureConfiguredJanitor(
  client: Client,
  taskQueue: string,
  defaultRegion: string,
  env: NodeJS.ProcessEnv = process.env,
  /** Whether the janitor's runs trace their workflow code: on when this worker exports spans. */
  workflowTracing = false,
): Promise<string | undefined> {
  const config = loadJanitorConfig(env, defaultRegion);
  if (!config) return undefined;
  await ensureJanitorSchedule(client, {
    scheduleId: config.scheduleId,
    taskQueue,
    interval: config.intervalMs,
    regions: config.regions,
    gracePeriodMs: config.gracePeriodMs,
    dryRun: config.dryRun,
    ...(config.maxRemovals !== undefined ? { maxRemovals: config.maxRemovals } : {}),
    workflowTracing,
  });
  return config.scheduleId;
}
