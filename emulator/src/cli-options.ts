import fs from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { quotasSchema, timingsSchema, type EmulatorConfigInput } from './config';

/**
 * `npm run emulator` settings from flags and environment variables; flags win. The environment is parsed with zod
 * rather than by commander, whose `.env()` turns a boolean switch on for any value at all (IVS_EMULATOR_NO_SIGV4=false
 * would have turned signature checks off): booleans here are true/1/yes/on or false/0/no/off, anything else is an
 * error naming the variable. Secrets (credentials, the control token, the S3 secret) can come from the environment or
 * a file instead of the command line, where every local user can read them in the process list.
 */
type Credential = { accessKeyId: string; secretAccessKey: string; accountId: string };

function parseCredential(value: string): Credential {
  const [accessKeyId, secretAccessKey, accountId, ...rest] = value.trim().split(':');
  if (!accessKeyId || !secretAccessKey || !accountId || rest.length > 0 || !/^[0-9]{12}$/.test(accountId)) {
    throw new InvalidArgumentError('expected ACCESS_KEY_ID:SECRET_ACCESS_KEY:ACCOUNT_ID (account ID of 12 digits)');
  }
  return { accessKeyId, secretAccessKey, accountId };
}

/** Credentials separated by commas or newlines (a file may hold one per line; `#` starts a comment line). */
function parseCredentialList(text: string): Credential[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseCredential);
}

const readSecretFile = (file: string) => fs.readFileSync(file, 'utf8').trim();

const flag = z.stringbool().optional();
const number = z.coerce.number().refine(Number.isFinite, 'must be a number').optional();

/** Every environment variable the emulator reads, validated at once. */
export const environmentSchema = z.object({
  IVS_EMULATOR_HOST: z.string().min(1).optional(),
  IVS_EMULATOR_PORT: number,
  IVS_EMULATOR_S3_ENDPOINT: z.url().optional(),
  IVS_EMULATOR_S3_REGION: z.string().min(1).optional(),
  IVS_EMULATOR_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  IVS_EMULATOR_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  IVS_EMULATOR_S3_SECRET_ACCESS_KEY_FILE: z.string().min(1).optional(),
  IVS_EMULATOR_CREDENTIALS: z.string().min(1).optional(),
  IVS_EMULATOR_CREDENTIALS_FILE: z.string().min(1).optional(),
  IVS_EMULATOR_ACCOUNT_KEY_SHORTCUT: flag,
  IVS_EMULATOR_NO_SIGV4: flag,
  IVS_EMULATOR_NO_RATE_LIMITS: flag,
  IVS_EMULATOR_CLOCK_SCALE: number,
  IVS_EMULATOR_LOG_REQUESTS: flag,
  IVS_EMULATOR_NO_CONTROL_API: flag,
  IVS_EMULATOR_CONTROL_TOKEN: z.string().min(1).optional(),
  IVS_EMULATOR_CONTROL_TOKEN_FILE: z.string().min(1).optional(),
  IVS_EMULATOR_CONTROL_HOSTS: z.string().min(1).optional(),
});

function keyValue(allowed: string[]) {
  return (value: string, previous: Record<string, number> = {}) => {
    const m = /^([A-Za-z]+)=([0-9.]+)$/.exec(value);
    if (!m || !allowed.includes(m[1]!))
      throw new InvalidArgumentError(`expected NAME=NUMBER with NAME one of ${allowed.join(', ')}`);
    return { ...previous, [m[1]!]: Number(m[2]) };
  };
}

