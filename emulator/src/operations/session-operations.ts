import type {
  DisconnectParticipantRequest,
  Event,
  GetParticipantRequest,
  GetStageSessionRequest,
  ListParticipantEventsRequest,
  ListParticipantsRequest,
  ListStageSessionsRequest,
  Participant,
} from '@aws-sdk/client-ivs-realtime';
import { notFound, validationError } from '../errors/api-error';
import { credentialsOf } from '../domain/ingest-publishing';
import { paginate } from '../state/pagination';
import type { ParticipantRecord, SessionRecord, StageRecord } from '../state/records';
import type { OperationCall, OperationHandler, Wire } from './operation-types';
import { requireStage, wireTime } from './resource-lookup';

function requireSession(stage: StageRecord, sessionId: string): SessionRecord {
  const session = stage.sessions.get(sessionId);
  if (!session) throw notFound(`Stage session not found: ${sessionId}`);
  return session;
}

function presentParticipant(p: ParticipantRecord): Wire<Participant> {
  return {
    participantId: p.participantId,
    userId: p.userId,
    state: p.state,
    firstJoinTime: wireTime(p.firstJoinTime),
    attributes: p.attributes,
    published: p.published,
    ...p.client,
    // "... or "" (empty string), if recording is not enabled": always a string, empty until a recording has started.
    recordingS3BucketName: p.recordingS3BucketName ?? '',
    recordingS3Prefix: p.recordingS3Prefix ?? '',
    recordingState: p.recordingState,
    protocol: p.protocol,
    replicationType: p.replicationType,
    replicationState: p.replicationState,
    sourceStageArn: p.sourceStageArn,
    sourceSessionId: p.sourceSessionId,
    redundantIngest: p.redundantIngest,
    ingestConfigurationArn: p.ingestConfigurationArn,
  };
}

const getStageSession: OperationHandler<GetStageSessionRequest> = (call, input) => {
  const session = requireSession(requireStage(call.region, input.stageArn!), input.sessionId!);
  return {
    stageSession: {
      sessionId: session.sessionId,
      startTime: wireTime(session.startTime),
      endTime: wireTime(session.endTime),
    },
  };
};

/**
 * The List operations of sessions, participants, events and replicas list no ResourceNotFoundException in the model
 * (only ValidationException and AccessDeniedException), so an unknown stage or session is an empty list, never a 404.
 */
const sessionsOf = (call: OperationCall, stageArn: string) => call.region.stages.get(stageArn)?.sessions;

const listStageSessions: OperationHandler<ListStageSessionsRequest> = (call, input) => {
  // Newest first, as the service lists them.
  const page = paginate(sessionsOf(call, input.stageArn!)?.values() ?? [], {
    owner: call.region,
    scope: `ListStageSessions|${input.stageArn}`,
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 50,
    descending: true,
  });
  return {
    stageSessions: page.items.map((s) => ({
      sessionId: s.sessionId,
      startTime: wireTime(s.startTime),
      endTime: wireTime(s.endTime),
    })),
    nextToken: page.nextToken,
  };
};

const getParticipant: OperationHandler<GetParticipantRequest> = (call, input) => {
  const session = requireSession(requireStage(call.region, input.stageArn!), input.sessionId!);
  const participant = session.participants.get(input.participantId!);
  if (!participant) throw notFound(`Participant not found: ${input.participantId}`);
  return { participant: presentParticipant(participant) };
};

