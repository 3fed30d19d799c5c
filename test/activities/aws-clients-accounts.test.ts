import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createAwsClients } from '../../activities/aws-clients';
import { UNKNOWN_ACCOUNT_FAILURE_TYPE } from '../../contracts/failure-types';

void describe('AWS clients: accounts are looked up as own properties only', () => {
  const aws = createAwsClients({
    defaultRegion: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    accounts: { '111122223333': { roleArn: 'arn:aws:iam::111122223333:role/showrunner' } },
  });

  void test('a configured account gets a client; Object.prototype names and unknown accounts are refused', () => {
    assert.ok(aws.ivs({ region: 'us-east-1', account: '111122223333' }));
    for (const account of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '444455556666'])
      assert.throws(
        () => aws.ivs({ region: 'us-east-1', account }),
        (e: unknown) => {
          assert.ok(e instanceof ApplicationFailure, `${account}: ${String(e)}`);
          assert.equal(e.type, UNKNOWN_ACCOUNT_FAILURE_TYPE);
          assert.equal(e.nonRetryable, true);
          return true;
        },
        account,
      );
    aws.destroy();
  });
});
