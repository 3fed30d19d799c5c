/** ApplicationFailure types the workflows branch on (set by the activities). */
export const NOT_YET_FAILURE_TYPE = 'NotYet';
export const STAGE_NOT_FOUND = 'StageNotFound';
export const QUOTA_EXCEEDED = 'ServiceQuotaExceededException';
/** A show names an AWS account the worker has no role for. */
export const UNKNOWN_ACCOUNT_FAILURE_TYPE = 'UnknownAccount';
