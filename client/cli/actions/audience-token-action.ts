import type { ViewerToken } from '../../../audience/sign-viewer-token';
import type { ActionBody } from '../cli-action';
import { failedError, usageError } from '../cli-errors';
import { shortTime } from '../output';

/**
 * `showrunner audience-token <id> --user U`: one viewer token from the audience token service (the way an application
 * backend asks), for trying a show's audience path by hand. Like `token`, the token goes to stdout once and nowhere
 * else. The service and this caller's token come from SHOWRUNNER_AUDIENCE_URL and SHOWRUNNER_AUDIENCE_TOKEN (the
 * local stack exports both).
 */
export const audienceTokenAction: ActionBody<{ user: string; attributes?: string; ttl?: number }> = async (
  ctx,
  [showId],
  options,
) => {
  const url = process.env.SHOWRUNNER_AUDIENCE_URL;
  const token = process.env.SHOWRUNNER_AUDIENCE_TOKEN;
  if (!url || !token)
    throw usageError('Set SHOWRUNNER_AUDIENCE_URL and SHOWRUNNER_AUDIENCE_TOKEN (the local stack exports both)');
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
