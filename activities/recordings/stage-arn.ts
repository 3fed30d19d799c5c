import { ApplicationFailure } from '@temporalio/common';

export interface StageRef {
  region: string;
  accountId: string;
  /** The last ARN segment: the first component of every participant recording prefix. */
  stageId: string;
}

const STAGE_ARN = /^arn:aws[a-zA-Z-]*:ivs:([a-z0-9-]+):([0-9]{12}):stage\/([a-zA-Z0-9]+)$/;

/** A malformed ARN is a caller bug that no retry can fix, so it fails the activity for good. */
export function parseStageArn(stageArn: string): StageRef {
  const match = STAGE_ARN.exec(stageArn);
  if (!match)
    throw ApplicationFailure.nonRetryable(`Not an IVS stage ARN: ${JSON.stringify(stageArn)}`, 'InvalidStageArn');
  return { region: match[1]!, accountId: match[2]!, stageId: match[3]! };
}
