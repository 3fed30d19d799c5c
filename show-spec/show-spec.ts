import { z } from 'zod';
import { ACCOUNT_ID_PATTERN, ivsArnPattern, ivsArnShape, REGION_PATTERN, type IvsResourceType } from '../contracts/arn';
import { SHOW_ID_MAX_LENGTH, SHOW_ID_PATTERN } from '../contracts/ids';
import { bucketNameProblem } from '../contracts/show-spec-check';
import { AUDIENCE } from '../contracts/audience';
import { ATTRIBUTES, attributesFit, CAPABILITIES, TOKEN_MINUTES, USER_ID_MAX_LENGTH } from '../contracts/participants';
import { COMPOSITION_LIMIT, SHOW_MAX_MS, SHOW_TOO_LONG } from '../contracts/show-rules';
import { RESERVED_TAG_PREFIXES } from '../contracts/tags';
import { duration } from './durations';
import { ENCODER_PRESETS, type EncoderPreset } from './encoder-presets';

export { ENCODER_PRESETS, type EncoderPreset };

/**
 * A show, as its owner writes it (YAML or JSON). This schema is the single source of truth: the TypeScript
 * types are derived from it, defaults are filled here, and every rule an IVS call would otherwise reject later
 * is checked here first, so a bad spec fails before anything is created.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const slug = z
  .string()
  .min(1)
  .max(SHOW_ID_MAX_LENGTH)
  .regex(SHOW_ID_PATTERN, 'must be a slug: lowercase letters, digits and inner hyphens');

/** In any partition (aws, aws-cn, aws-us-gov); the message shows the commercial one. */
const arn = (type: IvsResourceType) =>
  z.string().regex(ivsArnPattern(type), `must be an IVS ${type} ARN (${ivsArnShape(type)})`);

