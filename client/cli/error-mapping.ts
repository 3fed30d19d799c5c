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
const DEADLINE_EXCEEDED = 4;
const INVALID_ARGUMENT = 3;

function grpcCode(error: unknown): number | undefined {
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
  if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED) return unreachable(address);
  if (code === INVALID_ARGUMENT) return usageError(`Temporal rejected the request: ${rootMessage(error)}`);
  return failedError(rootMessage(error));
}
