import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { NOT_YET_FAILURE_TYPE } from '../contracts/failure-types';

/**
 * How an AWS error steers Temporal's retries. Errors that no retry can fix become non-retryable failures that
 * carry the AWS error name as their type, so workflows can branch on it; everything else (throttling, 5xx,
 * timeouts, resets) is retried with the activity's backoff.
 */
export const NON_RETRYABLE_AWS_ERRORS = new Set([
  'ValidationException',
  'AccessDeniedException',
  'PendingVerification',
  'ServiceQuotaExceededException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
]);

export function awsErrorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? 'Error';
}

/**
 * Whether IVS answered the request: then whatever it did is done, and nothing of it can land later. No HTTP
 * answer at all (our deadline passed, the connection dropped) leaves the outcome open; so do 502 and 504, which
 * come from a gateway that stopped waiting for the service rather than from the service.
 */
export function ivsAnswered(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status !== undefined && status !== 502 && status !== 504;
}

export const isNotFound = (error: unknown) => awsErrorName(error) === 'ResourceNotFoundException';
export const isConflict = (error: unknown) => awsErrorName(error) === 'ConflictException';

/** Rethrows an AWS SDK error as the ApplicationFailure Temporal should act on. `what` says what was being done. */
export function toFailure(error: unknown, what: string): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  countApiError(what, error);
  const name = awsErrorName(error);
  const message = `${what}: ${name}: ${(error as Error | undefined)?.message ?? String(error)}`;
  if (NON_RETRYABLE_AWS_ERRORS.has(name)) return ApplicationFailure.nonRetryable(message, name);
  return ApplicationFailure.retryable(message, name);
}

/** Runs an AWS call, translating (and counting) its failure. */
export async function aws<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toFailure(e, what);
  }
}

/** `showrunner_ivs_api_errors{operation,type}` on the worker's metrics (Prometheus when enabled). */
export function countApiError(operation: string, error: unknown): void {
  try {
    Context.current()
      .metricMeter.createCounter('showrunner_ivs_api_errors', 'errors', 'IVS and S3 API errors by operation and type')
      .add(1, { operation: operation.split(' ')[0]!, type: awsErrorName(error) });
  } catch {
    // Outside an activity (tests calling activities directly): nothing to count on.
  }
}

/**
 * Retry-as-poll: an attempt that found nothing new fails with this type and is retried at the poll interval.
 * BENIGN keeps these expected failures out of warning logs and failure metrics.
 */
export const notYet = (message: string) =>
  ApplicationFailure.create({ message, type: NOT_YET_FAILURE_TYPE, category: ApplicationFailureCategory.BENIGN });
