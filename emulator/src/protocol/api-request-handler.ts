import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallerIdentity, SigV4Verifier } from '../auth/sigv4-verifier';
import type { IvsDomain } from '../domain/ivs-domain';
import { operationModels } from '../model/constraints';
import { formatViolations, validateShape } from '../model/validate-input';
import { operationHandlers } from '../operations';
import type { OperationCall } from '../operations/operation-types';
import type { FaultInjector } from '../simulation/fault-injector';
import { ApiError, internalError, throttled, validationError } from '../errors/api-error';
import type { ApiMetrics } from '../usage/api-metrics';
import { NOTHING_BOUND, routeOperation } from './operation-router';
import type { RateLimiter } from '../usage/rate-limiter';
import { parseJsonObject, readBody } from '../http/read-body';
import { sendError, sendJson } from './responses';
import { responseViolation, undocumentedError } from './self-check';

export interface ApiDependencies {
  domain: IvsDomain;
  verifier: SigV4Verifier;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  metrics: ApiMetrics;
  maxBodyBytes: number;
  log: (message: string) => void;
  logRequests: boolean;
  /** Set to check every answer against the model; receives each failure. */
  selfCheck?: (failure: string) => void;
}

/**
 * The operation itself, and with self-check on, its answer held against the model (see self-check.ts). Without
 * self-check the handler's own result is returned as is, a promise only when the handler is async: most are not, and
 * awaiting a plain value still costs a promise and a microtask turn on every request.
 */
function runOperation(
  deps: ApiDependencies,
  operation: string,
  caller: CallerIdentity,
  input: Record<string, unknown>,
): unknown {
  const region = deps.domain.ctx.store.region(caller.accountId, caller.region);
  const call = { caller, region, domain: deps.domain };
  if (!deps.selfCheck) return operationHandlers[operation]!(call, input);
  return runChecked(deps.selfCheck, operation, call, input);
}

async function runChecked(
  selfCheck: (failure: string) => void,
  operation: string,
  call: OperationCall,
  input: Record<string, unknown>,
): Promise<unknown> {
  let output: unknown;
  try {
    output = await operationHandlers[operation]!(call, input);
  } catch (e) {
    const failure = undocumentedError(operation, e instanceof ApiError ? e.type : 'InternalServerException');
    if (failure) throw selfCheckFailed(selfCheck, failure, e);
    throw e;
  }
  const failure = responseViolation(operation, output);
  if (failure) throw selfCheckFailed(selfCheck, failure);
  return output;
}

function selfCheckFailed(report: (failure: string) => void, failure: string, cause?: unknown): ApiError {
  report(failure);
  const detail = cause instanceof Error ? ` (${cause.message})` : '';
  return internalError(`Emulator self-check failed: ${failure}${detail}`);
}

/**
 * The service front door, in the order the service applies its checks: operation routing, body limits,
 * authentication, request parsing, throttling, then model validation; injected faults act between throttling
 * and the operation. Every response carries `x-amzn-RequestId`; every failure is an AWS-shaped error.
 */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDependencies,
): Promise<void> {
  const requestId = randomUUID();
  const started = deps.logRequests ? Date.now() : 0;
  let operation = 'Unknown';
  let scope = { accountId: '-', region: '-' };
  let errorType: string | undefined;
  try {
    const route = routeOperation(req.method ?? 'GET', req.url ?? '/');
    operation = route.operation;
    const body = await readBody(req, deps.maxBodyBytes);
    const caller = deps.verifier.identify(req, body);
    scope = caller;
    const parsed = parseJsonObject(body, req.headers['content-type']);
    // Only the tags operations bind members from the URI; the rest skip the copy.
    const input = route.bound === NOTHING_BOUND ? parsed : { ...parsed, ...route.bound };
    if (!deps.rateLimiter.tryAcquire(caller.accountId, caller.region, operation)) throw throttled();
    const fault = deps.faults.decide(operation, caller.accountId, caller.region);
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault.error) throw fault.error;
    const model = operationModels[operation]!;
    const violations = validateShape(model.input, input);
    if (violations.length > 0) throw validationError(formatViolations(violations));
    const result = runOperation(deps, operation, caller, input);
    const output: unknown = result instanceof Promise ? await result : result;
    if (fault.loseResponse) {
      // The change is applied; the caller never hears about it (any method: GET tags calls too). Counted in the
      // metrics as LostResponse. res.destroy() also covers a response whose socket is not attached yet.
      errorType = 'LostResponse';
      res.destroy();
      return;
    }
    sendJson(res, model.status, output, requestId, model.output);
  } catch (e) {
    const error = e instanceof ApiError ? e : internalError();
    if (!(e instanceof ApiError)) deps.log(`internal error in ${operation}: ${(e as Error).stack ?? String(e)}`);
    errorType = error.type;
    if (!res.headersSent && !res.destroyed) sendError(res, error, requestId);
  } finally {
    deps.metrics.record(scope.accountId, scope.region, operation, errorType);
    if (deps.logRequests) {
      deps.log(
        `${req.method} ${operation} ${scope.accountId}/${scope.region} ${errorType ?? 'OK'} ${Date.now() - started}ms ${requestId}`,
      );
    }
  }
}
