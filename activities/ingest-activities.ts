import {
  CreateIngestConfigurationCommand,
  DeleteIngestConfigurationCommand,
  paginateListIngestConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type { AccountRegion } from '../contracts/aws-scope';
import type { EnsureIngestInput, IngestInfo } from '../contracts/ingest';
import { firstByArn } from '../contracts/show-resources';
import { showTags } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { aws, isNotFound, toFailure } from './aws-errors';
import { createOnce } from './create-once';

export function createIngestActivities(clients: AwsClients) {
  return {
    /**
     * As with stages (create-once.ts), a retry first looks for the configuration this execution attached to its
     * stage: ListIngestConfigurations filtered by the stage (summaries carry no tags), matched by name.
     */
    async ensureIngestConfiguration(input: EnsureIngestInput): Promise<IngestInfo> {
      const find = () =>
        aws('ListIngestConfigurations', async () => {
          const mine = new Map<string, IngestInfo>();
          for await (const page of paginateListIngestConfigurations(
            { client: clients.ivs(input) },
            { filterByStageArn: input.stageArn, maxResults: 100 },
          )) {
            for (const c of page.ingestConfigurations ?? [])
              if (c.arn && c.name === input.name)
                mine.set(c.arn, { ingestConfigurationArn: c.arn, participantId: c.participantId!, created: false });
          }
          const first = firstByArn([...mine.keys()]);
          return first === undefined ? undefined : mine.get(first);
        });
      const { value, created } = await createOnce(clients.timing, {
        operation: 'CreateIngestConfiguration',
        find,
        create: async (abortSignal) => {
          const { ingestConfiguration } = await clients.ivsSingleAttempt(input).send(
            new CreateIngestConfigurationCommand({
              name: input.name,
              stageArn: input.stageArn,
              ingestProtocol: input.protocol,
              insecureIngest: input.insecureIngest,
              userId: input.userId,
              attributes: input.attributes,
              tags: showTags(input.identity, input.tags),
            }),
            { abortSignal },
          );
          return {
            ingestConfigurationArn: ingestConfiguration!.arn!,
            participantId: ingestConfiguration!.participantId!,
            created: true,
          };
        },
      });
      return { ...value, created };
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
