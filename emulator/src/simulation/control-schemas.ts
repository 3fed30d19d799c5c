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
  return z.object(shape) as unknown as z.ZodObject<PatchShape<S>>;
}

export const configPatchSchema = z
  .object({
    quotas: patchOf(quotasSchema).optional(),
    timings: patchOf(timingsSchema).optional(),
    rateLimits: z.boolean().optional(),
  })
  .strict();

export const faultSchema = faultRuleSchema;

export const subscriptionSchema = z
  .object({
    url: z.url(),
    delayMs: z.number().nonnegative().optional(),
    jitterMs: z.number().nonnegative().optional(),
    dropProbability: z.number().min(0).max(1).optional(),
    detailTypes: z
      .array(z.enum(['IVS Composition State Change', 'IVS Participant Recording State Change', 'IVS Stage Update']))
      .optional(),
  })
  .strict();
