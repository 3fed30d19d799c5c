import type { CallerIdentity } from '../auth/sigv4-verifier';
import { stableUniqueId } from './role-arn';

export interface Principal {
  accountId: string;
  arn: string;
  userId: string;
}

/**
 * Who a caller is in IAM's terms. Long-term credentials have no IAM user behind them in the emulator; they act
 * as one IAM user named `emulator` in their account, with a user ID derived from the account and access key.
 */
export function callerPrincipal(caller: CallerIdentity): Principal {
  if (caller.session) {
    return { accountId: caller.accountId, arn: caller.session.assumedRoleArn, userId: caller.session.assumedRoleId };
  }
  return {
    accountId: caller.accountId,
    arn: `arn:aws:iam::${caller.accountId}:user/emulator`,
    userId: stableUniqueId('AIDA', `${caller.accountId}:${caller.accessKeyId}`),
  };
}
