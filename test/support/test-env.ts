import { s3ClientConfig, type S3Coordinates } from '../../dev/aws/local-aws';

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
  /** "cluster": the real Temporal server on PostgreSQL instead of the dev server (set by the caller of npm test). */
  temporalMode: 'SHOWRUNNER_TEMPORAL',
} as const;

/**
 * Tests that need the production topology (they start a cluster of their own, or must run against one) skip with
 * this reason unless `SHOWRUNNER_TEMPORAL=cluster npm test -- ...` runs them; CI runs them that way.
 */
export const clusterOnly: string | false =
  process.env[TEST_ENV_VARS.temporalMode] === 'cluster'
    ? false
    : 'needs the Temporal cluster: run with SHOWRUNNER_TEMPORAL=cluster (builds the server on first use)';

export type TestS3Env = S3Coordinates;

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

/** Constructor options for `new S3Client(...)` against the suite's S3 server. */
export function testS3ClientConfig(): ReturnType<typeof s3ClientConfig> {
  return s3ClientConfig(testS3Env());
}
