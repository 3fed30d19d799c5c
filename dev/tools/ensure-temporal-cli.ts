import { findGo } from './go-install';
import { ensureTool, findToolLocally, type ResolvedTool } from './resolve-tool';
import { downloadTemporalCliViaSdk } from './temporal-cli-sdk-download';

export const TEMPORAL_CLI_ENV_VAR = 'TEMPORAL_CLI';

export type TemporalCliSource = ResolvedTool['source'] | 'sdk-download';

export async function resolveTemporalCli(): Promise<{ path: string; source: TemporalCliSource }> {
  const local = findToolLocally('temporal', TEMPORAL_CLI_ENV_VAR);
  if (!('missing' in local)) return local;
  if (!findGo()) return { path: await downloadTemporalCliViaSdk(), source: 'sdk-download' };
  return ensureTool('temporal', TEMPORAL_CLI_ENV_VAR);
}

/**
 * Absolute path to the Temporal CLI: $TEMPORAL_CLI, PATH, the cache, a fresh `go install`, or (no Go) the SDK's
 * download. Building takes minutes the first time; progress goes to stderr.
 */
export async function ensureTemporalCli(): Promise<string> {
  return (await resolveTemporalCli()).path;
}
