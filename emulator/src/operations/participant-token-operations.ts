import type {
  CreateParticipantTokenRequest,
  ParticipantToken,
  ParticipantTokenConfiguration,
} from '@aws-sdk/client-ivs-realtime';
import { newParticipantId } from '../state/ids';
import type { OperationCall, OperationHandler, Wire } from './operation-types';
import { checkAttributesSize, requireStage, wireTime } from './resource-lookup';

const DEFAULT_DURATION_MINUTES = 720;

/** Issues one token; shared by CreateParticipantToken and CreateStage's participantTokenConfigurations. */
export async function issueParticipantToken(
  call: OperationCall,
  stageArn: string,
  config: ParticipantTokenConfiguration,
): Promise<Wire<ParticipantToken>> {
  const { clock, tokens } = call.domain.ctx;
  const duration = config.duration ?? DEFAULT_DURATION_MINUTES;
  const capabilities = config.capabilities ?? ['PUBLISH', 'SUBSCRIBE'];
  const participantId = newParticipantId();
  const expiresAt = clock.now() + duration * 60_000;
  const token = await tokens.issue({
    participantId,
    stageArn,
    userId: config.userId,
    attributes: config.attributes ?? {},
    capabilities: { publish: capabilities.includes('PUBLISH'), subscribe: capabilities.includes('SUBSCRIBE') },
    expiresAt,
  });
  return {
    participantId,
    token,
    userId: config.userId,
    attributes: config.attributes,
    duration,
    capabilities,
    expirationTime: wireTime(expiresAt),
  };
}

const createParticipantToken: OperationHandler<CreateParticipantTokenRequest> = async (call, input) => {
  requireStage(call.region, input.stageArn!);
  checkAttributesSize(input.attributes, 'attributes');
  return { participantToken: await issueParticipantToken(call, input.stageArn!, input) };
};

export const participantTokenOperations = { CreateParticipantToken: createParticipantToken };
