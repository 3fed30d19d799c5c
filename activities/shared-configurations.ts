import {
  CreateEncoderConfigurationCommand,
  CreateStorageConfigurationCommand,
  GetStorageConfigurationCommand,
  paginateListEncoderConfigurations,
  paginateListStorageConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type { SharedConfigurationActivities } from '../contracts/shared-configurations';
import { sharedTags } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { aws } from './aws-errors';
import { firstByArn } from '../contracts/show-resources';
import { createOnce } from './create-once';

/** `showrunner-<bucket>` with the characters IVS names refuse replaced. */
export const storageConfigurationName = (bucket: string) =>
  `showrunner-${bucket.replace(/[^a-zA-Z0-9-_]/g, '-')}`.slice(0, 128);
export const encoderConfigurationName = (preset: string) => `showrunner-${preset}`;

/**
 * Storage and encoder configurations are shared between shows (IVS allows only 5 storage configurations per
 * region): a show finds an existing one before creating, and never deletes it. Creating one is guarded like a
 * stage (create-once.ts): neither CreateStorageConfiguration nor CreateEncoderConfiguration takes an idempotency
 * token, so an unanswered create is looked for, and waited out, before anything is sent again. Where two exist for
 * the same bucket or preset (two shows created at once), every show picks the same one: the first by ARN.
 */
export function createSharedConfigurationActivities(clients: AwsClients): SharedConfigurationActivities {
  return {
    async ensureStorageConfiguration(input) {
      const ivs = clients.ivs(input);
      const arn = input.storageConfigurationArn;
      if (arn) {
        const { storageConfiguration } = await aws('GetStorageConfiguration', () =>
          ivs.send(new GetStorageConfigurationCommand({ arn })),
        );
        return { arn, bucket: storageConfiguration!.s3!.bucketName!, created: false };
      }
      const bucket = input.bucket!;
      const find = () =>
        aws('ListStorageConfigurations', async () => {
          const arns: string[] = [];
          for await (const page of paginateListStorageConfigurations({ client: ivs }, { maxResults: 100 })) {
            for (const s of page.storageConfigurations ?? [])
              if (s.arn && s.s3?.bucketName === bucket) arns.push(s.arn);
          }
          return firstByArn(arns);
        });
      const { value: madeOrFound, created } = await createOnce(clients.timing, {
        operation: 'CreateStorageConfiguration',
        findFirst: true,
        find,
        create: async (abortSignal) => {
          const { storageConfiguration } = await clients.ivsSingleAttempt(input).send(
            new CreateStorageConfigurationCommand({
              name: storageConfigurationName(bucket),
              s3: { bucketName: bucket },
              tags: sharedTags(),
            }),
            { abortSignal },
          );
          return storageConfiguration!.arn!;
        },
      });
      return { arn: madeOrFound, bucket, created };
    },

    async ensureEncoderConfiguration(input) {
      const ivs = clients.ivs(input);
      const name = encoderConfigurationName(input.preset);
      const find = () =>
        aws('ListEncoderConfigurations', async () => {
          const arns: string[] = [];
          for await (const page of paginateListEncoderConfigurations({ client: ivs }, { maxResults: 100 })) {
            for (const e of page.encoderConfigurations ?? []) if (e.arn && e.name === name) arns.push(e.arn);
          }
          return firstByArn(arns);
        });
      const { value: madeOrFound, created } = await createOnce(clients.timing, {
        operation: 'CreateEncoderConfiguration',
        findFirst: true,
        find,
        create: async (abortSignal) => {
          const { encoderConfiguration } = await clients
            .ivsSingleAttempt(input)
            .send(new CreateEncoderConfigurationCommand({ name, video: input.video, tags: sharedTags() }), {
              abortSignal,
            });
          return encoderConfiguration!.arn!;
        },
      });
      return { arn: madeOrFound, created };
    },
  };
}
