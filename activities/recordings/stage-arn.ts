import { ApplicationFailure } from '@temporalio/common';
import { parseIvsArn } from '../../contracts/arn';

export interface StageRef {
  region: string;
  accountId: string;
  /** The last ARN segment: the first component of every participant recording prefix. */
  stageId: string;
}

/** A malformed ARN is a caller bug that no retry can fix, so it fails the activity for good. */
export function parseStageArn(stageArn: string): StageRef {
  const arn = parseIvsArn(stageArn, 'stage');
  if (!arn)
    throw ApplicationFailure.nonRetryable(`Not an IVS stage ARN: ${JSON.stringify(stageArn)}`, 'InvalidStageArn');
  return { region: arn.region, accountId: arn.account, stageId: arn.id };
}