const listParticipants: OperationHandler<ListParticipantsRequest> = (call, input) => {
  const filters = (['filterByUserId', 'filterByPublished', 'filterByState', 'filterByRecordingState'] as const).filter(
    (f) => input[f] !== undefined,
  );
  if (filters.length > 1) {
    throw validationError(
      `Only one of filterByUserId, filterByPublished, filterByState and filterByRecordingState may be given (got ${filters.join(', ')})`,
    );
  }
  const session = sessionsOf(call, input.stageArn!)?.get(input.sessionId!);
  const matching = [...(session?.participants.values() ?? [])].filter(
    (p) =>
      (input.filterByUserId === undefined || p.userId === input.filterByUserId) &&
      (input.filterByPublished === undefined || p.published === input.filterByPublished) &&
      (input.filterByState === undefined || p.state === input.filterByState) &&
      (input.filterByRecordingState === undefined || p.recordingState === input.filterByRecordingState),
  );
  const scope = `ListParticipants|${input.stageArn}|${input.sessionId}|${filters.map((f) => `${f}=${String(input[f])}`).join('|')}`;
  const page = paginate(matching, {
    owner: call.region,
    scope,
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 50,
  });
  return {
    participants: page.items.map((p) => {
      const full = presentParticipant(p);
      return {
        participantId: full.participantId,
        userId: full.userId,
        state: full.state,
        firstJoinTime: full.firstJoinTime,
        published: full.published,
        recordingState: full.recordingState,
        replicationType: full.replicationType,
        replicationState: full.replicationState,
        sourceStageArn: full.sourceStageArn,
        sourceSessionId: full.sourceSessionId,
        redundantIngest: full.redundantIngest,
        ingestConfigurationArn: full.ingestConfigurationArn,
      };
    }),
    nextToken: page.nextToken,
  };
};

const listParticipantEvents: OperationHandler<ListParticipantEventsRequest> = (call, input) => {
  const participant = sessionsOf(call, input.stageArn!)?.get(input.sessionId!)?.participants.get(input.participantId!);
  const events = (participant?.events ?? []).map((e, i) => ({ ...e, seq: i + 1 }));
  const scope = `ListParticipantEvents|${input.stageArn}|${input.sessionId}|${input.participantId}`;
  const page = paginate(events, {
    owner: call.region,
    scope,
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 50,
  });
  return {
    events: page.items.map((e): Wire<Event> => ({
      name: e.name,
      participantId: e.participantId,
      eventTime: wireTime(e.eventTime),
      remoteParticipantId: e.remoteParticipantId,
      errorCode: e.errorCode,
      destinationStageArn: e.destinationStageArn,
      destinationSessionId: e.destinationSessionId,
      // "Default: false": said, not left out, for a participant that is no replica.
      replica: e.replica ?? false,
    })),
    nextToken: page.nextToken,
  };
};

/**
 * Disconnects a participant and revokes its token. "If the participant is publishing using an IngestConfiguration,
 * DisconnectParticipant also updates the stageArn in the IngestConfiguration to be an empty string": the
 * configuration is detached, so all its publishers leave, and its participant ID is not revoked (re-attaching it
 * lets the encoder publish again).
 */
const disconnectParticipant: OperationHandler<DisconnectParticipantRequest> = (call, input) => {
  const { region, domain } = call;
  const stage = requireStage(region, input.stageArn!);
  const member = domain.participation.findConnected(stage, input.participantId!);
  const ingestArn = member?.participant.ingestConfigurationArn;
  const ingest = ingestArn ? region.ingestConfigurations.get(ingestArn) : undefined;
  if (member && ingest && member.participant.publishing) {
    domain.ingest.disconnect(region, ingest, true);
    ingest.stageArn = '';
    return {};
  }
  const ownedByIngest = [...region.ingestConfigurations.values()].some((c) =>
    credentialsOf(c).some((k) => k.participantId === input.participantId),
  );
  if (!ownedByIngest) stage.revokedParticipantIds.add(input.participantId!);
  // Leaving also ends the participant's replications.
  if (member) domain.participation.leave(region, member, true);
  return {};
};

export const sessionOperations = {
  GetStageSession: getStageSession,
  ListStageSessions: listStageSessions,
  GetParticipant: getParticipant,
  ListParticipants: listParticipants,
  ListParticipantEvents: listParticipantEvents,
  DisconnectParticipant: disconnectParticipant,
};
