/**
 * ApplicationFailure types that cross a boundary: set by activities and branched on by workflows, or set by a
 * workflow and read by its callers (tests, the CLI). Every other failure carries the AWS error name as its type.
 */

/** Retry-as-poll: the attempt found nothing new yet; Temporal retries at the poll interval. */
export const NOT_YET_FAILURE_TYPE = 'NotYet';
/** The stage a show waits on was deleted outside the show. */
export const STAGE_NOT_FOUND = 'StageNotFound';
/** A show names an AWS account the worker has no role for. */
export const UNKNOWN_ACCOUNT_FAILURE_TYPE = 'UnknownAccount';

/** The show failed because its stage was deleted outside it. */
export const STAGE_DELETED = 'StageDeleted';
/** The show failed because its compositions kept failing beyond policies.maxCompositionRestarts. */
export const COMPOSITION_RESTART_LIMIT = 'CompositionRestartLimit';
/** A show failed with something that was not an Error (never expected; the type keeps it recognisable). */
export const SHOW_FAILED = 'ShowFailed';
