import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { jwksUrlProblem } from './codec-auth';

/**
 * Settings of the codec server (`npm run codec-server`), from SHOWRUNNER_CODEC_* variables and two flags. The key
 * ring comes from the same variables as the worker's (see encryption-keys.ts).
 *
 * Errors name the variable and the broken rule, never a token: they end up in container logs.
 */
export const CODEC_ENV = {
  tokens: 'SHOWRUNNER_CODEC_TOKENS',
  tokenFile: 'SHOWRUNNER_CODEC_TOKEN_FILE',
  corsOrigins: 'SHOWRUNNER_CODEC_CORS_ORIGINS',
  corsAllowCredentials: 'SHOWRUNNER_CODEC_CORS_ALLOW_CREDENTIALS',
  host: 'SHOWRUNNER_CODEC_HOST',
  port: 'SHOWRUNNER_CODEC_PORT',
  maxBodyBytes: 'SHOWRUNNER_CODEC_MAX_BODY_BYTES',
  jwtJwksUrl: 'SHOWRUNNER_CODEC_JWT_JWKS_URL',
  jwtIssuer: 'SHOWRUNNER_CODEC_JWT_ISSUER',
  jwtAudience: 'SHOWRUNNER_CODEC_JWT_AUDIENCE',
} as const;

export const DEFAULT_CODEC_PORT = 8888;
/** Loopback by default: whoever reaches the port can ask for plaintext, so exposing it must be a decision. */
export const DEFAULT_CODEC_HOST = '127.0.0.1';
/** Temporal rejects payloads over 2 MB; a request carries the payloads of one event or a few, base64-inflated. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Long enough that guessing is hopeless (`openssl rand -base64 32` gives 44); printable ASCII, no commas/spaces. */
export const MIN_TOKEN_LENGTH = 16;
const TOKEN = /^[\x21-\x2b\x2d-\x7e]+$/;

export interface CodecServerConfig {
  /** Empty only when `jwt` is set. */
  tokens: string[];
  jwt?: { jwksUrl: string; issuer: string; audience: string };
  corsOrigins: string[];
  corsAllowCredentials: boolean;
  host: string;
  port: number;
  maxBodyBytes: number;
}

export class CodecServerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecServerConfigError';
  }
}

const tokenList = z.array(z.string()).superRefine((tokens, ctx) => {
  if (tokens.length === 0) ctx.addIssue({ code: 'custom', message: 'no tokens given' });
  tokens.forEach((token, index) => {
    // Only the position is reported: the token itself is a secret.
    if (token.length < MIN_TOKEN_LENGTH)
      ctx.addIssue({ code: 'custom', message: `token ${index + 1} is shorter than ${MIN_TOKEN_LENGTH} characters` });
    if (!TOKEN.test(token))
      ctx.addIssue({
        code: 'custom',
        message: `token ${index + 1} may only hold printable ASCII without spaces or commas`,
      });
  });
});