function numberArg(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** What the command line asks for: the emulator's configuration, and whether to print help and stop. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): EmulatorConfigInput {
  const parsedEnv = environmentSchema.safeParse(env);
  if (!parsedEnv.success) {
    const issues = parsedEnv.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${issues}`);
  }
  const e = parsedEnv.data;
  const program = new Command()
    .name('ivs-emulator')
    .description(
      'Local Amazon IVS Real-Time emulator speaking the service wire protocol (restJson1, SigV4), with STS AssumeRole.',
    )
    .exitOverride()
    .addOption(
      new Option('--host <host>', 'address to listen on (IVS_EMULATOR_HOST)').default(
        e.IVS_EMULATOR_HOST ?? '127.0.0.1',
      ),
    )
    .addOption(
      new Option('-p, --port <port>', 'port to listen on, 0 picks a free one (IVS_EMULATOR_PORT)')
        .default(e.IVS_EMULATOR_PORT ?? 4566)
        .argParser(numberArg),
    )
    .addOption(
      new Option('--s3-endpoint <url>', 'S3 server for recordings (IVS_EMULATOR_S3_ENDPOINT)').default(
        e.IVS_EMULATOR_S3_ENDPOINT,
      ),
    )
    .addOption(
      new Option('--s3-region <region>', 'region of the S3 server').default(e.IVS_EMULATOR_S3_REGION ?? 'us-east-1'),
    )
    .addOption(
      new Option('--s3-access-key-id <id>', 'S3 access key').default(e.IVS_EMULATOR_S3_ACCESS_KEY_ID ?? 'test'),
    )
    .addOption(
      new Option(
        '--s3-secret-access-key-file <file>',
        'file holding the S3 secret key (IVS_EMULATOR_S3_SECRET_ACCESS_KEY[_FILE])',
      ),
    )
    .addOption(
      new Option(
        '--credential <AKID:SECRET:ACCOUNT>',
        'accepted credential, repeatable (default test:test:123456789012); prefer IVS_EMULATOR_CREDENTIALS or --credentials-file, which keep the secret out of the process list',
      ).argParser((value: string, previous: Credential[] = []) => [...previous, parseCredential(value)]),
    )
    .addOption(
      new Option('--credentials-file <file>', 'file of AKID:SECRET:ACCOUNT lines (IVS_EMULATOR_CREDENTIALS_FILE)'),
    )
    .addOption(
      new Option(
        '--account-key-shortcut',
        'any 12-digit access key with secret "test" acts as that account (default: on only without configured credentials)',
      ),
    )
    .addOption(new Option('--no-account-key-shortcut', 'turn the 12-digit access key shortcut off'))
    .addOption(
      new Option(
        '--assumable-role <arn>',
        'a role ARN STS AssumeRole grants, * matching any characters (repeatable)',
      ).argParser(collect),
    )
    .addOption(
      new Option('--no-verify-signatures', 'accept unsigned requests (IVS_EMULATOR_NO_SIGV4=true)').default(
        !(e.IVS_EMULATOR_NO_SIGV4 ?? false),
      ),
    )
    .addOption(
      new Option(
        '--no-rate-limits',
        'do not throttle at the documented rates (IVS_EMULATOR_NO_RATE_LIMITS=true)',
      ).default(!(e.IVS_EMULATOR_NO_RATE_LIMITS ?? false)),
    )
    .addOption(
      new Option('--clock-scale <n>', 'emulated milliseconds per real millisecond (IVS_EMULATOR_CLOCK_SCALE)')
        .default(e.IVS_EMULATOR_CLOCK_SCALE ?? 1)
        .argParser(numberArg),
    )
    .addOption(
      new Option('--quota <name=value>', 'override a quota (repeatable)').argParser(
        keyValue(Object.keys(quotasSchema.shape)),
      ),
    )
    .addOption(
      new Option('--timing <name=ms>', 'override a state-machine duration in emulated ms (repeatable)').argParser(
        keyValue(Object.keys(timingsSchema.shape)),
      ),
    )
    .addOption(
      new Option(
        '--log-requests',
        'log one line per API request, never bodies (IVS_EMULATOR_LOG_REQUESTS=true)',
      ).default(e.IVS_EMULATOR_LOG_REQUESTS ?? false),
    )
    .addOption(
      new Option('--no-control-api', 'serve no /_emulator control API (IVS_EMULATOR_NO_CONTROL_API=true)').default(
        !(e.IVS_EMULATOR_NO_CONTROL_API ?? false),
      ),
    )
    .addOption(
      new Option(
        '--control-token <token>',
        'bearer token the control API requires; prefer IVS_EMULATOR_CONTROL_TOKEN or --control-token-file, which keep it out of the process list',
      ),
    )
    .addOption(
      new Option(
        '--control-token-file <file>',
        'file holding the bearer token the control API requires (IVS_EMULATOR_CONTROL_TOKEN[_FILE])',
      ),
    )
    .addOption(
      new Option(
        '--control-host <name>',
        'a Host name the control API answers to besides loopback (repeatable)',
      ).argParser(collect),
    );
  program.parse(argv, { from: 'user' });
  const o = program.opts<{
    host: string;
    port: number;
    s3Endpoint?: string;
    s3Region: string;
    s3AccessKeyId: string;
    s3SecretAccessKeyFile?: string;
    credential?: Credential[];
    credentialsFile?: string;
    accountKeyShortcut?: boolean;
    assumableRole?: string[];
    verifySignatures: boolean;
    rateLimits: boolean;
    clockScale: number;
    quota?: Record<string, number>;
    timing?: Record<string, number>;
    logRequests: boolean;
    controlApi: boolean;
    controlToken?: string;
    controlTokenFile?: string;
    controlHost?: string[];
  }>();

  const credentialsFile = o.credentialsFile ?? e.IVS_EMULATOR_CREDENTIALS_FILE;
  const credentials =
    o.credential ??
    (credentialsFile !== undefined
      ? parseCredentialList(fs.readFileSync(credentialsFile, 'utf8'))
      : e.IVS_EMULATOR_CREDENTIALS !== undefined
        ? parseCredentialList(e.IVS_EMULATOR_CREDENTIALS)
        : undefined);
  const s3SecretFile = o.s3SecretAccessKeyFile ?? e.IVS_EMULATOR_S3_SECRET_ACCESS_KEY_FILE;
  const controlTokenFile = o.controlTokenFile ?? e.IVS_EMULATOR_CONTROL_TOKEN_FILE;
  return {
    host: o.host,
    port: o.port,
    s3: o.s3Endpoint
      ? {
          endpoint: o.s3Endpoint,
          region: o.s3Region,
          accessKeyId: o.s3AccessKeyId,
          secretAccessKey:
            s3SecretFile !== undefined ? readSecretFile(s3SecretFile) : (e.IVS_EMULATOR_S3_SECRET_ACCESS_KEY ?? 'test'),
        }
      : undefined,
    credentials,
    accountKeyShortcut: o.accountKeyShortcut ?? e.IVS_EMULATOR_ACCOUNT_KEY_SHORTCUT,
    assumableRoles: o.assumableRole,
    verifySignatures: o.verifySignatures,
    rateLimits: o.rateLimits,
    clockScale: o.clockScale,
    quotas: o.quota,
    timings: o.timing,
    logRequests: o.logRequests,
    controlApi: o.controlApi,
    controlToken:
      o.controlToken ??
      (controlTokenFile !== undefined ? readSecretFile(controlTokenFile) : e.IVS_EMULATOR_CONTROL_TOKEN),
    controlHosts: [
      ...(o.controlHost ?? []),
      ...(e.IVS_EMULATOR_CONTROL_HOSTS?.split(',')
        .map((h) => h.trim())
        .filter(Boolean) ?? []),
    ],
  };
}
