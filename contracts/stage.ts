import type { AutoParticipantRecordingConfiguration } from '@aws-sdk/client-ivs-realtime';
import type { AccountRegion } from './aws-scope';
import type { Capability } from './participants';
import type { ShowIdentity } from './tags';

/** What the stage activities take and give: the show workflow's side of the contract. */
export interface EnsureStageInput extends AccountRegion {
  identity: ShowIdentity;
  name: string;
  tags: Record<string, string>;
  recording?: AutoParticipantRecordingConfiguration;
}
export interface StageInfo {
  stageArn: string;
  stageId: string;
  created: boolean;
}

export interface TokenRequest {
  userId: string;
  attributes: Record<string, string>;
  capabilities: Capability[];
  durationMinutes: number;
}
/** A participant token. `token` is a secret: it reaches history only through the encryption codec. */
export interface IssuedToken {
  userId: string;
  participantId: string;
  token: string;
  expiresAt: string;
}

export interface PublisherSeen {
  sessionId: string;
  participantId: string;
  userId?: string;
}

/**
 * Who an IVS Stage Update event ("Participant Published") says published, in which stage session: only a hint that
 * lets the publisher poll ask about that participant first; the poll's answer still comes from the API.
 */
export interface PublisherHint {
  sessionId: string;
  participantId: string;
}

/** The model's StageSessionId and ParticipantId shapes: an event's fields are used as a hint only when they fit. */
export const STAGE_SESSION_ID_PATTERN = /^st-[a-zA-Z0-9]{13}$/;
export const PARTICIPANT_ID_PATTERN = /^[a-zA-Z0-9-]{1,64}$/;

/** The hint an event's detail carries, when both of its fields fit their shapes. */
export function publisherHintOf(sessionId: unknown, participantId: unknown): PublisherHint | undefined {
  if (typeof sessionId !== 'string' || typeof participantId !== 'string') return undefined;
  if (!STAGE_SESSION_ID_PATTERN.test(sessionId) || !PARTICIPANT_ID_PATTERN.test(participantId)) return undefined;
  return { sessionId, participantId };
}

export interface StageActivities {
  /** Creates the show's stage, or finds the one this execution already made (see the implementation). */
  ensureStage(input: EnsureStageInput): Promise<StageInfo>;
  issueParticipantTokens(
    input: AccountRegion & { stageArn: string; participants: TokenRequest[] },
  ): Promise<IssuedToken[]>;
  issueParticipantToken(input: AccountRegion & { stageArn: string; participant: TokenRequest }): Promise<IssuedToken>;
  /** Retry-as-poll: fails with NotYet until someone publishes on the stage; StageNotFound when it is gone. */
  awaitPublisher(input: AccountRegion & { stageArn: string; hint?: PublisherHint }): Promise<PublisherSeen>;
  /** Deleting a stage that is already gone is done. */
  deleteStage(input: AccountRegion & { stageArn: string }): Promise<{ deleted: boolean }>;
}
