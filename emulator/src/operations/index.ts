import { operationModels } from '../model/constraints';
import { compositionOperations } from './composition-operations';
import { encoderConfigurationOperations } from './encoder-configuration-operations';
import { ingestConfigurationOperations } from './ingest-configuration-operations';
import type { OperationHandler } from './operation-types';
import { participantTokenOperations } from './participant-token-operations';
import { publicKeyOperations } from './public-key-operations';
import { replicationOperations } from './replication-operations';
import { sessionOperations } from './session-operations';
import { stageOperations } from './stage-operations';
import { storageConfigurationOperations } from './storage-configuration-operations';
import { tagOperations } from './tag-operations';

export const operationHandlers: Readonly<Record<string, OperationHandler>> = {
  ...stageOperations,
  ...participantTokenOperations,
  ...sessionOperations,
  ...compositionOperations,
  ...encoderConfigurationOperations,
  ...storageConfigurationOperations,
  ...ingestConfigurationOperations,
  ...publicKeyOperations,
  ...replicationOperations,
  ...tagOperations,
};

// Fail at start-up, not at the first call, if the model grows an operation the emulator does not serve.
const missing = Object.keys(operationModels).filter((name) => !operationHandlers[name]);
if (missing.length > 0) throw new Error(`Operations of the service model without a handler: ${missing.join(', ')}`);
