import { z } from 'zod';
import { quotasSchema, timingsSchema } from '../config';
import { faultRuleSchema } from './fault-injector';

/** Request bodies of the simulation and control API (`/_emulator/...`). */
const stageArn = z.string().regex(/^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage\/[a-zA-Z0-9-]+$/, 'must be a stage ARN');

export const participantRefSchema = z.union([
  z.object({ token: z.string().min(1) }).strict(),
  z.object({ stageArn, participantId: z.string().min(1) }).strict(),
]);

export const joinSchema = z
  .object({
    token: z.string().min(1),
    protocol: z.enum(['WHIP', 'UNKNOWN']).default('WHIP'),
    publish: z.boolean().default(false),
    client: z
      .object({
        ispName: z.string().max(128),
        osName: z.string().max(128),
        osVersion: z.string().max(128),
        browserName: z.string().max(128),
        browserVersion: z.string().max(128),
        sdkVersion: z.string().max(128),
      })
      .partial()
      .optional(),
  })
  .strict();

export const ingestConnectSchema = z
  .object({ streamKey: z.string().min(1), protocol: z.enum(['RTMP', 'RTMPS']).default('RTMPS') })
  .strict();
export const ingestDisconnectSchema = z.object({ streamKey: z.string().min(1) }).strict();

export const compositionStateSchema = z
  .object({
    compositionArn: z
      .string()
      .regex(/^arn:aws:ivs:[a-z0-9-]+:[0-9]+:composition\/[a-zA-Z0-9-]+$/, 'must be a composition ARN'),
    state: z.enum(['RECONNECTING', 'FAILED', 'ACTIVE']),
    /** One destination by ID or by kind; the whole composition when neither is given. */
    destinationId: z.string().min(1).optional(),
    destinationType: z.enum(['channel', 's3']).optional(),
    reason: z.string().max(512).optional(),
  })
  .strict();

export const channelBusySchema = z.object({ channelArn: z.string().min(1), busy: z.boolean() }).strict();

type PatchShape<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer T> ? T : S[K]>;
};

/**
 * Every field optional and without its default: zod's `.partial()` still fills defaults for absent keys, so a patch
 * naming one quota would silently reset all the others.
 */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<PatchShape<S>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional(),
    ]),
  );
  // Strict: a misspelt quota or timing name must fail loudly instead of being dropped.
  return z.object(shape).strict() as unknown as z.ZodObject<PatchShape<S>>;
}

export const configPatchSchema = z
  .object({
    quotas: patchOf(quotasSchema).optional(),
    timings: patchOf(timingsSchema).optional(),
    rateLimits: z.boolean().optional(),
  })
  .strict();

export const faultSchema = faultRuleSchema;

const detailType = z.enum([
  'IVS Composition State Change',
  'IVS Participant Recording State Change',
  'IVS Stage Update',
]);

export const subscriptionSchema = z
  .object({
    url: z.url(),
    delayMs: z.number().nonnegative().optional(),
    jitterMs: z.number().nonnegative().optional(),
    dropProbability: z.number().min(0).max(1).optional(),
    detailTypes: z.array(detailType).optional(),
  })
  .strict();

/** A query-string number: `Number('')` would be 0 and `Number('x')` NaN, so the text must look like a number. */
const queryNumber = z
  .string()
  .regex(/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/, 'must be a number')
  .transform(Number);

/**
 * `GET /events/stream` query: the same options as a webhook subscription, validated the same way. Each parameter
 * except `detailType` (repeatable) appears at most once.
 */
export const eventStreamQuerySchema = z
  .object({
    detailType: z.array(detailType).optional(),
    delayMs: queryNumber.pipe(z.number().nonnegative()).optional(),
    jitterMs: queryNumber.pipe(z.number().nonnegative()).optional(),
    dropProbability: queryNumber.pipe(z.number().min(0).max(1)).optional(),
  })
  .strict();

/** Query parameters as the schema expects them: repeated `detailType` as an array, others as single strings. */
export function eventStreamQuery(params: URLSearchParams): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = key === 'detailType' ? values : values.length === 1 ? values[0] : values;
  }
  return query;
}
