import { z } from 'zod';
import { fieldIssues, issueList } from '../contracts/issues';
import { isLoopbackHost } from './loopback-host';

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
  return {
    port: e.SHOWRUNNER_EVENTS_PORT,
    host: e.SHOWRUNNER_EVENTS_HOST,
    token: e.SHOWRUNNER_EVENTS_TOKEN,
    authHeader: e.SHOWRUNNER_EVENTS_AUTH_HEADER,
    defaultRegion: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
    ivsEndpoint: e.SHOWRUNNER_IVS_ENDPOINT,
  };
}
