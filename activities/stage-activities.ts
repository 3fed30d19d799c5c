import {
  CreateParticipantTokenCommand,
  CreateStageCommand,
  DeleteStageCommand,
  GetParticipantCommand,
  GetStageCommand,
  paginateListParticipantEvents,
  paginateListParticipants,
  paginateListStages,
  type Event as ParticipantEvent,
  type ParticipantSummary,
} from '@aws-sdk/client-ivs-realtime';
import { ApplicationFailure } from '@temporalio/common';
import { idOf as stageIdOf } from '../contracts/arn';
import type { AccountRegion } from '../contracts/aws-scope';
import { STAGE_NOT_FOUND } from '../contracts/failure-types';
import type {
  EnsureStageInput,
  IssuedToken,
  PublisherHint,
  PublisherSeen,
  StageInfo,
  TokenRequest,
} from '../contracts/stage';
import { firstByArn } from '../contracts/show-resources';
import { isMadeBy, showTags, type ShowIdentity } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { currentAttempt } from './activity-context';
import { aws, isNotFound, notYet, toFailure } from './aws-errors';
import { createOnce } from './create-once';

/**
 * Whether a connected participant's events of the session say it publishes now: its latest PUBLISH_STARTED comes after
 * anything that ends or refuses publishing (PUBLISH_STOPPED, PUBLISH_ERROR, LEFT, a new JOINED). Ordered by eventTime;
 * the documentation does not say how ListParticipantEvents orders them, so equal times keep the order listed. An
 * ambiguous history reads as "not publishing": waiting one more poll is cheap, a composition on an empty stage is not.
 */
export function publishingNow(events: readonly Pick<ParticipantEvent, 'name' | 'eventTime'>[]): boolean {
  const ordered = events
    .map((event, i) => ({ event, i, at: event.eventTime?.getTime() ?? Number.NaN }))
    .filter((e) => !Number.isNaN(e.at))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  let publishing = false;
  for (const { event } of ordered) {
    if (event.name === 'PUBLISH_STARTED') publishing = true;
    else if (event.name === 'PUBLISH_STOPPED' || event.name === 'PUBLISH_ERROR') publishing = false;
    else if (event.name === 'LEFT' || event.name === 'JOINED') publishing = false;
  }
  return publishing;
}

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

  /** Every event of one participant in one stage session (every page). */
  async function participantEvents(
    ivs: ReturnType<AwsClients['ivs']>,
    request: { stageArn: string; sessionId: string; participantId: string },
  ): Promise<ParticipantEvent[]> {
    const all: ParticipantEvent[] = [];
    for await (const page of paginateListParticipantEvents({ client: ivs }, request)) all.push(...(page.events ?? []));
    return all;
  }

  /**
   * The participant an event named, asked about first: GetParticipant and its events side by side, one round trip
   * instead of GetStage, ListParticipants and then its events. It counts only when IVS says, now, that the
   * participant is CONNECTED ("connected to … the stage": so in the stage's active session, which is the one the
   * event named) and its latest publishing event is PUBLISH_STARTED. Anything else (not found, disconnected, not
   * publishing) is no answer: the full look follows.
   */
  async function hintedPublisher(
    ivs: ReturnType<AwsClients['ivs']>,
    stageArn: string,
    hint: PublisherHint,
  ): Promise<PublisherSeen | undefined> {
    const request = { stageArn, sessionId: hint.sessionId, participantId: hint.participantId };
    try {
      const [{ participant }, events] = await Promise.all([
        ivs.send(new GetParticipantCommand(request)),
        participantEvents(ivs, request),
      ]);
      if (participant?.state !== 'CONNECTED' || !publishingNow(events)) return undefined;
      return { sessionId: hint.sessionId, participantId: hint.participantId, userId: participant.userId };
    } catch (e) {
      // A session or participant IVS does not know (a made-up or stale hint) is no answer, not a failure.
      if (isNotFound(e)) return undefined;
      throw toFailure(e, 'GetParticipant and ListParticipantEvents');
    }
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

    /**
     * Retry-as-poll: fails with NotYet until someone publishes on the stage *now*.
     *
     * What IVS documents, and what this relies on:
     * - Stage.activeSessionId, "ID of the active session within the stage"; absent, nobody is in the stage.
     * - Participant.published is "Whether the participant ever published to the stage session", and
     *   filterByPublished shows "participants who published during the stage session": a guest who published and
     *   left, or a host who stopped publishing but stayed, still counts. So it only narrows the candidates.
     * - Participant.state, "Whether the participant is connected to or disconnected from the stage": CONNECTED.
     *   ListParticipants takes only one filter per request, so this one is checked here, over every page.
     * - ListParticipantEvents "Lists events for a specified participant that occurred during a specified stage
     *   session", among them PUBLISH_STARTED and PUBLISH_STOPPED: the latest of those (every page) says whether a
     *   connected participant publishes now (see publishingNow).
     * The Stage Update events (Participant Published / Unpublished) only wake this poll early: EventBridge is best
     * effort, so the answer always comes from the API.
     */
    async awaitPublisher(input: AccountRegion & { stageArn: string; hint?: PublisherHint }): Promise<PublisherSeen> {
      const ivs = clients.ivs(input);
      // The hint is asked about on the poll's first attempt only: a hint that missed (the participant stopped or
      // left) would otherwise cost two more calls on every retry for the rest of the wait; the next event brings a
      // new poll with a new hint.
      if (input.hint && currentAttempt() === 1) {
        const seen = await hintedPublisher(ivs, input.stageArn, input.hint);
        if (seen) return seen;
      }
      let sessionId: string | undefined;
      try {
        sessionId = (await ivs.send(new GetStageCommand({ arn: input.stageArn }))).stage?.activeSessionId;
      } catch (e) {
        if (isNotFound(e))
          throw ApplicationFailure.nonRetryable(`Stage ${input.stageArn} no longer exists`, STAGE_NOT_FOUND);
        throw toFailure(e, 'GetStage');
      }
      if (!sessionId) throw notYet('nobody has joined the stage yet');
      const scope = { stageArn: input.stageArn, sessionId };
      const candidates = await aws('ListParticipants', async () => {
        const connected: ParticipantSummary[] = [];
        for await (const page of paginateListParticipants({ client: ivs }, { ...scope, filterByPublished: true }))
          connected.push(...(page.participants ?? []).filter((p) => p.state === 'CONNECTED'));
        return connected;
      });
      for (const candidate of candidates) {
        const request = { ...scope, participantId: candidate.participantId! };
        const events = await aws('ListParticipantEvents', () => participantEvents(ivs, request));
        if (publishingNow(events))
          return { sessionId, participantId: candidate.participantId!, userId: candidate.userId };
      }
      throw notYet('nobody publishes on the stage now');
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
