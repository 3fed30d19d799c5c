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

export interface StageActivities {
  /** Creates the show's stage, or finds the one this execution already made (see the implementation). */
  ensureStage(input: EnsureStageInput): Promise<StageInfo>;
  issueParticipantTokens(
    input: AccountRegion & { stageArn: string; participants: TokenRequest[] },
  ): Promise<IssuedToken[]>;
  issueParticipantToken(input: AccountRegion & { stageArn: string; participant: TokenRequest }): Promise<IssuedToken>;
  /** Retry-as-poll: fails with NotYet until someone publishes on the stage; StageNotFound when it is gone. */
  awaitPublisher(input: AccountRegion & { stageArn: string }): Promise<PublisherSeen>;
  /** Deleting a stage that is already gone is done. */
  deleteStage(input: AccountRegion & { stageArn: string }): Promise<{ deleted: boolean }>;
}