const origin = z.string().refine(
  (value) => {
    try {
      // An origin is scheme://host[:port] exactly: a path or trailing slash would never match the Origin header.
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  },
  { message: 'must be an origin like https://temporal-ui.example.com (scheme, host, optional port; no path)' },
);

const schema = z.object({
  [CODEC_ENV.corsOrigins]: z.array(origin).default([]),
  [CODEC_ENV.corsAllowCredentials]: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  [CODEC_ENV.host]: z.string().min(1).default(DEFAULT_CODEC_HOST),
  [CODEC_ENV.port]: z.coerce
    .number({ message: 'must be a port number' })
    .int({ message: 'must be an integer port number' })
    .min(0, { message: 'must be between 0 and 65535' })
    .max(65535, { message: 'must be between 0 and 65535' })
    .default(DEFAULT_CODEC_PORT),
  [CODEC_ENV.jwtJwksUrl]: z
    .string()
    .superRefine((value, ctx) => {
      const problem = jwksUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  [CODEC_ENV.jwtIssuer]: z.string().min(1).optional(),
  [CODEC_ENV.jwtAudience]: z.string().min(1).optional(),
  [CODEC_ENV.maxBodyBytes]: z.coerce
    .number({ message: 'must be a number of bytes' })
    .int({ message: 'must be a whole number of bytes' })
    .min(1024, { message: 'must be at least 1024 bytes' })
    .default(DEFAULT_MAX_BODY_BYTES),
});

const list = (value: string | undefined) =>
  value === undefined || value.trim() === ''
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');

/** One token per line; blank lines and lines starting with `#` are skipped (a token may contain `#`). */
function tokenFileEntries(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function loadTokens(env: NodeJS.ProcessEnv, jwtConfigured: boolean): { tokens: string[]; source: string } {
  const inline = env[CODEC_ENV.tokens]?.trim() || undefined;
  const file = env[CODEC_ENV.tokenFile]?.trim() || undefined;
  if (inline !== undefined && file !== undefined) {
    throw new CodecServerConfigError(`Set only one of ${CODEC_ENV.tokens} and ${CODEC_ENV.tokenFile}, not both`);
  }
  if (inline !== undefined) return { tokens: list(inline) ?? [], source: CODEC_ENV.tokens };
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new CodecServerConfigError(`${CODEC_ENV.tokenFile}: cannot read ${file}: ${reason}`);
    }
    return { tokens: tokenFileEntries(text), source: `${CODEC_ENV.tokenFile} (${file})` };
  }
  if (jwtConfigured) return { tokens: [], source: CODEC_ENV.tokens };
  throw new CodecServerConfigError(
    `No codec server tokens: set ${CODEC_ENV.tokens} (comma separated) or ${CODEC_ENV.tokenFile} (one per line), ` +
      `which clients send as "Authorization: Bearer <token>", and/or ${CODEC_ENV.jwtJwksUrl} with ` +
      `${CODEC_ENV.jwtIssuer} and ${CODEC_ENV.jwtAudience} to accept operators' OIDC access tokens`,
  );
}

/** Command-line values win over their variables; errors then name both. */
export interface CodecServerFlags {
  host?: string;
  port?: string;
}

export function loadCodecServerConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: CodecServerFlags = {},
): CodecServerConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  const jwtVars = [CODEC_ENV.jwtJwksUrl, CODEC_ENV.jwtIssuer, CODEC_ENV.jwtAudience];
  const jwtGiven = jwtVars.filter((name) => value(name) !== undefined);
  const { tokens, source } = loadTokens(env, jwtGiven.length > 0);
  const problems: string[] = [];
  // An empty list is fine next to a JWT issuer (loadTokens already refused it otherwise).
  if (tokens.length > 0 || jwtGiven.length === 0) {
    const tokenResult = tokenList.safeParse(tokens);
    if (!tokenResult.success) problems.push(...tokenResult.error.issues.map((i) => `${source}: ${i.message}`));
  }
  // Half a JWT setup would accept tokens from any issuer or for any audience: all three or none.
  if (jwtGiven.length > 0 && jwtGiven.length < jwtVars.length) {
    const missing = jwtVars.filter((name) => !jwtGiven.includes(name));
    problems.push(`${missing.join(', ')}: required together with ${jwtGiven.join(', ')}`);
  }

  const label: Record<string, string> = {
    [CODEC_ENV.host]: flags.host !== undefined ? `--host (over ${CODEC_ENV.host})` : CODEC_ENV.host,
    [CODEC_ENV.port]: flags.port !== undefined ? `--port (over ${CODEC_ENV.port})` : CODEC_ENV.port,
  };
  const result = schema.safeParse({
    [CODEC_ENV.corsOrigins]: list(env[CODEC_ENV.corsOrigins]),
    [CODEC_ENV.corsAllowCredentials]: value(CODEC_ENV.corsAllowCredentials),
    [CODEC_ENV.host]: flags.host ?? value(CODEC_ENV.host),
    [CODEC_ENV.port]: flags.port ?? value(CODEC_ENV.port),
    [CODEC_ENV.jwtJwksUrl]: value(CODEC_ENV.jwtJwksUrl),
    [CODEC_ENV.jwtIssuer]: value(CODEC_ENV.jwtIssuer),
    [CODEC_ENV.jwtAudience]: value(CODEC_ENV.jwtAudience),
    [CODEC_ENV.maxBodyBytes]: value(CODEC_ENV.maxBodyBytes),
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [variable, ...rest] = issue.path.map(String);
      const where = rest.length > 0 ? ` entry ${Number(rest[0]) + 1}` : '';
      problems.push(`${label[variable!] ?? variable}${where}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) {
    throw new CodecServerConfigError(
      `Invalid codec server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  const e = result.data;
  const jwksUrl = e[CODEC_ENV.jwtJwksUrl];
  const issuer = e[CODEC_ENV.jwtIssuer];
  const audience = e[CODEC_ENV.jwtAudience];
  return {
    tokens,
    ...(jwksUrl && issuer && audience ? { jwt: { jwksUrl, issuer, audience } } : {}),
    corsOrigins: e[CODEC_ENV.corsOrigins],
    corsAllowCredentials: e[CODEC_ENV.corsAllowCredentials],
    host: e[CODEC_ENV.host],
    port: e[CODEC_ENV.port],
    maxBodyBytes: e[CODEC_ENV.maxBodyBytes],
  };
}
