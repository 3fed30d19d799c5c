import type {
  ListParticipantReplicasRequest,
  StartParticipantReplicationRequest,
  StopParticipantReplicationRequest,
} from '@aws-sdk/client-ivs-realtime';
import { paginate } from '../state/pagination';
import type { OperationHandler } from './operation-types';
import { checkAttributesSize, requireStage } from './resource-lookup';

const start: OperationHandler<StartParticipantReplicationRequest> = (call, input) => {
  checkAttributesSize(input.attributes, 'attributes');
  const source = requireStage(call.region, input.sourceStageArn!);
  const destination = requireStage(call.region, input.destinationStageArn!);
  call.domain.replication.start(call.region, source, destination, input.participantId!, input.attributes);
  return {};
};

const stop: OperationHandler<StopParticipantReplicationRequest> = (call, input) => {
  requireStage(call.region, input.sourceStageArn!);
  call.domain.replication.stop(call.region, input.sourceStageArn!, input.destinationStageArn!, input.participantId!);
  return {};
};

/** The model lists no ResourceNotFoundException for ListParticipantReplicas: an unknown stage has no replicas. */
const list: OperationHandler<ListParticipantReplicasRequest> = (call, input) => {
  const replicas = call.domain.replication.list(input.sourceStageArn!, input.participantId!);
  const page = paginate(replicas, {
    owner: call.region,
    scope: `ListParticipantReplicas|${input.sourceStageArn}|${input.participantId}`,
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 50,
  });
  return {
    replicas: page.items.map((r) => ({
      sourceStageArn: r.sourceStageArn,
      participantId: r.participantId,
      sourceSessionId: r.sourceSessionId,
      destinationStageArn: r.destinationStageArn,
      destinationSessionId: r.destinationSessionId,
      replicationState: r.replicationState,
    })),
    nextToken: page.nextToken,
  };
};

export const replicationOperations = {
  StartParticipantReplication: start,
  StopParticipantReplication: stop,
  ListParticipantReplicas: list,
};
