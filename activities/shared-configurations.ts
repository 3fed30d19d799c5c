import {
  CreateEncoderConfigurationCommand,
  CreateStorageConfigurationCommand,
  GetStorageConfigurationCommand,
  paginateListEncoderConfigurations,
  paginateListStorageConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type { AwsClients } from './aws-clients';
import { aws } from './aws-errors';
import { createOnce } from './create-once';
import { firstByArn } from './show-resources';
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
 * region): a show finds an existing one before creating, and never deletes it. Creating one is guarded like a
 * stage (create-once.ts): neither CreateStorageConfiguration nor CreateEncoderConfiguration takes an idempotency
 * token, so an unanswered create is looked for, and waited out, before anything is sent again. Where two exist for
 * the same bucket or preset (two shows created at once), every show picks the same one: the first by ARN.
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
              tags: { [TAG_MANAGED]: 'true' },
            }),
            { abortSignal },
          );
          return storageConfiguration!.arn!;
        },
      });
      return { arn: madeOrFound, bucket, created };
    },

    async ensureEncoderConfiguration(input: EnsureEncoderInput): Promise<EnsuredConfiguration> {
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
            .send(
              new CreateEncoderConfigurationCommand({ name, video: input.video, tags: { [TAG_MANAGED]: 'true' } }),
              {
                abortSignal,
              },
            );
          return encoderConfiguration!.arn!;
        },
      });
      return { arn: madeOrFound, created };
    },
  };
}
