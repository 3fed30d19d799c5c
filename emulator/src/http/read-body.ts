import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error';

/** Called once with the whole body, or with the error that ended the read. */
export type BodyCallback = (error: Error | undefined, body: Buffer) => void;

const EMPTY = Buffer.alloc(0);

/**
 * Reads a request body, refusing more than `limit` bytes without buffering the excess, and calls `done` once.
 * A callback rather than a promise: the API front door reads a body on every request, and a promise, the microtask
 * that resolves it and the async function awaiting it cost more there than the read itself. A body that arrives in
 * one chunk, as small JSON bodies do, is handed on as that chunk: the stream gives it to us alone, and concatenating
 * one chunk would only copy it.
 */
export function readBodyThen(req: IncomingMessage, limit: number, done: BodyCallback): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    done(
      new ApiError(
        'RequestEntityTooLargeException',
        413,
        `Request body of ${declared} bytes exceeds the limit of ${limit} bytes`,
      ),
      EMPTY,
    );
    return;
  }
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  // Whether done was called. The listeners are anonymous on purpose: tsx (esbuild's keepNames) wraps every named
  // function created here in a call that defines its name, once per request.
  let settled = false;
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) {
      settled = true;
      req.removeAllListeners('data');
      req.resume();
      done(
        new ApiError('RequestEntityTooLargeException', 413, `Request body exceeds the limit of ${limit} bytes`),
        EMPTY,
      );
      return;
    }
    if (!first) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    done(undefined, more ? Buffer.concat(more, size) : (first ?? EMPTY));
  });
  req.on('error', (error: NodeJS.ErrnoException) => {
    if (settled) return;
    settled = true;
    // The connection closed mid-body: the client went away or the server's request timeout cut a stalled client
    // off. Nobody is left to answer, but it is the client's doing, not an internal error.
    if (error.code === 'ECONNRESET' || req.destroyed)
      done(
        new ApiError('IncompleteRequest', 400, 'The connection closed before the whole request body arrived'),
        EMPTY,
      );
    else done(error, EMPTY);
  });
}

/** readBodyThen as a promise, for the front doors that are not on the hot path (control API, STS). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    readBodyThen(req, limit, (error, body) => (error ? reject(error) : resolve(body))),
  );
}

/**
 * Media types a JSON request body may carry. AWS's front ends take a restJson1 body under any of them (aws-elixir
 * sends application/x-amz-json-1.1 for every restJson1 service and works against AWS), or with no content type.
 */
const JSON_MEDIA_TYPES = new Set(['application/json', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1', '']);

/** Parses a restJson1 request body: empty means `{}`, anything but a JSON object is a SerializationException. */
export function parseJsonObject(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (body.length === 0) return {};
  // Nearly every client sends exactly this; anything else is normalised first.
  const mediaType =
    contentType === 'application/json' ? contentType : (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPES.has(mediaType)) {
    throw new ApiError(
      'UnsupportedMediaTypeException',
      415,
      `Unsupported content type '${mediaType}': send the JSON body as application/json, application/x-amz-json-1.0 or application/x-amz-json-1.1`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new ApiError('SerializationException', 400, `Malformed JSON in request body: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('SerializationException', 400, 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
