/**
 * Where a call goes: a region, and the AWS account whose resources it touches. No account means the worker's
 * own credentials; an account means the role the worker assumes there (one worker serves many accounts).
 */
export interface AwsScope {
  region?: string;
  /** The show's account; the worker's own when absent. */
  account?: string;
}

/** What every IVS activity input carries: the show's region and, for a show in another account, that account. */
export interface AccountRegion extends AwsScope {
  region: string;
}
