import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadWorkerConfig } from '../../worker/worker-config';

const ROLE = 'arn:aws:iam::111122223333:role/showrunner';

void describe('worker configuration: accounts and cache', () => {
  void test('SHOWRUNNER_AWS_ACCOUNTS takes a role ARN or a role with an external ID per account', () => {
    const config = loadWorkerConfig({
      SHOWRUNNER_AWS_ACCOUNTS: JSON.stringify({
        '111122223333': ROLE,
        '444455556666': { roleArn: 'arn:aws:iam::444455556666:role/team/showrunner', externalId: 'ext-123' },
      }),
      SHOWRUNNER_STS_ENDPOINT: 'http://127.0.0.1:4566',
      SHOWRUNNER_MAX_CACHED_WORKFLOWS: '250',
    });
    assert.deepEqual(config.accounts, {
      '111122223333': { roleArn: ROLE },
      '444455556666': { roleArn: 'arn:aws:iam::444455556666:role/team/showrunner', externalId: 'ext-123' },
    });
    assert.equal(config.stsEndpoint, 'http://127.0.0.1:4566');
    assert.equal(config.maxCachedWorkflows, 250);
    assert.deepEqual(loadWorkerConfig({}).accounts, {});
  });

  const rejects = (env: NodeJS.ProcessEnv, pattern: RegExp) =>
    assert.throws(
      () => loadWorkerConfig(env),
      (e: Error) => {
        assert.match(e.message, pattern);
        return true;
      },
    );

  void test('bad settings name the variable and the rule', () => {
    rejects({ SHOWRUNNER_AWS_ACCOUNTS: '{not json' }, /SHOWRUNNER_AWS_ACCOUNTS: must be JSON/);
    rejects({ SHOWRUNNER_AWS_ACCOUNTS: JSON.stringify({ '1234': ROLE }) }, /SHOWRUNNER_AWS_ACCOUNTS.*12-digit/);
    rejects(
      { SHOWRUNNER_AWS_ACCOUNTS: JSON.stringify({ '999988887777': ROLE }) },
      /SHOWRUNNER_AWS_ACCOUNTS\.999988887777: role .* is not in account 999988887777/,
    );
    rejects(
      { SHOWRUNNER_AWS_ACCOUNTS: JSON.stringify({ '111122223333': 'arn:aws:iam::111122223333:user/x' }) },
      /SHOWRUNNER_AWS_ACCOUNTS\.111122223333.*IAM role ARN/,
    );
    rejects({ SHOWRUNNER_STS_ENDPOINT: 'not a url' }, /SHOWRUNNER_STS_ENDPOINT/);
    rejects({ SHOWRUNNER_MAX_CACHED_WORKFLOWS: '-1' }, /SHOWRUNNER_MAX_CACHED_WORKFLOWS/);
  });
});
