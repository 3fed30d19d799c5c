import { operationModels } from '../model/constraints';
import { ApiError, validationError } from '../errors/api-error';

export interface RoutedOperation {
  operation: string;
  /** Members bound from the URI and query string (tags operations). */
  bound: Readonly<Record<string, unknown>>;
}

/** What an operation without URI-bound members binds: one shared empty object, so the handler can skip merging. */
export const NOTHING_BOUND: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Operations with a fixed URI by method, then path, each with its one (frozen) routing result: routing runs on every
 * request, and this way it builds no `method path` key and no result object.
 */
const byMethodAndPath = new Map<string, Map<string, RoutedOperation>>();
for (const [name, op] of Object.entries(operationModels)) {
  if (op.uri.includes('{')) continue;
  let byPath = byMethodAndPath.get(op.method);
  if (!byPath) byMethodAndPath.set(op.method, (byPath = new Map<string, RoutedOperation>()));
  byPath.set(op.uri, Object.freeze({ operation: name, bound: NOTHING_BOUND }));
}
const TAGS_PREFIX = '/tags/';
const tagOperations: Record<string, string> = {
  GET: 'ListTagsForResource',
  POST: 'TagResource',
  DELETE: 'UntagResource',
};

/** Maps a request line to a model operation the way the service's HTTP bindings do. */
export function routeOperation(method: string, rawUrl: string): RoutedOperation {
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const direct = byMethodAndPath.get(method)?.get(path);
  if (direct) return direct;
  if (path.startsWith(TAGS_PREFIX) && tagOperations[method]) {
    let resourceArn: string;
    try {
      resourceArn = decodeURIComponent(path.slice(TAGS_PREFIX.length));
    } catch {
      throw validationError('resourceArn in the path is not valid percent-encoding');
    }
    const bound: Record<string, unknown> = { resourceArn };
    if (method === 'DELETE') {
      // Only when the query names it: tagKeys is required, and its absence must reach validation as a missing member.
      const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));
      if (query.has('tagKeys')) bound.tagKeys = query.getAll('tagKeys');
    }
    return { operation: tagOperations[method], bound };
  }
  const known = Object.entries(operationModels).some(([, op]) => op.uri === path);
  if (known) throw new ApiError('MethodNotAllowedException', 405, `${method} is not allowed on ${path}`);
  throw new ApiError('UnknownOperationException', 404, `No IVS Real-Time operation matches ${method} ${path}`);
}