/** The same rules the show workflow checks again (contracts/show-spec-check.ts). */
const bucketName = z.string().check((ctx) => {
  const problem = bucketNameProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

const tags = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((t) => Object.keys(t).length <= 40, 'at most 40 tags (Showrunner adds its own, IVS allows 50)')
  .refine(
    (t) => Object.keys(t).every((k) => !RESERVED_TAG_PREFIXES.some((prefix) => k.toLowerCase().startsWith(prefix))),
    `tag keys starting with ${RESERVED_TAG_PREFIXES.join(' or ')} are reserved`,
  )
  .default({});

/** Participant attributes travel in tokens: IVS allows 1 KB in total. */
const attributes = z
  .record(z.string().min(1).max(ATTRIBUTES.keyMaxLength), z.string())
  .refine(attributesFit, ATTRIBUTES.tooLarge)
  .default({});

const capability = z.enum(CAPABILITIES);
const thumbnailStorage = z
  .array(z.enum(['SEQUENTIAL', 'LATEST']))
  .min(1)
  .max(2);

export const participantSchema = z
  .object({
    userId: z.string().min(1).max(USER_ID_MAX_LENGTH),
    role: z.enum(['host', 'guest']).default('guest'),
    attributes,
    capabilities: z
      .array(capability)
      .min(1)
      .max(CAPABILITIES.length)
      .default([...CAPABILITIES]),
    /** IVS takes whole minutes. */
    tokenDuration: duration({ min: TOKEN_MINUTES.min * MINUTE, max: TOKEN_MINUTES.max * MINUTE })
      .refine((ms) => ms % MINUTE === 0, 'must be a whole number of minutes')
      .default(TOKEN_MINUTES.default * MINUTE),
  })
  .strict();

export const ingestSchema = z
  .object({
    enabled: z.boolean().default(true),
    protocol: z.enum(['RTMPS', 'RTMP']).default('RTMPS'),
    allowInsecure: z.boolean().default(false),
    userId: z.string().max(USER_ID_MAX_LENGTH).optional(),
    name: z
      .string()
      .max(128)
      .regex(/^[a-zA-Z0-9-_]*$/, 'must use only letters, digits, - and _')
      .optional(),
    attributes,
  })
  .strict()
  .refine((i) => i.protocol !== 'RTMP' || i.allowInsecure, {
    message: 'RTMP ingest is unencrypted: set allowInsecure: true to use it, or use RTMPS',
    path: ['protocol'],
  });

const gridLayout = z
  .object({
    type: z.literal('grid'),
    featuredParticipantAttribute: z.string().max(128).optional(),
    participantOrderAttribute: z.string().max(128).optional(),
    omitStoppedVideo: z.boolean().optional(),
    videoAspectRatio: z.enum(['AUTO', 'VIDEO', 'SQUARE', 'PORTRAIT']).optional(),
    videoFillMode: z.enum(['FILL', 'COVER', 'CONTAIN']).optional(),
    gridGap: z.number().int().min(0).optional(),
  })
  .strict();

const pipLayout = z
  .object({
    type: z.literal('pip'),
    featuredParticipantAttribute: z.string().max(128).optional(),
    participantOrderAttribute: z.string().max(128).optional(),
    pipParticipantAttribute: z.string().max(128).optional(),
    omitStoppedVideo: z.boolean().optional(),
    videoFillMode: z.enum(['FILL', 'COVER', 'CONTAIN']).optional(),
    gridGap: z.number().int().min(0).optional(),
    pipBehavior: z.enum(['STATIC', 'DYNAMIC']).optional(),
    pipOffset: z.number().int().min(0).optional(),
    pipPosition: z.enum(['TOP_LEFT', 'TOP_RIGHT', 'BOTTOM_LEFT', 'BOTTOM_RIGHT']).optional(),
    pipWidth: z.number().int().min(1).optional(),
    pipHeight: z.number().int().min(1).optional(),
  })
  .strict();

const encoderRef = z.union([
  z.object({ arn: arn('encoder-configuration') }).strict(),
  z.object({ preset: z.enum(Object.keys(ENCODER_PRESETS) as [EncoderPreset, ...EncoderPreset[]]) }).strict(),
]);

/** Either an existing storage configuration, or a bucket for which the show ensures a shared one. */
const storageFields = {
  storageConfigurationArn: arn('storage-configuration').optional(),
  bucket: bucketName.optional(),
};
const hasOneStorage = (r: { storageConfigurationArn?: string; bucket?: string }) =>
  (r.storageConfigurationArn === undefined) !== (r.bucket === undefined);
const oneStorageMessage = { message: 'give exactly one of storageConfigurationArn or bucket', path: ['bucket'] };
const storageRef = z.object(storageFields).strict().refine(hasOneStorage, oneStorageMessage);

const thumbnailsSchema = z
  .object({
    intervalSeconds: z.number().int().min(1).max(86_400).default(60),
    storage: thumbnailStorage.default(['SEQUENTIAL']),
  })
  .strict();

export const compositionSchema = z
  .object({
    enabled: z.boolean().default(true),
    channelArn: arn('channel').optional(),
    layout: z.discriminatedUnion('type', [gridLayout, pipLayout]).default({ type: 'grid' }),
    encoder: encoderRef.default({ preset: 'hd-720p30' }),
    recording: z
      .object({
        ...storageFields,
        hlsSegmentSeconds: z.number().int().min(2).max(10).default(2),
        thumbnails: thumbnailsSchema.optional(),
      })
      .strict()
      .refine(hasOneStorage, oneStorageMessage)
      .optional(),
  })
  .strict()
  .refine((c) => !c.enabled || c.channelArn !== undefined || c.recording !== undefined, {
    message: 'an enabled composition needs a channelArn, a recording destination, or both',
    path: ['channelArn'],
  });

export const individualRecordingSchema = z
  .object({
    enabled: z.boolean().default(true),
    storage: storageRef,
    mediaType: z.enum(['AUDIO_VIDEO', 'AUDIO_ONLY', 'NONE']).default('AUDIO_VIDEO'),
    hlsSegmentSeconds: z.number().int().min(2).max(10).default(6),
    thumbnails: z
      .object({
        intervalSeconds: z.number().int().min(1).max(86_400).default(60),
        storage: thumbnailStorage.default(['SEQUENTIAL']),
      })
      .strict()
      .optional(),
    reconnectWindowSeconds: z.number().int().min(0).max(300).default(0),
  })
  .strict();

export const policiesSchema = z
  .object({
    startComposition: z.enum(['on-first-publisher', 'immediately']).default('on-first-publisher'),
    publisherWaitTimeout: duration({ min: 10_000, max: 24 * HOUR }).default(15 * MINUTE),
    pollInterval: duration({ min: 1_000, max: 10 * MINUTE }).default(10_000),
    reconnectingTolerance: duration({ min: 0, max: HOUR }).default(60_000),
    maxCompositionRestarts: z.number().int().min(0).max(50).default(3),
    restartBackoff: z
      .object({
        initial: duration({ min: 0, max: HOUR }).default(5_000),
        multiplier: z.number().min(1).max(10).default(2),
        max: duration({ min: 0, max: HOUR }).default(60_000),
      })
      .strict()
      .prefault({}),
    /** How long indexing waits for every participant recording to be finished in S3. */
    recordingsSettleTimeout: duration({ min: 0, max: HOUR }).default(5 * MINUTE),
    keep: z
      .object({
        /** Keep the stage after the show (it is still tagged as Showrunner's; the janitor spares kept ones). */
        stage: z.boolean().default(false),
        ingestConfiguration: z.boolean().default(false),
        /**
         * Keep the audience's imported public key after the show: viewer tokens it signed stay valid until they
         * expire. Deleting it (the default) revokes every one of them at tidy-up.
         */
        publicKey: z.boolean().default(false),
        /** Index the recordings at the end. */
        recordingsIndex: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/**
 * Self-signed, subscribe-only viewer tokens for an audience (the token service signs them with the show's key; see
 * audience/README.md). The limits below are what the token service enforces per show.
 */
export const audienceSchema = z
  .object({
    enabled: z.boolean().default(true),
    /**
     * Longest a viewer token lives (absent: one hour); a token never outlives the show's (current) planned end
     * either, so a shorter show gives shorter tokens.
     */
    maxTokenTtl: duration({ min: AUDIENCE.ttlMs.min, max: AUDIENCE.ttlMs.max }).optional(),
    attributes: z
      .object({
        /** Keys and values together, UTF-8; IVS's own limit (1 KB) is the most. */
        maxBytes: z.number().int().min(0).max(ATTRIBUTES.maxBytes).default(AUDIENCE.attributesMaxBytes),
        /** Only these attribute keys may be asked for; absent: any key. */
        allowedKeys: z.array(z.string().min(1).max(ATTRIBUTES.keyMaxLength)).max(64).optional(),
      })
      .strict()
      .prefault({}),
    /** Per caller of the token service (its bearer token), a token bucket. */
    rateLimit: z
      .object({
        tokensPerSecond: z.number().min(AUDIENCE.rate.min).max(AUDIENCE.rate.max).default(AUDIENCE.rate.default),
        burst: z.number().int().min(1).max(AUDIENCE.burstMax).default(AUDIENCE.burstDefault),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const scheduleSchema = z
  .object({
    /** ISO 8601 with a time zone; absent means now. */
    start: z.iso.datetime({ offset: true }).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
    duration: duration({ min: MINUTE, max: SHOW_MAX_MS }).optional(),
    leadTime: duration({ min: 0, max: 24 * HOUR }).default(2 * MINUTE),
  })
  .strict()
  .refine((s) => (s.end === undefined) !== (s.duration === undefined), {
    message: 'give exactly one of end or duration',
    path: ['end'],
  })
  .refine((s) => s.end === undefined || Date.parse(s.end) > (s.start ? Date.parse(s.start) : Date.now()), {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine(
    (s) => s.end === undefined || Date.parse(s.end) - (s.start ? Date.parse(s.start) : Date.now()) <= SHOW_MAX_MS,
    {
      message: `${SHOW_TOO_LONG} (${COMPOSITION_LIMIT})`,
      path: ['end'],
    },
  );

export const showSpecSchema = z
  .object({
    id: slug,
    name: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[a-zA-Z0-9-_ ]+$/, 'must use only letters, digits, spaces, - and _'),
    tags,
    /** Region of the show's IVS resources; the worker's default region when absent. */
    region: z.string().regex(REGION_PATTERN, 'must be an AWS region such as us-east-1').optional(),
    /**
     * AWS account of the show's IVS resources and buckets, reached through the role the worker has for it
     * (SHOWRUNNER_AWS_ACCOUNTS); the worker's own credentials and account when absent.
     */
    account: z.string().regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account ID').optional(),
    schedule: scheduleSchema,
    participants: z
      .array(participantSchema)
      .max(12, 'at most 12 participants get tokens at creation (IVS creates at most 12 with a stage)')
      .default([])
      .refine((ps) => new Set(ps.map((p) => p.userId)).size === ps.length, 'userIds must be unique'),
    ingest: ingestSchema.optional(),
    composition: compositionSchema.optional(),
    individualRecording: individualRecordingSchema.optional(),
    audience: audienceSchema.optional(),
    policies: policiesSchema.prefault({}),
  })
  .strict()
  .refine((s) => !s.audience?.enabled || (s.audience.maxTokenTtl ?? 0) <= plannedLengthMs(s.schedule), {
    message: 'must not be longer than the show (a viewer token never outlives the show)',
    path: ['audience', 'maxTokenTtl'],
  });

/** The show's planned length from its schedule (an end without a start counts from now). */
function plannedLengthMs(schedule: z.output<typeof scheduleSchema>): number {
  if (schedule.duration !== undefined) return schedule.duration;
  const start = schedule.start ? Date.parse(schedule.start) : Date.now();
  return schedule.end ? Date.parse(schedule.end) - start : Infinity;
}

export type ShowSpecInput = z.input<typeof showSpecSchema>;
export type ShowSpec = z.output<typeof showSpecSchema>;
export type ParticipantSpec = z.output<typeof participantSchema>;
export type CompositionSpec = z.output<typeof compositionSchema>;
export type IndividualRecordingSpec = z.output<typeof individualRecordingSchema>;
export type AudienceSpec = z.output<typeof audienceSchema>;
export type ShowPolicies = z.output<typeof policiesSchema>;
export type StorageRef = { storageConfigurationArn?: string; bucket?: string };
