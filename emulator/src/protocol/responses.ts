import type { ServerResponse } from 'node:http';
import type { ApiError } from '../errors/api-error';
import { shapes } from '../model/constraints';

/**
 * Values of the response headers the model binds to output members (StartParticipantReplicationResponse,
 * StopParticipantReplicationResponse and every error shape carry them). The model names the headers but not their
 * values; these are the ones AWS's API front ends commonly send. Clients should not depend on the values, only on the
 * headers being there, which is what the model promises.
 */
const HEADER_VALUES: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'",
  'Strict-Transport-Security': 'max-age=47304000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

/** Each shape's header-bound members, from the model: [header name, member name]. */
const headerMembers = new Map<string, [string, string][]>();
for (const [name, shape] of Object.entries(shapes)) {
  const bound = Object.entries(shape.members ?? {})
    .filter(([, m]) => m.location === 'header' && m.locationName)
    .map(([member, m]): [string, string] => [m.locationName!, member]);
  if (bound.length > 0) headerMembers.set(name, bound);
}

const NO_HEADERS: Readonly<Record<string, string>> = {};
const boundHeaderCache = new Map<string, Readonly<Record<string, string>>>();

/**
 * The headers an output or error shape binds, with their values (computed once per shape: this is on every
 * response's path). An error shape's `x-amzn-ErrorType` member is its own name, which sendError sets anyway.
 */
function boundHeaders(shapeName: string | undefined): Readonly<Record<string, string>> {
  if (!shapeName || !headerMembers.has(shapeName)) return NO_HEADERS;
  let headers = boundHeaderCache.get(shapeName);
  if (!headers) {
    const out: Record<string, string> = {};
    for (const [header] of headerMembers.get(shapeName)!) {
      const value = header.toLowerCase() === 'x-amzn-errortype' ? shapeName : HEADER_VALUES[header];
      if (value !== undefined) out[header.toLowerCase()] = value;
    }
    headers = out;
    boundHeaderCache.set(shapeName, headers);
  }
  return headers;
}

/** Serializes a restJson1 body: dates become ISO 8601 (Date#toJSON), undefined members are omitted. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  outputShape?: string,
): void {
  const payload = JSON.stringify(body ?? {});
  const bound = boundHeaders(outputShape);
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
  };
  // Most outputs bind no header: no spread on the common path.
  res.writeHead(status, bound === NO_HEADERS ? headers : { ...bound, ...headers });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: ApiError, requestId: string): void {
  // `exceptionMessage` is the model's member; `message` is what SDKs surface as error.message.
  const payload = JSON.stringify({ exceptionMessage: error.message, message: error.message });
  res.writeHead(error.status, {
    ...boundHeaders(shapes[error.type]?.exception ? error.type : undefined),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.type,
  });
  res.end(payload);
}
