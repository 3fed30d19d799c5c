import { z } from 'zod';
import { fieldIssues, issueList } from '../contracts/issues';
import type { Caller } from './caller-auth';

/**
 * `SHOWRUNNER_AUDIENCE_CALLERS`: `name:token` pairs separated by commas. A token is at least 16 characters; names
 * are what logs and rate limits say. Only the name is ever echoed back in an error, never a token.
 */
const callersText = z.string().transform((text, ctx): Caller[] => {
  const callers: Caller[] = [];
  for (const [i, entry] of text.split(',').entries()) {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1).trim();
    if (colon < 1 || !/^[A-Za-z0-9_.-]{1,64}$/.test(name))
      ctx.addIssue({ code: 'custom', message: `entry ${i + 1} must be name:token (name: letters, digits, _ . -)` });
    else if (token.length < 16)
      ctx.addIssue({ code: 'custom', message: `the token of ${name} must be at least 16 characters` });
    else if (callers.some((c) => c.name === name))
      ctx.addIssue({ code: 'custom', message: `caller ${name} appears twice` });
    else callers.push({ name, token });
  }
  return callers;
});

export const tokenServiceConfigSchema = z.object({
  SHOWRUNNER_AUDIENCE_PORT: z.coerce.number().int().min(0).max(65_535).default(8091),
  SHOWRUNNER_AUDIENCE_HOST: z.string().min(1).default('127.0.0.1'),
  /** Required, also on loopback: a token is a ticket to a stage. */
  SHOWRUNNER_AUDIENCE_CALLERS: callersText,
  SHOWRUNNER_AUDIENCE_SIGNER_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
});

export interface TokenServiceConfig {
  port: number;
  host: string;
  callers: Caller[];
  signerTtlMs: number;
}

export function loadTokenServiceConfig(env: NodeJS.ProcessEnv = process.env): TokenServiceConfig {
  const result = tokenServiceConfigSchema.safeParse(env);
  if (!result.success)
    throw new Error(issueList('Invalid token service settings', fieldIssues(result.error.issues, '(environment)')));
  const e = result.data;
  return {
    port: e.SHOWRUNNER_AUDIENCE_PORT,
    host: e.SHOWRUNNER_AUDIENCE_HOST,
    callers: e.SHOWRUNNER_AUDIENCE_CALLERS,
    signerTtlMs: e.SHOWRUNNER_AUDIENCE_SIGNER_TTL_MS,
  };
}
