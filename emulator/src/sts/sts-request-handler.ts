import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SigV4Verifier } from '../auth/sigv4-verifier';
import { ApiError, internalError } from '../errors/api-error';
import type { ApiMetrics } from '../usage/api-metrics';
import { readBody } from '../http/read-body';
import type { AssumableRoles } from './assumable-roles';
import type { SessionCredentialStore } from './session-credentials';
import { invalidAction, missingAction, toStsError } from './sts-errors';
import { stsActions, type StsAction } from './sts-operations';
import { sendStsError, sendStsResult } from './sts-xml';

/** STS's signing name, and the API version every awsQuery request names. */
export const STS_SIGNING_NAME = 'sts';
const STS_VERSION = '2011-06-15';
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
const STS_SCOPE = /Credential=[^/\s]+\/\d{8}\/[^/\s]+\/sts\/aws4_request/;

export interface StsDependencies {
  verifier: SigV4Verifier;
  sessions: SessionCredentialStore;
  assumableRoles: AssumableRoles;
  metrics: ApiMetrics;
  maxBodyBytes: number;
  log: (message: string) => void;
  logRequests: boolean;
}

const mediaType = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * IVS Real-Time has no operation at `POST /`, and awsQuery sends every call there, so a form post to `/` (or any
 * `POST /` signed for `sts`) is an STS call and the two services share one endpoint without ambiguity.
 */
export function isStsRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  if ((queryStart === -1 ? url : url.slice(0, queryStart)) !== '/') return false;
  return mediaType(req) === FORM_MEDIA_TYPE || STS_SCOPE.test(req.headers.authorization ?? '');
}

/** awsQuery parameters: the form body, over any given in the query string. */
function readParameters(req: IncomingMessage, body: Buffer): URLSearchParams {
  if (body.length > 0 && mediaType(req) !== FORM_MEDIA_TYPE) {
    throw new ApiError(
      'UnsupportedMediaType',
      415,
      `Unsupported content type '${mediaType(req)}': STS takes ${FORM_MEDIA_TYPE} (awsQuery)`,
    );
  }
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const params = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
  return params;
}

function resolveAction(params: URLSearchParams): { name: string; run: StsAction } {
  const name = params.get('Action');
  if (!name) throw missingAction();
  const version = params.get('Version') ?? STS_VERSION;
  if (version !== STS_VERSION) throw invalidAction(name, version);
  const run = stsActions.get(name);
  if (!run) throw invalidAction(name, version, ' (the emulator serves AssumeRole and GetCallerIdentity)');
  return { name, run };
}

/**
 * The STS front door: body, action, authentication (SigV4 for `sts`, by the same credentials as IVS), then the
 * action. STS has its own rate limits and is not an IVS operation, so IVS rate limits and injected faults do
 * not apply; calls are counted in the metrics like IVS operations, under the caller's account and region.
 */
export async function handleStsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: StsDependencies,
): Promise<void> {
  const requestId = randomUUID();
  const started = Date.now();
  let action = 'Unknown';
  let scope = { accountId: '-', region: '-' };
  let errorType: string | undefined;
  try {
    const body = await readBody(req, deps.maxBodyBytes);
    const params = readParameters(req, body);
    const resolved = resolveAction(params);
    action = resolved.name;
    const caller = deps.verifier.identify(req, body);
    scope = caller;
    const result = resolved.run({ caller, sessions: deps.sessions, assumableRoles: deps.assumableRoles }, params);
    sendStsResult(res, action, result, requestId);
  } catch (e) {
    if (!(e instanceof ApiError)) deps.log(`internal error in STS ${action}: ${(e as Error).stack ?? String(e)}`);
    const error = toStsError(e instanceof ApiError ? e : internalError());
    errorType = error.type;
    if (!res.headersSent && !res.destroyed) sendStsError(res, error, requestId);
  } finally {
    deps.metrics.record(scope.accountId, scope.region, action, errorType);
    if (deps.logRequests) {
      deps.log(
        `${req.method} sts:${action} ${scope.accountId}/${scope.region} ${errorType ?? 'OK'} ${Date.now() - started}ms ${requestId}`,
      );
    }
  }
}
