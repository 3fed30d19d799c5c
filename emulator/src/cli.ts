import { Command, InvalidArgumentError, Option } from 'commander';
import { quotasSchema, timingsSchema, type EmulatorConfigInput } from './config';
import { startEmulator } from './emulator';

/** `npm run emulator -- --port 4566`: every setting from a flag or its environment variable. */
function keyValue(allowed: string[]) {
  return (value: string, previous: Record<string, number> = {}) => {
    const m = /^([A-Za-z]+)=([0-9.]+)$/.exec(value);
    if (!m || !allowed.includes(m[1]!))
      throw new InvalidArgumentError(`expected NAME=NUMBER with NAME one of ${allowed.join(', ')}`);
    return { ...previous, [m[1]!]: Number(m[2]) };
  };
}

function credential(
  value: string,
  previous: { accessKeyId: string; secretAccessKey: string; accountId: string }[] = [],
) {
  const [accessKeyId, secretAccessKey, accountId] = value.split(':');
  if (!accessKeyId || !secretAccessKey || !accountId || !/^[0-9]{12}$/.test(accountId)) {
    throw new InvalidArgumentError('expected ACCESS_KEY_ID:SECRET_ACCESS_KEY:ACCOUNT_ID (account ID of 12 digits)');
  }
  return [...previous, { accessKeyId, secretAccessKey, accountId }];
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

const program = new Command()
  .name('ivs-emulator')
  .description(
    'Local Amazon IVS Real-Time emulator speaking the service wire protocol (restJson1, SigV4), with STS AssumeRole.',
  )
  .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1').env('IVS_EMULATOR_HOST'))
  .addOption(
    new Option('-p, --port <port>', 'port to listen on (0 picks a free one)')
      .default(4566)
      .argParser(number)
      .env('IVS_EMULATOR_PORT'),
  )
  .addOption(
    new Option('--s3-endpoint <url>', 'S3 server for recordings (recordings are not written without one)').env(
      'IVS_EMULATOR_S3_ENDPOINT',
    ),
  )
  .addOption(
    new Option('--s3-region <region>', 'region of the S3 server').default('us-east-1').env('IVS_EMULATOR_S3_REGION'),
  )
  .addOption(
    new Option('--s3-access-key-id <id>', 'S3 access key').default('test').env('IVS_EMULATOR_S3_ACCESS_KEY_ID'),
  )
  .addOption(
    new Option('--s3-secret-access-key <secret>', 'S3 secret key')
      .default('test')
      .env('IVS_EMULATOR_S3_SECRET_ACCESS_KEY'),
  )
  .addOption(
    new Option(
      '--credential <AKID:SECRET:ACCOUNT>',
      'accepted credential (repeatable; default test:test:123456789012)',
    ).argParser(credential),
  )
  .addOption(
    new Option(
      '--assumable-role <arn>',
      'a role ARN STS AssumeRole grants, * matching any characters (repeatable; default every role)',
    ).argParser((value: string, previous: string[] = []) => [...previous, value]),
  )
  .addOption(
    new Option(
      '--no-verify-signatures',
      'accept unsigned requests (account and region still come from the Authorization header)',
    ).env('IVS_EMULATOR_NO_SIGV4'),
  )
  .addOption(
    new Option('--no-rate-limits', 'do not throttle at the documented per-operation rates').env(
      'IVS_EMULATOR_NO_RATE_LIMITS',
    ),
  )
  .addOption(
    new Option('--clock-scale <n>', 'emulated milliseconds per real millisecond (60 = a minute a second)')
      .default(1)
      .argParser(number)
      .env('IVS_EMULATOR_CLOCK_SCALE'),
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
    new Option('--log-requests', 'log one line per API request (never bodies)').env('IVS_EMULATOR_LOG_REQUESTS'),
  );

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<{
    host: string;
    port: number;
    s3Endpoint?: string;
    s3Region: string;
    s3AccessKeyId: string;
    s3SecretAccessKey: string;
    credential?: EmulatorConfigInput['credentials'];
    assumableRole?: string[];
    verifySignatures: boolean;
    rateLimits: boolean;
    clockScale: number;
    quota?: Record<string, number>;
    timing?: Record<string, number>;
    logRequests?: boolean;
  }>();
  const emulator = await startEmulator({
    host: o.host,
    port: o.port,
    s3: o.s3Endpoint
      ? {
          endpoint: o.s3Endpoint,
          region: o.s3Region,
          accessKeyId: o.s3AccessKeyId,
          secretAccessKey: o.s3SecretAccessKey,
        }
      : undefined,
    credentials: o.credential,
    assumableRoles: o.assumableRole,
    verifySignatures: o.verifySignatures,
    rateLimits: o.rateLimits,
    clockScale: o.clockScale,
    quotas: o.quota,
    timings: o.timing,
    logRequests: o.logRequests ?? false,
  });
  console.log(
    `IVS Real-Time emulator listening on ${emulator.endpoint} (control API ${emulator.endpoint}/_emulator, clock x${o.clockScale}, SigV4 ${o.verifySignatures ? 'verified' : 'not verified'}, rate limits ${o.rateLimits ? 'on' : 'off'}, recordings ${o.s3Endpoint ? `to ${o.s3Endpoint}` : 'off (no S3 server)'})`,
  );
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  console.error(`ivs-emulator: ${(e as Error).message}`);
  process.exit(1);
});
