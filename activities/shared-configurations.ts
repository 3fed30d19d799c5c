import {
  CreateEncoderConfigurationCommand,
  CreateStorageConfigurationCommand,
  GetStorageConfigurationCommand,
  paginateListEncoderConfigurations,
  paginateListStorageConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type { AwsClients } from './aws-clients';
import { aws } from './aws-errors';
import { TAG_MANAGED } from './show-tags';

/** Exactly one of bucket or storageConfigurationArn (the show spec guarantees it). */
export interface EnsureStorageInput {
  region: string;
  /** The show's account; the worker's own when absent. */
  account?: string;
  bucket?: string;
  storageConfigurationArn?: string;
}
export interface EnsureEncoderInput {
  region: string;
  /** The show's account; the worker's own when absent. */
  account?: string;
  preset: string;
  video: { width: number; height: number; framerate: number; bitrate: number };
}
export interface EnsuredStorageConfiguration {
  arn: string;
  bucket: string;
  created: boolean;
}
export interface EnsuredConfiguration {
  arn: string;
  /** True when this call made it; shared configurations are never deleted by a show either way. */
  created: boolean;
}

/** `showrunner-<bucket>` with the characters IVS names refuse replaced. */
export const storageConfigurationName = (bucket: string) =>
  `showrunner-${bucket.replace(/[^a-zA-Z0-9-_]/g, '-')}`.slice(0, 128);
export const encoderConfigurationName = (preset: string) => `showrunner-${preset}`;

/**
 * Storage and encoder configurations are shared between shows (IVS allows only 5 storage configurations per
 * region): a show finds an existing one before creating, and never deletes it.
 */
export function createSharedConfigurationActivities(clients: AwsClients) {
  return {
    /** An existing configuration by ARN (to learn its bucket), or a shared one for a bucket, made if missing. */
    async ensureStorageConfiguration(input: EnsureStorageInput): Promise<EnsuredStorageConfiguration> {
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
            tags: { [TAG_MANAGED]: 'true' },
          }),
        ),
      );
      return { arn: created.storageConfiguration!.arn!, bucket, created: true };
    },

    async ensureEncoderConfiguration(input: EnsureEncoderInput): Promise<EnsuredConfiguration> {
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
          .send(new CreateEncoderConfigurationCommand({ name, video: input.video, tags: { [TAG_MANAGED]: 'true' } })),
      );
      return { arn: created.encoderConfiguration!.arn!, created: true };
    },
  };
}
