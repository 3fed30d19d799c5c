import type { AccountRegion } from './aws-scope';

/** Exactly one of bucket or storageConfigurationArn (the show spec guarantees it). */
export interface EnsureStorageInput extends AccountRegion {
  bucket?: string;
  storageConfigurationArn?: string;
}
export interface EnsureEncoderInput extends AccountRegion {
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

export interface SharedConfigurationActivities {
  /** An existing configuration by ARN (to learn its bucket), or a shared one for a bucket, made if missing. */
  ensureStorageConfiguration(input: EnsureStorageInput): Promise<EnsuredStorageConfiguration>;
  ensureEncoderConfiguration(input: EnsureEncoderInput): Promise<EnsuredConfiguration>;
}
