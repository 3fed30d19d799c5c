import {
  CreateIngestConfigurationCommand,
  DeleteIngestConfigurationCommand,
  paginateListIngestConfigurations,
  type IngestProtocol,
} from '@aws-sdk/client-ivs-realtime';
import { currentAttempt } from './activity-context';
import type { AwsClients, AccountRegion } from './aws-clients';
import { aws, isNotFound, toFailure } from './aws-errors';
import { showTags, type ShowIdentity } from './show-tags';

export interface EnsureIngestInput {
  region: string;
  /** The show's account; the worker's own when absent. */
  account?: string;
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

export function createIngestActivities(clients: AwsClients) {
  return {
    /** As with stages, a retry first looks for the configuration this execution attached to its stage. */
    async ensureIngestConfiguration(input: EnsureIngestInput): Promise<IngestInfo> {
      if (currentAttempt() > 1) {
        const existing = await aws('ListIngestConfigurations', async () => {
          for await (const page of paginateListIngestConfigurations(
            { client: clients.ivs(input) },
            { filterByStageArn: input.stageArn },
          )) {
            const mine = page.ingestConfigurations?.find((c) => c.name === input.name);
            if (mine) return mine;
          }
          return undefined;
        });
        if (existing)
          return { ingestConfigurationArn: existing.arn!, participantId: existing.participantId!, created: false };
      }
      const { ingestConfiguration } = await aws('CreateIngestConfiguration', () =>
        clients.ivsSingleAttempt(input).send(
          new CreateIngestConfigurationCommand({
            name: input.name,
            stageArn: input.stageArn,
            ingestProtocol: input.protocol,
            insecureIngest: input.insecureIngest,
            userId: input.userId,
            attributes: input.attributes,
            tags: showTags(input.identity, input.tags),
          }),
        ),
      );
      return {
        ingestConfigurationArn: ingestConfiguration!.arn!,
        participantId: ingestConfiguration!.participantId!,
        created: true,
      };
    },

    /** Force: a publisher still streaming is disconnected. Already gone is done. */
    async deleteIngestConfiguration(input: AccountRegion & { arn: string }): Promise<{ deleted: boolean }> {
      try {
        await clients.ivs(input).send(new DeleteIngestConfigurationCommand({ arn: input.arn, force: true }));
        return { deleted: true };
      } catch (e) {
        if (isNotFound(e)) return { deleted: false };
        throw toFailure(e, 'DeleteIngestConfiguration');
      }
    },
  };
}
