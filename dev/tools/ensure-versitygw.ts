import { ensureTool, type ResolvedTool } from './resolve-tool';

export const VERSITYGW_ENV_VAR = 'VERSITYGW';

export async function resolveVersitygw(): Promise<ResolvedTool> {
  return ensureTool('versitygw', VERSITYGW_ENV_VAR);
}

/** Absolute path to a versitygw binary: $VERSITYGW, PATH, the cache, or a fresh `go install`. */
export async function ensureVersitygw(): Promise<string> {
  return (await resolveVersitygw()).path;
}
