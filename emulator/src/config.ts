import { z } from 'zod';
import { DEFAULT_CREDENTIALS } from './auth/credentials';

/**
 * Service quotas, as the IVS Real-Time service-quotas page documents them. All adjustable here so tests can
 * reach a limit without creating a thousand stages.
 */
export const quotasSchema = z
  .object({
    stagesPerRegion: z.number().int().positive().default(1000),
    compositionsPerAccount: z.number().int().positive().default(20),
    compositionsPerStage: z.number().int().positive().default(5),
    publishersPerStage: z.number().int().positive().default(12),
    concurrentPublishersPerRegion: z.number().int().positive().default(1000),
    ingestConfigurationsPerRegion: z.number().int().positive().default(100),
    encoderConfigurationsPerRegion: z.number().int().positive().default(20),
    storageConfigurationsPerRegion: z.number().int().positive().default(5),
    publicKeysPerRegion: z.number().int().positive().default(100),
  })
  .strict();

/** Durations of the service's state machines, in emulated milliseconds. */
export const timingsSchema = z
  .object({
    compositionStartMs: z.number().nonnegative().default(3_000),
    compositionStopMs: z.number().nonnegative().default(2_000),
    /** Composition stops this long after the last participant left. */
    idleStopAfterLastLeftMs: z.number().nonnegative().default(60_000),
    /** Composition stops this long after start when nobody is in the stage. */
    idleStopWithoutParticipantsMs: z.number().nonnegative().default(60_000),
    /** STOPPED and FAILED compositions disappear (404) after this long. */
    compositionPurgeMs: z
      .number()
      .nonnegative()
      .default(5 * 60_000),
    /** How long a destination stays RECONNECTING before it is FAILED, unless it recovers. */
    destinationReconnectWindowMs: z.number().nonnegative().default(60_000),
    compositionMaxDurationMs: z
      .number()
      .positive()
      .default(24 * 60 * 60_000),
    /**
     * Publishes shorter than this are not recorded (IVS documents about 5 s): a recording starts only once the publisher
     * has published this long, dated from the publish start.
     */
    minimumRecordedPublishMs: z.number().nonnegative().default(0),
    /** Idempotency tokens of StartComposition are remembered this long. */
    idempotencyWindowMs: z
      .number()
      .positive()
      .default(60 * 60_000),
  })
  .strict();

export const s3ConfigSchema = z.object({
  endpoint: z.url(),
  region: z.string().min(1).default('us-east-1'),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  forcePathStyle: z.boolean().default(true),
});

const credentialSchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  accountId: z.string().regex(/^[0-9]{12}$/),
});

const baseConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  s3: s3ConfigSchema.optional(),
  /** Accepted key pairs and their accounts; absent: `test` / `test` as 123456789012. */
  credentials: z.array(credentialSchema).min(1).optional(),
  /**
   * Any access key of 12 digits, with the secret `test`, acts as that account. A convenience for tests of many
   * accounts, and a way around configured credentials: on by default only when no credentials are configured.
   */
  accountKeyShortcut: z.boolean().optional(),
  /**
   * Role ARNs STS AssumeRole grants (`*` matches any run of characters); absent, every well-formed role ARN is
   * assumable, as the emulator has no trust policies.
   */
  assumableRoles: z.array(z.string().min(1)).optional(),
  verifySignatures: z.boolean().default(true),
  rateLimits: z.boolean().default(true),
  clockScale: z.number().positive().max(1_000_000).default(1),
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  quotas: quotasSchema.prefault({}),
  timings: timingsSchema.prefault({}),
  logRequests: z.boolean().default(false),
  /**
   * Check every API answer against the model: response bodies against their output shapes, errors against each
   * operation's error list. A failure answers 500 and is kept for `selfCheckFailures()`. For test suites.
   */
  selfCheck: z.boolean().default(false),
  /**
   * Real ms a client has to send a whole request (headers within min(10 s, this)) before the server drops it, so slow
   * or stuck clients cannot tie connections up.
   */
  requestTimeoutMs: z.number().int().positive().default(30_000),
  /** Serve the simulation and control API under /_emulator at all. */
  controlApi: z.boolean().default(true),
  /** When set, every control API request must carry `Authorization: Bearer <token>`. */
  controlToken: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Host names (besides loopback addresses and `localhost`) the control API answers to, e.g. a container's service
   * name. Other Host headers are refused, which stops DNS-rebinding pages from driving the emulator.
   */
  controlHosts: z.array(z.string().min(1)).default([]),
});

/** The shortcut defaults to on exactly when the caller configured no credentials of its own. */
export const emulatorConfigSchema = baseConfigSchema.transform(({ credentials, accountKeyShortcut, ...rest }) => ({
  ...rest,
  credentials: credentials ?? DEFAULT_CREDENTIALS,
  accountKeyShortcut: accountKeyShortcut ?? credentials === undefined,
}));

export type EmulatorConfigInput = z.input<typeof emulatorConfigSchema>;
export type EmulatorConfig = z.output<typeof emulatorConfigSchema>;
export type Quotas = z.output<typeof quotasSchema>;
export type Timings = z.output<typeof timingsSchema>;

export function parseEmulatorConfig(input: EmulatorConfigInput = {}): EmulatorConfig {
  const result = emulatorConfigSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid emulator configuration: ${issues}`);
  }
  return result.data;
}
