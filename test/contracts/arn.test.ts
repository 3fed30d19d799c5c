import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  idOf,
  ivsArn,
  ivsArnPattern,
  locationOf,
  parseArn,
  parseIvsArn,
  parseRoleArn,
  PARTITIONS,
} from '../../contracts/arn';

/** The one ARN parser and builder: every partition Showrunner runs in, nothing else. */

void describe('ARNs', () => {
  void test('IVS ARNs of every partition parse; the region, account, type and ID come out', () => {
    for (const partition of PARTITIONS) {
      const text = `arn:${partition}:ivs:us-gov-west-1:123456789012:stage/AbCdEfGhIjKl`;
      assert.deepEqual(parseIvsArn(text), {
        partition,
        service: 'ivs',
        region: 'us-gov-west-1',
        account: '123456789012',
        resource: 'stage/AbCdEfGhIjKl',
        type: 'stage',
        id: 'AbCdEfGhIjKl',
      });
      assert.equal(
        ivsArn({ partition, region: 'us-gov-west-1', account: '123456789012', type: 'stage', id: 'AbCdEfGhIjKl' }),
        text,
      );
    }
    assert.deepEqual(locationOf('arn:aws-cn:ivs:cn-north-1:123456789012:composition/X1'), {
      region: 'cn-north-1',
      account: '123456789012',
    });
    assert.equal(idOf('arn:aws:ivs:eu-west-1:123456789012:stage/St4ge'), 'St4ge');
  });

  void test('what is not an IVS ARN of a known partition is refused', () => {
    for (const text of [
      'arn:aws-iso:ivs:us-iso-east-1:123456789012:stage/AbCd',
      'arn:awsx:ivs:us-east-1:123456789012:stage/AbCd',
      'arn:aws:medialive:us-east-1:123456789012:channel/1234',
      'arn:aws:ivs:us-east-1:12345:stage/AbCd',
      'arn:aws:ivs:moon-1:123456789012:stage/AbCd',
      'arn:aws:ivs:us-east-1:123456789012:stage/',
      'arn:aws:ivs:us-east-1:123456789012:stage/a b',
      'arn:aws:ivs:us-east-1:123456789012:stage',
      ' arn:aws:ivs:us-east-1:123456789012:stage/AbCd',
      '',
    ])
      assert.equal(parseIvsArn(text), undefined, text);
    assert.throws(() => locationOf('stage/AbCd'), /Not an IVS ARN: "stage\/AbCd"/);
  });

  void test('a typed pattern takes only its type', () => {
    const channel = 'arn:aws:ivs:us-east-1:123456789012:channel/AbCd-1234';
    assert.match(channel, ivsArnPattern('channel'));
    assert.doesNotMatch(channel, ivsArnPattern('stage'));
    assert.match(channel, ivsArnPattern());
    assert.equal(parseIvsArn(channel, 'stage'), undefined);
  });

  void test('IAM role ARNs: the account they are in; other IAM resources are not roles', () => {
    assert.deepEqual(parseRoleArn('arn:aws:iam::444455556666:role/team/showrunner'), { account: '444455556666' });
    assert.deepEqual(parseRoleArn('arn:aws-us-gov:iam::444455556666:role/showrunner'), { account: '444455556666' });
    for (const text of [
      'arn:aws:iam::444455556666:user/showrunner',
      'arn:aws:iam:us-east-1:444455556666:role/showrunner',
      'arn:aws:iam::4444:role/showrunner',
      'arn:aws:sts::444455556666:assumed-role/showrunner/x',
      'arn:aws:iam::444455556666:role/',
    ])
      assert.equal(parseRoleArn(text), undefined, text);
  });

  void test('the generic parser keeps empty regions and accounts and colons in the resource', () => {
    assert.deepEqual(parseArn('arn:aws:s3:::my-bucket/key:with:colons'), {
      partition: 'aws',
      service: 's3',
      region: '',
      account: '',
      resource: 'my-bucket/key:with:colons',
    });
  });
});
