import {
  CreateIngestConfigurationCommand,
  DeleteIngestConfigurationCommand,
  paginateListIngestConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type { AccountRegion } from '../contracts/aws-scope';
import type { EnsureIngestInput, IngestInfo } from '../contracts/ingest';
import { showTags } from '../contracts/tags';
import { currentAttempt } from './activity-context';
import type { AwsClients } from './aws-clients';
import { aws, isNotFound, toFailure } from './aws-errors';

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
