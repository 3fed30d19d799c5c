/**
 * An error answered to the caller in the service's wire shape. `type` goes into `x-amzn-ErrorType`, which
 * every AWS SDK reads first to pick the exception class.
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

export const validationError = (message: string) => new ApiError('ValidationException', 400, message);
export const notFound = (message: string) => new ApiError('ResourceNotFoundException', 404, message);
export const conflict = (message: string) => new ApiError('ConflictException', 409, message);
export const quotaExceeded = (message: string) => new ApiError('ServiceQuotaExceededException', 402, message);
export const accessDenied = (message: string) => new ApiError('AccessDeniedException', 403, message);
export const internalError = (message = 'An internal error occurred') =>
  new ApiError('InternalServerException', 500, message);
export const throttled = (message = 'Rate exceeded') => new ApiError('TooManyRequestsException', 429, message);

/** Errors of the model's error shapes; the rest (auth, protocol, throttling) come from the service front door. */
export const modelErrorStatus: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 403,
  PendingVerification: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  InternalServerException: 500,
};
