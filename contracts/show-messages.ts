import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod/mini';
import type { AudienceSigner } from './audience';
import type { CompositionSnapshot } from './composition';
import { fieldIssues, inlineIssues } from './issues';
import { ATTRIBUTES, attributesFit, CAPABILITIES, TOKEN_MINUTES, USER_ID_MAX_LENGTH } from './participants';
import { REASON_MAX_LENGTH } from './show-rules';
import type { IssuedToken } from './stage';
import type { ShowStatus } from './show-status';
import './zod-english';

/**
 * Messages of the show workflow. Update arguments are validated before they are accepted into history. The
 * schemas use zod's tree-shakable build (zod/mini) so the workflow bundle does not carry zod's classic API, with
 * zod's English messages (./zod-english), so a rejection reads exactly as the same mistake in a show spec.
 */

export const statusQuery = defineQuery<ShowStatus>('status');
/** Secret: the tokens issued at preparation. Readable only with the payload codec. */
export const participantTokensQuery = defineQuery<IssuedToken[]>('participantTokens');
/**
 * Secret (the audience's private key): what the token service signs viewer tokens with, while the show is running
 * with an audience; undefined otherwise (no audience, not prepared yet, ending). Readable only with the payload codec.
 */
export const audienceSignerQuery = defineQuery<AudienceSigner | undefined>('audienceSigner');

const reason = z.optional(z.string().check(z.maxLength(REASON_MAX_LENGTH)));

export const endArgsSchema = z.strictObject({ reason });
export const extendArgsSchema = z.strictObject({ endAt: z.iso.datetime({ offset: true }) });
export const issueTokenArgsSchema = z.strictObject({
  userId: z.string().check(z.minLength(1), z.maxLength(USER_ID_MAX_LENGTH)),
  durationMinutes: z.optional(z.int().check(z.minimum(TOKEN_MINUTES.min), z.maximum(TOKEN_MINUTES.max))),
  capabilities: z.optional(z.array(z.enum(CAPABILITIES)).check(z.minLength(1), z.maxLength(CAPABILITIES.length))),
  attributes: z.optional(
    z
      .record(z.string().check(z.minLength(1), z.maxLength(ATTRIBUTES.keyMaxLength)), z.string())
      .check(z.refine(attributesFit, ATTRIBUTES.tooLarge)),
  ),
});
export const restartArgsSchema = z.strictObject({ reason });

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
export function validateArgs<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success)
    throw new Error(`Invalid arguments: ${inlineIssues(fieldIssues(result.error.issues, '(args)'))}`);
  return result.data;
}

/**
 * An IVS EventBridge event about this show (from the events endpoint). Events are best effort — late,
 * duplicated, out of order — so they only wake the show up early; the poll result stays the truth.
 */
/** The EventBridge detail types of the IVS events a show acts on (the user guide's "Using EventBridge with IVS"). */
export const STAGE_UPDATE = 'IVS Stage Update';
export const COMPOSITION_STATE_CHANGE = 'IVS Composition State Change';
/** The Stage Update event that wakes the wait for a publisher. */
export const PARTICIPANT_PUBLISHED = 'Participant Published';

export interface ShowIvsEvent {
  detailType: string;
  eventName: string;
  resourceArn: string;
  time: string;
  /** A Stage Update event's session and participant (see PublisherHint), when they fit their shapes. */
  sessionId?: string;
  participantId?: string;
}
export const ivsEventSignal = defineSignal<[ShowIvsEvent]>('ivsEvent');

/**
 * What an IVS event can wake in a show: the wait for a publisher (someone published), or the composition's poll
 * (any state change of a composition). Anything else (a participant joining or leaving…) changes nothing a show
 * decides on. The show applies it (workflows/show/decisions.ts); the events endpoint may use it to skip signals.
 */
export function ivsEventWakes(event: Pick<ShowIvsEvent, 'detailType' | 'eventName'>): {
  publisher: boolean;
  composition: boolean;
} {
  return {
    publisher: event.detailType === STAGE_UPDATE && event.eventName === PARTICIPANT_PUBLISHED,
    composition: event.detailType === COMPOSITION_STATE_CHANGE,
  };
}

/** Composition events that say a composition has stopped: what a show waiting for STOPPED looks again on. */
export const endsComposition = (event: Pick<ShowIvsEvent, 'eventName'>) =>
  event.eventName === 'Session End' || event.eventName === 'Session Failure';
