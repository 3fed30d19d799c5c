import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RecordingsIndexDocument } from '../../../activities/recordings';
import { fieldIssues, inlineIssues } from '../../../contracts/issues';
import { workerConfigSchema } from '../../../worker/worker-config';
import type { ShowResult } from '../../../contracts/show-status';
import type { ActionBody } from '../cli-action';
import type { CliContext } from '../cli-context';
import { failedError, usageError } from '../cli-errors';
import { formatRecordingsIndex } from '../format/format-recordings';
import { shortTime } from '../output';
import { findShow, showRuns } from './show-handle';

/** The worker's S3 settings (SHOWRUNNER_S3_*, AWS_*), so the CLI reads where the worker wrote. */
const s3Settings = workerConfigSchema.pick({
  AWS_REGION: true,
  AWS_DEFAULT_REGION: true,
  SHOWRUNNER_S3_ENDPOINT: true,
  SHOWRUNNER_S3_FORCE_PATH_STYLE: true,
});

function s3Client(ctx: CliContext): S3Client {
  const parsed = s3Settings.safeParse(ctx.env);
  if (!parsed.success) {
    throw usageError(`Invalid S3 settings: ${inlineIssues(fieldIssues(parsed.error.issues, '(environment)'))}`);
  }
  const e = parsed.data;
  const client = new S3Client({
    region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
    endpoint: e.SHOWRUNNER_S3_ENDPOINT,
    forcePathStyle: e.SHOWRUNNER_S3_FORCE_PATH_STYLE
      ? e.SHOWRUNNER_S3_FORCE_PATH_STYLE === 'true'
      : !!e.SHOWRUNNER_S3_ENDPOINT,
  });
  ctx.onClose(() => client.destroy());
  return client;
}

export async function readIndex(ctx: CliContext, location: { bucket: string; key: string; uri: string }) {
  try {
    const object = await s3Client(ctx).send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return JSON.parse(await object.Body!.transformToString()) as RecordingsIndexDocument;
  } catch (e) {
    throw failedError(
      `Cannot read the recordings index ${location.uri}: ${(e as Error).message} ` +
        '(check the AWS credentials, AWS_REGION and SHOWRUNNER_S3_ENDPOINT)',
    );
  }
}

/** Only a completed show has an index: its result names where indexing wrote it. */
export const recordingsAction: ActionBody<{ run?: string }> = async (ctx, [showId], options) => {
  const client = await ctx.client();
  const { handle, description } = await findShow(client, showId!, options.run);
  const runs = await showRuns(client, showId!);
  if (runs.length > 1) {
    const shown = options.run ?? description.runId;
    ctx.out.note(
      [
        `Note: show ID ${showId} was used for ${runs.length} shows; this is run ${shown}` +
          (options.run ? '' : ' (the latest)') +
          '. Another: --run <runId>',
        ...runs.map((r) => `  ${r.runId}  ${r.status.padEnd(10)} started ${shortTime(r.startTime)}`),
      ].join('\n'),
    );
  }
  const status = description.status.name;
  if (status === 'RUNNING') {
    throw failedError(
      `Show ${showId} is still running, so its recordings are not indexed yet: they are when it ends (\`showrunner status ${showId} --watch\`)`,
    );
  }
  if (status !== 'COMPLETED') throw failedError(`Show ${showId} ended ${status}: it has no recordings index`);
  const result: ShowResult = await handle.result();
  const location = result.recordingsIndex?.location;
  if (!location) {
    throw failedError(
      `Show ${showId} has no recordings index: it recorded nothing, or indexing failed (see the incidents in \`showrunner status ${showId}\`)`,
    );
  }
  const index = await readIndex(ctx, location);
  ctx.out.result({ showId, location, summary: index.summary, index }, () => formatRecordingsIndex(location.uri, index));
};
