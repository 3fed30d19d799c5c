import {
  CreateParticipantTokenCommand,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  ListParticipantsCommand,
  paginateListStages,
} from '@aws-sdk/client-ivs-realtime';
import { ApplicationFailure } from '@temporalio/common';
import { idOf as stageIdOf } from '../contracts/arn';
import type { AccountRegion } from '../contracts/aws-scope';
import { STAGE_NOT_FOUND } from '../contracts/failure-types';
import type { EnsureStageInput, IssuedToken, PublisherSeen, StageInfo, TokenRequest } from '../contracts/stage';
import { firstByArn } from '../contracts/show-resources';
import { isMadeBy, showTags, type ShowIdentity } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { aws, isNotFound, notYet, toFailure } from './aws-errors';
import { createOnce } from './create-once';

export function createStageActivities(clients: AwsClients) {
  /**
   * The stage this execution made, by its run tag (ListStages returns each stage's tags). Every page is read: should
   * a duplicate exist, every attempt and the show's sweep agree on the same one (the first by ARN).
   */
  async function findStage(scope: AccountRegion, identity: ShowIdentity): Promise<string | undefined> {
    const mine: string[] = [];
    for await (const page of paginateListStages({ client: clients.ivs(scope) }, { maxResults: 100 })) {
      for (const s of page.stages ?? []) if (s.arn && isMadeBy(s.tags, identity)) mine.push(s.arn);
    }
    return firstByArn(mine);
  }

  async function issue(scope: AccountRegion, stageArn: string, request: TokenRequest): Promise<IssuedToken> {
    const { participantToken } = await aws(`CreateParticipantToken for ${request.userId}`, () =>
      clients.ivs(scope).send(
        new CreateParticipantTokenCommand({
          stageArn,
          userId: request.userId,
          attributes: request.attributes,
          capabilities: request.capabilities,
          duration: request.durationMinutes,
        }),
      ),
    );
    return {
      userId: request.userId,
      participantId: participantToken!.participantId!,
      token: participantToken!.token!,
      expiresAt: participantToken!.expirationTime!.toISOString(),
    };
  }

  return {
    /**
     * CreateStage has no idempotency token. A first attempt creates; any later attempt first looks for the stage
     * this execution already made (its run-key tag), after waiting until an earlier attempt's request can no longer
     * land (create-once.ts).
     */
    async ensureStage(input: EnsureStageInput): Promise<StageInfo> {
      const { value: stageArn, created } = await createOnce(clients.timing, {
        operation: 'CreateStage',
        find: () => aws('ListStages', () => findStage(input, input.identity)),
        create: async (abortSignal) => {
          const { stage } = await clients.ivsSingleAttempt(input).send(
            new CreateStageCommand({
              name: input.name,
              tags: showTags(input.identity, input.tags),
              autoParticipantRecordingConfiguration: input.recording,
            }),
            { abortSignal },
          );
          return stage!.arn!;
        },
      });
      return { stageArn, stageId: stageIdOf(stageArn), created };
    },

    async issueParticipantTokens(
      input: AccountRegion & { stageArn: string; participants: TokenRequest[] },
    ): Promise<IssuedToken[]> {
      const tokens: IssuedToken[] = [];
      for (const p of input.participants) tokens.push(await issue(input, input.stageArn, p));
      return tokens;
    },

    async issueParticipantToken(
      input: AccountRegion & { stageArn: string; participant: TokenRequest },
    ): Promise<IssuedToken> {
      return issue(input, input.stageArn, input.participant);
    },

    /** Retry-as-poll: fails with NotYet until someone publishes on the stage. */
    async awaitPublisher(input: AccountRegion & { stageArn: string }): Promise<PublisherSeen> {
      const ivs = clients.ivs(input);
      let sessionId: string | undefined;
      try {
        sessionId = (await ivs.send(new GetStageCommand({ arn: input.stageArn }))).stage?.activeSessionId;
      } catch (e) {
        if (isNotFound(e))
          throw ApplicationFailure.nonRetryable(`Stage ${input.stageArn} no longer exists`, STAGE_NOT_FOUND);
        throw toFailure(e, 'GetStage');
      }
      if (!sessionId) throw notYet('nobody has joined the stage yet');
      const { participants } = await aws('ListParticipants', () =>
        ivs.send(
          new ListParticipantsCommand({ stageArn: input.stageArn, sessionId, filterByPublished: true, maxResults: 1 }),
        ),
      );
      const publisher = participants?.find((p) => p.state === 'CONNECTED' && p.published);
      if (!publisher) throw notYet('nobody publishes on the stage yet');
      return { sessionId, participantId: publisher.participantId!, userId: publisher.userId };
    },

    /** Deleting a stage that is already gone is done. */
    async deleteStage(input: AccountRegion & { stageArn: string }): Promise<{ deleted: boolean }> {
      try {
        await clients.ivs(input).send(new DeleteStageCommand({ arn: input.stageArn }));
        return { deleted: true };
      } catch (e) {
        if (isNotFound(e)) return { deleted: false };
        throw toFailure(e, 'DeleteStage');
      }
    },
  };
}
