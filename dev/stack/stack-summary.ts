import fs from 'node:fs';
import path from 'node:path';
import { LOCAL_STACK_BUCKET } from '../aws/local-aws';
import type { LocalStack } from './local-stack';
import { exportBlock, stackEnv } from './stack-env';
import { localStackDir } from './stack-key';

/** Where the stack's export block is also written, for `source`. Removed when the stack stops. */
export const stackEnvFile = () => path.join(localStackDir(), 'stack.env');

export function writeStackEnvFile(stack: LocalStack): string {
  const file = stackEnvFile();
  fs.writeFileSync(file, `${exportBlock(stackEnv(stack))}\n`, { mode: 0o600 });
  return file;
}

export function removeStackEnvFile(): void {
  fs.rmSync(stackEnvFile(), { force: true });
}

/** The link to a workflow's page in the stack's Web UI. */
export function uiLink(stack: LocalStack, workflowId?: string): string {
  const base = stack.temporal.uiUrl ?? '(no Web UI)';
  return workflowId ? `${base}/namespaces/${stack.temporal.namespace}/workflows/${workflowId}` : base;
}

/** What a user needs to use the stack: where each piece is, whether state is kept, and the export block. */
export function stackSummary(stack: LocalStack, options: { envFile?: string } = {}): string {
  const row = (name: string, value: string, note = '') =>
    `  ${name.padEnd(18)}${value.length < 34 ? value.padEnd(34) : `${value}  `}${note}`.trimEnd();
  const state = stack.persistent
    ? `State is kept in ${stack.dir} (Temporal's database, S3's buckets) and found again by the next \`--persist\`; ` +
      `the IVS emulator keeps its resources in memory, so they start empty each time.`
    : `State is thrown away when the stack stops (run with --persist to keep Temporal's database and S3's buckets).`;
  return [
    row('Temporal Web UI', uiLink(stack), 'payloads decoded by the codec server below'),
    row('Temporal gRPC', stack.temporal.address, `namespace ${stack.temporal.namespace}`),
    row('IVS emulator', stack.emulator.endpoint, 'IVS Real-Time API, STS, control API'),
    row('S3 (versitygw)', stack.s3Server.endpoint, `bucket ${LOCAL_STACK_BUCKET} ready`),
    row('codec server', stack.codec.url, 'no token from loopback; refused from anywhere else'),
    row('events endpoint', `${stack.events.url}/events`, 'subscribed to the emulator’s IVS events'),
    row(
      'audience tokens',
      `${stack.audience.url}/shows/<id>/viewer-tokens`,
      `Bearer token in ${stack.audienceTokenFile}`,
    ),
    row('worker', `task queues ${stack.taskQueue}, ${stack.monitorTaskQueue}`),
    ...(stack.keyFile
      ? [
          row(
            'encryption key',
            stack.keyFile,
            stack.keyCreated ? 'made now; every later run reads it' : 'the same every run',
          ),
        ]
      : []),
    row('logs', stack.dir),
    '',
    state,
    '',
    `To use it from another terminal, paste this${options.envFile ? ` (or \`source ${options.envFile}\`)` : ''}:`,
    '',
    exportBlock(stackEnv(stack)),
    '',
    'then, for example:',
    '  npx showrunner start examples/basic-show.yaml',
    '  npx showrunner status weekly-dev-talk-ep42 --watch',
    '  aws ivs-realtime list-stages        # the AWS CLI and boto3 read the same variables',
  ].join('\n');
}
