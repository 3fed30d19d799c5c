import type { IngestProtocol } from '@aws-sdk/client-ivs-realtime';
import type { AccountRegion } from './aws-scope';
import type { ShowIdentity } from './tags';

export interface EnsureIngestInput extends AccountRegion {
  identity: ShowIdentity;
  stageArn: string;
  name: string;
  protocol: IngestProtocol;
  insecureIngest: boolean;
  userId?: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

/** Never includes the stream key: whoever runs the encoder reads it with GetIngestConfiguration. */
export interface IngestInfo {
  ingestConfigurationArn: string;
  participantId: string;
  created: boolean;
}

export interface IngestActivities {
  /** Creates the show's ingest configuration, or finds the one this execution already attached to its stage. */
  ensureIngestConfiguration(input: EnsureIngestInput): Promise<IngestInfo>;
  /** Force: a publisher still streaming is disconnected. Already gone is done. */
  deleteIngestConfiguration(input: AccountRegion & { arn: string }): Promise<{ deleted: boolean }>;
}
