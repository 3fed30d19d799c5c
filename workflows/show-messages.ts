import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { CompositionSnapshot } from '../activities/composition-activities';
import { participantAttributesSchema } from '../spec/participant-attributes';
import type { IssuedToken } from '../activities/stage-activities';
import type { ShowStatus } from './show-state';

/** Messages of the show workflow. Update arguments are validated before they are accepted into history. */
export const statusQuery = defineQuery<ShowStatus>('status');
/** Secret: the tokens issued at preparation. Readable only with the payload codec. */
export const participantTokensQuery = defineQuery<IssuedToken[]>('participantTokens');

export const endArgsSchema = z.object({ reason: z.string().max(500).optional() }).strict();
export const extendArgsSchema = z.object({ endAt: z.iso.datetime({ offset: true }) }).strict();
export const issueTokenArgsSchema = z
  .object({
    userId: z.string().min(1).max(128),
    durationMinutes: z.number().int().min(1).max(20_160).optional(),
    capabilities: z
      .array(z.enum(['PUBLISH', 'SUBSCRIBE']))
      .min(1)
      .max(2)
      .optional(),
    attributes: participantAttributesSchema.optional(),
  })
  .strict();
export const restartArgsSchema = z.object({ reason: z.string().max(500).optional() }).strict();

export type EndArgs = z.infer<typeof endArgsSchema>;
export type ExtendArgs = z.infer<typeof extendArgsSchema>;
export type IssueTokenArgs = z.infer<typeof issueTokenArgsSchema>;
export type RestartArgs = z.infer<typeof restartArgsSchema>;

export const endUpdate = defineUpdate<{ endAt: string }, [EndArgs]>('end');
export const extendUpdate = defineUpdate<{ endAt: string }, [ExtendArgs]>('extend');
export const issueTokenUpdate = defineUpdate<IssuedToken, [IssueTokenArgs]>('issueToken');
export const restartCompositionUpdate = defineUpdate<{ restarts: number }, [RestartArgs]>('restartComposition');

/** From the composition monitor: the latest state of the show's composition. */
export const compositionChangedSignal = defineSignal<[CompositionSnapshot]>('compositionChanged');

/** Throws an Error naming each failing field and rule; used by the update validators. */
export function validateArgs<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new Error(
      `Invalid arguments: ${result.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')}`,
    );
  }
  return result.data;
}

/**
 * An IVS EventBridge event about this show (from the events endpoint). Events are best effort — late,
 * duplicated, out of order — so they only wake the show up early; the poll result stays the truth.
 */
export interface ShowIvsEvent {
  detailType: string;
  eventName: string;
  resourceArn: string;
  time: string;
}
export const ivsEventSignal = defineSignal<[ShowIvsEvent]>('ivsEvent');
