import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AudienceSigner } from './audience';
import type { CompositionSnapshot } from './composition';
import type { ShowIvsEvent } from './show-ivs-events';
import type { EndArgs, ExtendArgs, IssueTokenArgs, RestartArgs } from './show-message-args';
import type { IssuedToken } from './stage';
import type { ShowStatus } from './show-status';

/**
 * Messages of the show workflow. Update arguments are validated before they are accepted into history
 * (./show-message-args).
 */

export const statusQuery = defineQuery<ShowStatus>('status');
/** Secret: the tokens issued at preparation. Readable only with the payload codec. */
export const participantTokensQuery = defineQuery<IssuedToken[]>('participantTokens');
/**
 * Secret (the audience's private key): what the token service signs viewer tokens with, while the show is running
 * with an audience; undefined otherwise (no audience, not prepared yet, ending). Readable only with the payload codec.
 */
export const audienceSignerQuery = defineQuery<AudienceSigner | undefined>('audienceSigner');

export const endUpdate = defineUpdate<{ endAt: string }, [EndArgs]>('end');
export const extendUpdate = defineUpdate<{ endAt: string }, [ExtendArgs]>('extend');
export const issueTokenUpdate = defineUpdate<IssuedToken, [IssueTokenArgs]>('issueToken');
export const restartCompositionUpdate = defineUpdate<{ restarts: number }, [RestartArgs]>('restartComposition');

/** From the composition monitor: the latest state of the show's composition. */
export const compositionChangedSignal = defineSignal<[CompositionSnapshot]>('compositionChanged');

/**
 * An IVS EventBridge event about this show (from the events endpoint). Events are best effort — late,
 * duplicated, out of order — so they only wake the show up early; the poll result stays the truth.
 */
export const ivsEventSignal = defineSignal<[ShowIvsEvent]>('ivsEvent');

// What the messages carry, in modules of their own that the workflow sandbox shares (workflows/shared-modules.ts);
// re-exported so that every client and workflow finds a show's messages in one place.
export * from './show-message-args';
export * from './show-ivs-events';
