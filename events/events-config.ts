import { z } from 'zod';
import { fieldIssues, issueList } from '../contracts/issues';
import { isLoopbackHost } from '../security/loopback-host';
import { accountsJson } from '../worker/worker-config';

import type { AccountRole } from '../activities/aws-clients';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Settings of `npm run events` from the environment. Temporal's come from envconfig (TEMPORAL_*), AWS
 * credentials from the default chain; the IVS endpoint override and region are the worker's (worker-config.ts).
 */
export const eventsConfigSchema = z
  .object({
    SHOWRUNNER_EVENTS_PORT: z.coerce.number().int().min(0).max(65_535).default(8090),
    SHOWRUNNER_EVENTS_HOST: z.string().min(1).default('127.0.0.1'),
    /** Required unless the host is loopback (the emulator's webhooks carry no credentials). */
    SHOWRUNNER_EVENTS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** The header the EventBridge connection sends the token in; `authorization` means `Bearer <token>`. */
    SHOWRUNNER_EVENTS_AUTH_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
      .default('authorization'),
    AWS_REGION: z.string().min(1).optional(),
    AWS_DEFAULT_REGION: z.string().min(1).optional(),
    /** Emulator or other endpoint; real AWS when absent. */
    SHOWRUNNER_IVS_ENDPOINT: z.url().optional(),
    /** The regions whose resources are looked up, comma-separated; AWS_REGION by default. */
    SHOWRUNNER_EVENTS_REGIONS: z
      .string()
      .transform((text) => [...new Set(text.split(',').map((r) => r.trim()))])
      .pipe(z.array(z.string().regex(REGION, 'must be AWS regions separated by commas, e.g. us-east-1,eu-west-1')))
      .optional(),
    /** The worker's accounts and roles: events about their resources are looked up there. */
    SHOWRUNNER_AWS_ACCOUNTS: accountsJson.optional(),
    SHOWRUNNER_STS_ENDPOINT: z.url().optional(),
    /** At most one signal per show and event kind within this many milliseconds. */
    SHOWRUNNER_EVENTS_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  })
  .refine((e) => e.SHOWRUNNER_EVENTS_TOKEN !== undefined || isLoopbackHost(e.SHOWRUNNER_EVENTS_HOST), {
    path: ['SHOWRUNNER_EVENTS_TOKEN'],
    message: 'required when SHOWRUNNER_EVENTS_HOST is not a loopback address',
  });

export interface EventsConfig {
  port: number;
  host: string;
  token?: string;
  authHeader: string;
  /** Only for clients made before an event names its region; lookups use the region of the event's ARN. */
  defaultRegion: string;
  /** The only regions looked up. */
  regions: string[];
  accounts: Record<string, AccountRole>;
  stsEndpoint?: string;
  coalesceWindowMs: number;
  ivsEndpoint?: string;
}

export function loadEventsConfig(env: NodeJS.ProcessEnv = process.env): EventsConfig {
  const result = eventsConfigSchema.safeParse(env);
  if (!result.success) {
    throw new Error(
      issueList('Invalid events endpoint configuration', fieldIssues(result.error.issues, '(environment)')),
    );
  }
  const e = result.data;
  const defaultRegion = e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    port: e.SHOWRUNNER_EVENTS_PORT,
    host: e.SHOWRUNNER_EVENTS_HOST,
    token: e.SHOWRUNNER_EVENTS_TOKEN,
    authHeader: e.SHOWRUNNER_EVENTS_AUTH_HEADER,
    defaultRegion,
    regions: e.SHOWRUNNER_EVENTS_REGIONS ?? [defaultRegion],
    accounts: e.SHOWRUNNER_AWS_ACCOUNTS ?? {},
    stsEndpoint: e.SHOWRUNNER_STS_ENDPOINT,
    coalesceWindowMs: e.SHOWRUNNER_EVENTS_COALESCE_MS,
    ivsEndpoint: e.SHOWRUNNER_IVS_ENDPOINT,
  };
}
