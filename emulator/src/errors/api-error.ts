import { shapes } from '../model/constraints';

/**
 * An error answered to the caller in the service's wire shape. `type` goes into `x-amzn-ErrorType`, which
 * every AWS SDK reads first to pick the exception class. This module sits at the bottom of the emulator: every
 * layer (state, domain, operations, wire) may throw these, and it imports nothing but the model.
 */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** The model's error shapes and their HTTP status (`error.httpStatusCode`), derived rather than copied. */
export const modelErrorStatus: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(shapes)
    .filter(([, s]) => s.exception && s.httpStatusCode !== undefined)
    .map(([name, s]) => [name, s.httpStatusCode!]),
);

function modelError(type: string, message: string): ApiError {
  const status = modelErrorStatus[type];
  if (status === undefined) throw new Error(`${type} is not an error shape of the service model`);
  return new ApiError(type, status, message);
}

export const validationError = (message: string) => modelError('ValidationException', message);
export const notFound = (message: string) => modelError('ResourceNotFoundException', message);
export const conflict = (message: string) => modelError('ConflictException', message);
export const quotaExceeded = (message: string) => modelError('ServiceQuotaExceededException', message);
export const accessDenied = (message: string) => modelError('AccessDeniedException', message);
export const internalError = (message = 'An internal error occurred') => modelError('InternalServerException', message);
/** The service's front door throttles with 429; the model defines no throttling error. */
export const throttled = (message = 'Rate exceeded') => new ApiError('TooManyRequestsException', 429, message);
