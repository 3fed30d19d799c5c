import fs from 'node:fs';
import type { ViewerToken } from '../../../audience/sign-viewer-token';
import type { ActionBody } from '../cli-action';
import { failedError, usageError } from '../cli-errors';
import { shortTime } from '../output';

/**
 * `showrunner audience-token <id> --user U`: one viewer token from the audience token service (the way an application
 * backend asks), for trying a show's audience path by hand. Like `token`, the token goes to stdout once and nowhere
 * else. The service comes from SHOWRUNNER_AUDIENCE_URL, this caller's token from SHOWRUNNER_AUDIENCE_TOKEN or the
 * file SHOWRUNNER_AUDIENCE_TOKEN_FILE names (the local stack exports the URL and the file).
 */
export const audienceTokenAction: ActionBody<{ user: string; attributes?: string; ttl?: number }> = async (
  ctx,
  [showId],
  options,
) => {
  const url = process.env.SHOWRUNNER_AUDIENCE_URL;
  const token = audienceCallerToken(process.env);
  if (!url || !token)
    throw usageError(
      'Set SHOWRUNNER_AUDIENCE_URL and SHOWRUNNER_AUDIENCE_TOKEN or SHOWRUNNER_AUDIENCE_TOKEN_FILE (the local stack exports the URL and the file)',
    );
  let attributes: unknown;
  try {
    attributes = options.attributes === undefined ? undefined : JSON.parse(options.attributes);
  } catch {
    throw usageError('--attributes must be a JSON object of strings, e.g. \'{"seat":"A7"}\'');
  }
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/$/, '')}/shows/${encodeURIComponent(showId!)}/viewer-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ userId: options.user, attributes, ttlSeconds: options.ttl }),
    });
  } catch {
    throw failedError(`Cannot reach the audience token service at ${url}: is it running (npm run audience)?`);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<ViewerToken> & { error?: string; message?: string };
  if (res.status !== 201) {
    const message = `The token service refused (${res.status} ${body.error ?? ''}): ${body.message ?? 'no reason given'}`;
    throw res.status === 400 ? usageError(message) : failedError(message);
  }
  if (ctx.out.json) {
    process.stdout.write(`${JSON.stringify(body)}\n`);
    return;
  }
  process.stdout.write(`${body.token}\n`);
  ctx.out.note(
    `Viewer token for ${body.userId} (participant ${body.participantId}), expires ${shortTime(body.expiresAt)}`,
  );
};

/**
 * This caller's bearer token: SHOWRUNNER_AUDIENCE_TOKEN, or the first line of the file SHOWRUNNER_AUDIENCE_TOKEN_FILE
 * names (a file keeps the token out of printed export blocks, shell history and `env` listings). Errors name the
 * variable and the file, never the token.
 */
export function audienceCallerToken(env: NodeJS.ProcessEnv): string | undefined {
  const inline = env.SHOWRUNNER_AUDIENCE_TOKEN?.trim() || undefined;
  const file = env.SHOWRUNNER_AUDIENCE_TOKEN_FILE?.trim() || undefined;
  if (inline && file) throw usageError('Set only one of SHOWRUNNER_AUDIENCE_TOKEN and SHOWRUNNER_AUDIENCE_TOKEN_FILE');
  if (!file) return inline;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw usageError(
      `SHOWRUNNER_AUDIENCE_TOKEN_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); ` +
        'is the local stack still running?',
    );
  }
  return text.split(/\r?\n/)[0]!.trim() || undefined;
}
