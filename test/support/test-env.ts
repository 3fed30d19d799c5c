/**
 * The services tests talk to are started once by test/run-tests.ts and handed over through these variables.
 */
export const TEST_ENV_VARS = {
  s3Endpoint: 'SHOWRUNNER_S3_ENDPOINT',
  s3AccessKeyId: 'SHOWRUNNER_S3_ACCESS_KEY_ID',
  s3SecretAccessKey: 'SHOWRUNNER_S3_SECRET_ACCESS_KEY',
  s3Region: 'SHOWRUNNER_S3_REGION',
  temporalAddress: 'TEMPORAL_ADDRESS',
  temporalNamespace: 'TEMPORAL_NAMESPACE',
  temporalUiUrl: 'SHOWRUNNER_TEMPORAL_UI_URL',
  temporalCli: 'SHOWRUNNER_TEMPORAL_CLI',
} as const;

export interface TestS3Env {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface TestTemporalEnv {
  address: string;
  namespace: string;
  uiUrl: string;
  cliPath: string;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `Environment variable ${name} is not set: run tests through \`npm test\` (e.g. \`npm test -- <file>\`), ` +
        `which starts the S3 and Temporal servers and exports it.`,
    );
  }
  return value;
}

export function testS3Env(): TestS3Env {
  return {
    endpoint: requireEnv(TEST_ENV_VARS.s3Endpoint),
    accessKeyId: requireEnv(TEST_ENV_VARS.s3AccessKeyId),
    secretAccessKey: requireEnv(TEST_ENV_VARS.s3SecretAccessKey),
    region: requireEnv(TEST_ENV_VARS.s3Region),
  };
}

export function testTemporalEnv(): TestTemporalEnv {
  return {
    address: requireEnv(TEST_ENV_VARS.temporalAddress),
    namespace: requireEnv(TEST_ENV_VARS.temporalNamespace),
    uiUrl: requireEnv(TEST_ENV_VARS.temporalUiUrl),
    cliPath: requireEnv(TEST_ENV_VARS.temporalCli),
  };
}

/** Constructor options for `new S3Client(...)`; versitygw serves buckets only under path-style URLs. */
export function testS3ClientConfig(): {
  endpoint: string;
  region: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  const s3 = testS3Env();
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  };
}
