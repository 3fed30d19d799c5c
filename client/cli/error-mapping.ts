import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { rootMessage } from '../../contracts/errors';
import { KeyRingError } from '../../security/encryption-keys';
import { ShowSpecError } from '../../show-spec/parse-show-spec';
import { CliError, failedError, unreachable, usageError } from './cli-errors';

// gRPC status codes, as the SDK reports them on errors and their causes.
const UNAVAILABLE = 14;
export const DEADLINE_EXCEEDED = 4;
export const INVALID_ARGUMENT = 3;

/** What each remaining gRPC status means for an operator of this CLI, in place of "7 PERMISSION_DENIED: …". */
const GRPC_SENTENCES: Record<number, string> = {
  1: 'The request was cancelled before Temporal answered',
  2: 'Temporal failed with an unknown error',
  5: 'Temporal does not know what was asked for (wrong namespace, or it was deleted)',
  6: 'That already exists in Temporal',
  7: 'Temporal refused the request: these credentials may not do this (check TEMPORAL_API_KEY or the TLS identity)',
  8: 'Temporal is rate-limiting this namespace or is out of resources: try again shortly',
  9: 'Temporal refused the request in the current state of the workflow',
  10: 'Temporal aborted the request because of a conflicting change: try again',
  11: 'A value was out of the range Temporal accepts',
  12: 'This Temporal server does not support that request (too old, or the feature is off)',
  13: 'Temporal failed with an internal error',
  15: 'Temporal reported data loss',
  16: 'Temporal did not accept the credentials: set TEMPORAL_API_KEY or the TLS client certificate (TEMPORAL_TLS_*)',
};

/** The SDK's gRPC messages start with the code ("7 PERMISSION_DENIED: why"); keep only why. */
const withoutGrpcPrefix = (message: string) => message.replace(/^\d+ [A-Z_]+: ?/, '');

export function grpcCode(error: unknown): number | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

/**
 * Maps whatever a command threw to an exit code and a next step. Commands turn the not-found cases they can name
 * (a show ID) into their own messages; this is the fallback for the rest.
 */
export function toCliError(error: unknown, address: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ShowSpecError) {
    return usageError(`Invalid show spec${error.source ? ` ${error.source}` : ''}: fix these fields`, error.issues);
  }
  if (error instanceof KeyRingError) return usageError(error.message);
  if (error instanceof WorkflowNotFoundError) {
    return failedError(`No workflow with id ${error.workflowId}: check \`showrunner list\``);
  }
  if (error instanceof ScheduleNotFoundError) {
    return failedError(`No schedule with id ${error.scheduleId}: check \`showrunner schedule list\``);
  }
  if (error instanceof ScheduleAlreadyRunning) {
    return failedError(
      `A schedule with id ${error.scheduleId} already exists: see \`showrunner schedule describe ${error.scheduleId}\` or delete it first`,
    );
  }
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return failedError(`Workflow ${error.workflowId} already exists: give the show another id, or check its status`);
  }
  if (error instanceof WorkflowUpdateFailedError) return failedError(`Rejected by the show: ${rootMessage(error)}`);
  const code = grpcCode(error);
  if (code === UNAVAILABLE) return unreachable(address);
  // The connection is up (it was made before any call); a call that ran out of time is a timeout, not an outage.
  if (code === DEADLINE_EXCEEDED)
    return failedError(
      `Temporal at ${address} did not answer in time (${withoutGrpcPrefix(rootMessage(error))}): it may be overloaded, or the show's worker is not answering; try again`,
    );
  if (code === INVALID_ARGUMENT)
    return usageError(`Temporal rejected the request: ${withoutGrpcPrefix(rootMessage(error))}`);
  const sentence = code === undefined ? undefined : GRPC_SENTENCES[code];
  if (sentence) {
    const detail = withoutGrpcPrefix(rootMessage(error)).trim();
    return failedError(detail ? `${sentence} (${detail})` : sentence);
  }
  return failedError(rootMessage(error));
}
