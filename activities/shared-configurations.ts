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

/** `showrunner-<bucket>` with the characters IVS names refuse replaced. */
export const storageConfigurationName = (bucket: string) =>
  `showrunner-${bucket.replace(/[^a-zA-Z0-9-_]/g, '-')}`.slice(0, 128);
export const encoderConfigurationName = (preset: string) => `showrunner-${preset}`;

/**
 * Storage and encoder configurations are shared between shows (IVS allows only 5 storage configurations per
 * region): a show finds an existing one before creating, and never deletes it.
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
      const find = async () => {
        for await (const page of paginateListStorageConfigurations({ client: ivs }, {})) {
          const found = page.storageConfigurations?.find((s) => s.s3?.bucketName === bucket);
          if (found?.arn) return found.arn;
        }
        return undefined;
      };
      const existing = await aws('ListStorageConfigurations', find);
      if (existing) return { arn: existing, bucket, created: false };
      const created = await aws('CreateStorageConfiguration', () =>
        clients.ivsSingleAttempt(input).send(
          new CreateStorageConfigurationCommand({
            name: storageConfigurationName(bucket),
            s3: { bucketName: bucket },
            tags: sharedTags(),
          }),
        ),
      );
      return { arn: created.storageConfiguration!.arn!, bucket, created: true };
    },

    async ensureEncoderConfiguration(input) {
      const ivs = clients.ivs(input);
      const name = encoderConfigurationName(input.preset);
      const find = async () => {
        for await (const page of paginateListEncoderConfigurations({ client: ivs }, {})) {
          const found = page.encoderConfigurations?.find((e) => e.name === name);
          if (found?.arn) return found.arn;
        }
        return undefined;
      };
      const existing = await aws('ListEncoderConfigurations', find);
      if (existing) return { arn: existing, created: false };
      const created = await aws('CreateEncoderConfiguration', () =>
        clients
          .ivsSingleAttempt(input)
          .send(new CreateEncoderConfigurationCommand({ name, video: input.video, tags: sharedTags() })),
      );
      return { arn: created.encoderConfiguration!.arn!, created: true };
    },
  };
}
