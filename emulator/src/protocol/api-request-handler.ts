import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallerIdentity, SigV4Verifier } from '../auth/sigv4-verifier';
import type { IvsDomain } from '../domain/ivs-domain';
import { operationModels } from '../model/constraints';
import { formatViolations, validateShape } from '../model/validate-input';
import { operationHandlers } from '../operations';
import type { OperationCall } from '../operations/operation-types';
import { NO_FAULT, type FaultDecision, type FaultInjector } from '../simulation/fault-injector';
import { ApiError, internalError, throttled, validationError } from '../errors/api-error';
import type { ApiMetrics } from '../usage/api-metrics';
import { NOTHING_BOUND, routeOperation, type RoutedOperation } from './operation-router';
import type { RateLimiter } from '../usage/rate-limiter';
import { parseJsonObject, readBodyThen } from '../http/read-body';
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

/** Whom a call is counted under before its signature names the caller. */
interface Scope {
  accountId: string;
  region: string;
}
const NO_SCOPE: Scope = Object.freeze({ accountId: '-', region: '-' });

/**
 * The service front door, in the order the service applies its checks: operation routing, body limits,
 * authentication, request parsing, throttling, then model validation; injected faults act between throttling
 * and the operation. Every response carries `x-amzn-RequestId`; every failure is an AWS-shaped error.
 *
 * Callbacks, not an async function: a call with no fault set and a synchronous operation (nearly every call) runs from
 * the body's last chunk to its answer without a promise, and a promise, a microtask turn and the async function's
 * own state on every request cost more than several of the checks. A fault or an asynchronous operation continues in
 * answerLater, as before.
 */
export function handleApiRequest(req: IncomingMessage, res: ServerResponse, deps: ApiDependencies): void {
  const started = deps.logRequests ? Date.now() : 0;
  try {
    const route = routeOperation(req.method ?? 'GET', req.url ?? '/');
    readBodyThen(req, deps.maxBodyBytes, (error, body) => {
      try {
        if (error) fail(req, res, deps, route.operation, NO_SCOPE, error, started);
        else answer(req, res, deps, route, body, started);
      } catch (e) {
        unhandled(deps, res, e);
      }
    });
  } catch (e) {
    try {
      fail(req, res, deps, 'Unknown', NO_SCOPE, e, started);
    } catch (again) {
      unhandled(deps, res, again);
    }
  }
}

/** Authentication to answer, synchronously unless a fault is set or the operation is asynchronous. */
function answer(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDependencies,
  route: RoutedOperation,
  body: Buffer,
  started: number,
): void {
  const operation = route.operation;
  let scope = NO_SCOPE;
  try {
    const caller = deps.verifier.identify(req, body);
    scope = caller;
    const parsed = parseJsonObject(body, req.headers['content-type']);
    // Only the tags operations bind members from the URI; the rest skip the copy.
    const input = route.bound === NOTHING_BOUND ? parsed : { ...parsed, ...route.bound };
    if (!deps.rateLimiter.tryAcquire(caller.accountId, caller.region, operation)) throw throttled();
    const fault = deps.faults.decide(operation, caller.accountId, caller.region);
    if (fault !== NO_FAULT) {
      answerLater(req, res, deps, operation, caller, started, fault, input).catch((e: unknown) =>
        unhandled(deps, res, e),
      );
      return;
    }
    const result = validateAndRun(deps, operation, caller, input);
    if (result instanceof Promise) {
      answerLater(req, res, deps, operation, caller, started, result).catch((e: unknown) => unhandled(deps, res, e));
      return;
    }
    succeed(req, res, deps, operation, caller, result, started);
  } catch (e) {
    fail(req, res, deps, operation, scope, e, started);
  }
}

/**
 * The rest of a call that waits: for an injected fault (latency, then the error or the operation, whose answer may be
 * lost), or for an asynchronous operation's `pending` result.
 */
async function answerLater(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDependencies,
  operation: string,
  caller: CallerIdentity,
  started: number,
  ...waitFor: [fault: FaultDecision, input: Record<string, unknown>] | [pending: Promise<unknown>]
): Promise<void> {
  let output: unknown;
  try {
    if (waitFor.length === 1) output = await waitFor[0];
    else {
      const [fault, input] = waitFor;
      if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault.error) throw fault.error;
      output = await validateAndRun(deps, operation, caller, input);
      if (fault.loseResponse) {
        // The change is applied; the caller never hears about it (any method: GET tags calls too). Counted in the
        // metrics as LostResponse. res.destroy() also covers a response whose socket is not attached yet.
        res.destroy();
        count(req, deps, operation, caller, 'LostResponse', started, randomUUID());
        return;
      }
    }
  } catch (e) {
    fail(req, res, deps, operation, caller, e, started);
    return;
  }
  succeed(req, res, deps, operation, caller, output, started);
}

/** Model validation of the input, then the operation: its output, or a promise of it. */
function validateAndRun(
  deps: ApiDependencies,
  operation: string,
  caller: CallerIdentity,
  input: Record<string, unknown>,
): unknown {
  const violations = validateShape(operationModels[operation]!.input, input);
  if (violations.length > 0) throw validationError(formatViolations(violations));
  return runOperation(deps, operation, caller, input);
}

/** Answers the operation's output; a failure to serialize it is answered as an internal error. */
function succeed(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDependencies,
  operation: string,
  caller: CallerIdentity,
  output: unknown,
  started: number,
): void {
  const requestId = randomUUID();
  const model = operationModels[operation]!;
  try {
    sendJson(res, model.status, output, requestId, model.output);
  } catch (e) {
    fail(req, res, deps, operation, caller, e, started, requestId);
    return;
  }
  count(req, deps, operation, caller, undefined, started, requestId);
}

/** Answers an error in the service's shape (anything but an ApiError is logged and answered as an internal error). */
function fail(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDependencies,
  operation: string,
  scope: Scope,
  e: unknown,
  started: number,
  requestId = randomUUID(),
): void {
  const error = e instanceof ApiError ? e : internalError();
  if (!(e instanceof ApiError)) deps.log(`internal error in ${operation}: ${(e as Error).stack ?? String(e)}`);
  if (!res.headersSent && !res.destroyed) sendError(res, error, requestId);
  count(req, deps, operation, scope, error.type, started, requestId);
}

/** Every call, answered or not, in the metrics and (with logRequests) the log. */
function count(
  req: IncomingMessage,
  deps: ApiDependencies,
  operation: string,
  scope: Scope,
  errorType: string | undefined,
  started: number,
  requestId: string,
): void {
  deps.metrics.record(scope.accountId, scope.region, operation, errorType);
  if (deps.logRequests) {
    deps.log(
      `${req.method} ${operation} ${scope.accountId}/${scope.region} ${errorType ?? 'OK'} ${Date.now() - started}ms ${requestId}`,
    );
  }
}

/** What escapes the front door's own error handling (its bug): logged, and a bare 500 if nothing was answered. */
function unhandled(deps: ApiDependencies, res: ServerResponse, e: unknown): void {
  deps.log(`unhandled error: ${(e as Error).stack ?? String(e)}`);
  if (!res.headersSent) res.writeHead(500).end();
}
