import type { ServerResponse } from 'node:http';
import { ApiError } from '../errors/api-error';

/** Serializes a restJson1 body: dates become ISO 8601 (Date#toJSON), undefined members are omitted. */
export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const payload = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: ApiError, requestId: string): void {
  // `exceptionMessage` is the model's member; `message` is what SDKs surface as error.message.
  const payload = JSON.stringify({ exceptionMessage: error.message, message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.type,
  });
  res.end(payload);
}
