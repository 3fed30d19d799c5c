import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../aws/local-aws';
import type { LocalStack } from './local-stack';

/**
 * The variables that point the `showrunner` CLI, `npm run worker`, the AWS CLI and boto3 at a running stack.
 * AWS_ENDPOINT_URL_<service id> is the AWS SDKs' and CLI's per-service endpoint setting (IVS Real-Time's service
 * ID is "IVS RealTime"); path-style S3 follows from the endpoint being an IP address.
 */
export function stackEnv(stack: LocalStack): [name: string, value: string][] {
  return [
    ['TEMPORAL_ADDRESS', stack.temporal.address],
    ['TEMPORAL_NAMESPACE', stack.temporal.namespace],
    ...Object.entries(stack.keyRingEnv),
    ['AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey],
    ['AWS_REGION', LOCAL_REGION],
    ['AWS_DEFAULT_REGION', LOCAL_REGION],
    ['AWS_ENDPOINT_URL_IVS_REALTIME', stack.emulator.endpoint],
    ['AWS_ENDPOINT_URL_S3', stack.s3Server.endpoint],
    ['SHOWRUNNER_IVS_ENDPOINT', stack.emulator.endpoint],
    ['SHOWRUNNER_S3_ENDPOINT', stack.s3Server.endpoint],
    ['SHOWRUNNER_STS_ENDPOINT', stack.emulator.endpoint],
    ['SHOWRUNNER_AUDIENCE_URL', stack.audience.url],
    // The file, not the token: the block is printed, and a secret must not land in terminal scrollback or logs.
    ['SHOWRUNNER_AUDIENCE_TOKEN_FILE', stack.audienceTokenFile],
  ];
}

/** Single quotes keep every value literal in sh, bash and zsh; a quote inside one is closed, escaped, reopened. */
const shellQuote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/** `export A=1 \` lines to paste or `eval`. */
export function exportBlock(env: [string, string][]): string {
  return env.map(([name, value], i) => `${i === 0 ? 'export ' : '       '}${name}=${shellQuote(value)}`).join(' \\\n');
}
